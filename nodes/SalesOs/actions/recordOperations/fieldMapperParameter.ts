import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { changedInNodeVersion, follows, SALESOS_V2 } from '../../descriptions/versions';
import { mappedBody } from '../../records/mappedFields';
import type { ResourceSpec } from '../../records/specs';

// Node version 2 maps lead and deal fields with n8n's resource mapper; version 1 (and users) keep
// the per-field parameters.

/** Whether this run of a write takes its fields from the mapper. */
export function mapsFields(context: IExecuteFunctions, resource: ResourceSpec): boolean {
	return hasMapper(resource) && follows(SALESOS_V2, context.getNode());
}

const hasMapper = (resource: ResourceSpec) => resource.name === 'lead' || resource.name === 'deal';

/** Fields (the mapper) from version 2 on; version 1, and users, keep the per-field parameters. */
export function fieldsParameter(resource: ResourceSpec, { version1 }: { version1: INodeProperties[] }): INodeProperties[] {
	if (!hasMapper(resource)) return version1;
	return changedInNodeVersion(SALESOS_V2, version1, [mapperProperty(resource)]);
}

function mapperProperty(resource: ResourceSpec): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description: `The ${resource.singular}’s fields; custom fields are those found on recently updated ${resource.plural}`,
		typeOptions: {
			loadOptionsDependsOn: ['resource', 'operation'],
			resourceMapper: {
				resourceMapperMethod: 'getRecordFields',
				// Update and Create or Update find the record by their own parameters, not by a column.
				mode: 'add',
				supportAutoMap: true,
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: true,
				noFieldsError: `No ${resource.singular} fields found in SalesOS`,
			},
		},
	};
}

/**
 * The request body of one item from the mapper: the values set ("Map Each Column Manually"), or
 * the input item's fields whose names match a SalesOS field (API name such as `owner_id`, or
 * `owner`; custom fields as `custom_fields.<key>` or a `custom_fields` object).
 */
export function mappedWriteBody(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	items: INodeExecutionData[],
	itemIndex: number,
	{ requireFields }: { requireFields: boolean },
): IDataObject {
	const mode = context.getNodeParameter('columns.mappingMode', itemIndex, 'defineBelow') as string;
	const autoMap = mode === 'autoMapInputData';
	const source = autoMap
		? items[itemIndex].json
		: ((context.getNodeParameter('columns.value', itemIndex, {}) as IDataObject | null) ?? {});
	return mappedBody(resource, source, context.getNode(), {
		requireFields,
		mappedFrom: autoMap ? 'the input item (Map Automatically)' : 'Values to Send',
	});
}
