import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationOption } from '../../descriptions/operationProperty';
import { recordIdProperty } from '../../descriptions/fieldProperties';
import { inputError } from '../../execution/nodeRun';
import { buildBody } from '../../records/serialisation';
import type { RecordEndpoint, RecordResource } from '../../records/specs';

// What the lead and deal operations in this folder read from their parameters.

const MATCH_KEY_WORDS: Record<RecordResource['matchKeys'][number], string> = {
	email: 'email',
	externalId: 'external ID',
	id: 'ID',
};

/** The Operation dropdown entries of the operations above; each resource adds its own. */
export function recordOperationOptions(config: RecordResource): OperationOption[] {
	const { singular, plural } = config;
	const matchWords = config.matchKeys.map((key) => MATCH_KEY_WORDS[key]);
	const lastMatchWord = matchWords.pop();
	const matchList = matchWords.length > 0 ? `${matchWords.join(', ')} or ${lastMatchWord}` : lastMatchWord;
	return [
		{ value: 'create', name: 'Create', action: `Create a ${singular}`, description: `Create a new ${singular}` },
		{
			value: 'upsert',
			name: 'Create or Update',
			action: `Create or update a ${singular}`,
			description: `Create a ${singular}, or update it when one matches by ${matchList}`,
		},
		{ value: 'update', name: 'Update', action: `Update a ${singular}`, description: `Update a ${singular}` },
		{ value: 'get', name: 'Get', action: `Get a ${singular}`, description: `Get a ${singular} by ID` },
		{ value: 'getMany', name: 'Get Many', action: `Get many ${plural}`, description: `List ${plural} with filters` },
		{ value: 'delete', name: 'Delete', action: `Delete a ${singular}`, description: `Delete a ${singular}` },
	];
}

export function recordId(context: IExecuteFunctions, config: RecordEndpoint, itemIndex: number): string {
	const id = String(context.getNodeParameter(config.idParameter, itemIndex, '')).trim();
	if (id === '') {
		throw inputError(
			context,
			itemIndex,
			`${recordIdProperty(config, '').displayName} is empty`,
			`Enter the ID of the ${config.singular}, or map it from an earlier node, e.g. {{ $json.id }}.`,
		);
	}
	return id;
}

export function recordPath(context: IExecuteFunctions, config: RecordEndpoint, itemIndex: number): string {
	return `${config.path}/${encodeURIComponent(recordId(context, config, itemIndex))}`;
}

/** The request body from the required parameters plus "Additional Fields". */
export function writeBody(context: IExecuteFunctions, config: RecordResource, itemIndex: number): IDataObject {
	const values: IDataObject = {
		...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	for (const spec of config.requiredFields) {
		values[spec.property.name] = context.getNodeParameter(spec.property.name, itemIndex, '');
	}
	return buildBody([...config.requiredFields, ...config.optionalFields], values, context.getNode());
}

export function optionsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return context.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

export const WRITE_OPTIONS = ['syncMarker', 'concurrency', 'retry'] as const;
