import type { INodeProperties } from 'n8n-workflow';

export interface OperationOption {
	value: string;
	name: string;
	action: string;
	description: string;
}

/** The Operation dropdown of one resource, options sorted by name as n8n lists them. */
export function operationProperty(
	resource: string,
	options: OperationOption[],
	defaultOperation: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [...options].sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
}
