import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	fieldsCollection,
	optionsCollection,
	requiredFieldProperties,
	showFor,
} from '../shared/descriptions';
import {
	inputError,
	request,
	requestData,
	runPerItem,
} from '../shared/execution';
import { buildBody, CUSTOM_FIELDS_API_NAME } from '../shared/fields';
import {
	EXTERNAL_ID_KEY,
	recordIdProperty,
	type RecordEndpoint,
	type RecordResource,
} from '../shared/records';
import {
	createRecord,
	stampSyncMarker,
	syncMarkerFrom,
	upsertRecord,
	type OnDuplicate,
	type UpsertLookup,
	type UpsertMatch,
} from '../shared/writes';
import { listOperation } from './listOperation';
import type { OperationOption } from './operationProperty';
import type { SalesOsOperation } from './types';
import { getSalesOsError } from '../transport';

/**
 * Create, upsert, update, get, get many and delete work the same way for leads and deals; each
 * resource's `<operation>.operation.ts` instantiates these with its RecordResource.
 */

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
function writeBody(context: IExecuteFunctions, config: RecordResource, itemIndex: number): IDataObject {
	const values: IDataObject = {
		...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	for (const spec of config.requiredFields) {
		values[spec.property.name] = context.getNodeParameter(spec.property.name, itemIndex, '');
	}
	return buildBody([...config.requiredFields, ...config.optionalFields], values, context.getNode());
}

function optionsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return context.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

const WRITE_OPTIONS = ['syncMarker', 'concurrency', 'retry'] as const;

export function createOperation(config: RecordResource): SalesOsOperation {
	return {
		description: showFor(config.resource, ['create'], [
			...requiredFieldProperties(config.requiredFields),
			fieldsCollection('additionalFields', config.optionalFields),
			optionsCollection(['onDuplicate', ...WRITE_OPTIONS]),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const options = optionsOf(this, itemIndex);
				const onDuplicate = (options.onDuplicate ?? 'error') as OnDuplicate;
				const body = writeBody(this, config, itemIndex);
				return await createRecord(this, config, itemIndex, body, onDuplicate, syncMarkerFrom(options));
			});
		},
	};
}

const MATCH_KEY_OPTIONS = {
	email: { name: 'Email', value: 'email', description: 'The lead with the same email address (case-insensitive)' },
	externalId: {
		name: 'External ID (Custom Field)',
		value: 'externalId',
		description: 'The record whose custom field (default external_id) holds your system’s ID',
	},
	id: { name: 'SalesOS ID', value: 'id', description: 'The record with this SalesOS ID' },
};

export function upsertOperation(config: RecordResource): SalesOsOperation {
	const onExternalId = { show: { matchOn: ['externalId'] } };
	return {
		description: showFor(config.resource, ['upsert'], [
			{
				displayName: 'Match On',
				name: 'matchOn',
				type: 'options',
				default: config.matchKeys[0],
				options: config.matchKeys.map((key) => MATCH_KEY_OPTIONS[key]),
				description: `How to find the ${config.singular} to update; when none matches, a new one is created`,
				hint: 'The output field operationResult says what happened: created, updated, or unchanged (already had these values, nothing sent)',
			},
			{
				displayName: 'External ID Field Key',
				name: 'externalIdKey',
				type: 'string',
				default: EXTERNAL_ID_KEY,
				required: true,
				description:
					'Custom field that stores your system’s ID. SalesOS rejects duplicates only for external_id.',
				displayOptions: onExternalId,
			},
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. crm-42',
				description: `Your system’s ID for this ${config.singular}; it is also written to the custom field`,
				displayOptions: onExternalId,
			},
			{
				...recordIdProperty(config, 'update'),
				description: `ID of the ${config.singular} to update; when it does not exist, a new ${config.singular} is created (with a new ID)`,
				displayOptions: { show: { matchOn: ['id'] } },
			},
			...requiredFieldProperties(config.requiredFields),
			fieldsCollection('additionalFields', config.optionalFields),
			optionsCollection(['upsertLookup', ...WRITE_OPTIONS]),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const body = writeBody(this, config, itemIndex);
				const match = upsertMatch(this, config, itemIndex, body);
				const options = optionsOf(this, itemIndex);
				const lookup = (options.upsertLookup ?? 'auto') as UpsertLookup;
				return await upsertRecord(this, config, itemIndex, body, match, syncMarkerFrom(options), lookup);
			});
		},
	};
}

/** Reads the match key; an external ID is also written into the body's custom fields. */
function upsertMatch(
	context: IExecuteFunctions,
	config: RecordResource,
	itemIndex: number,
	body: IDataObject,
): UpsertMatch {
	const on = context.getNodeParameter('matchOn', itemIndex) as UpsertMatch['on'];
	if (on === 'id') return { on, id: recordId(context, config, itemIndex) };
	if (on === 'email') {
		if (typeof body.email !== 'string' || body.email === '') {
			throw inputError(context, itemIndex, 'Email is empty', 'Match On is Email, so every item needs an email address.');
		}
		return { on };
	}
	const key = String(context.getNodeParameter('externalIdKey', itemIndex, EXTERNAL_ID_KEY)).trim();
	const value = String(context.getNodeParameter('externalId', itemIndex, '')).trim();
	if (key === '' || value === '') {
		throw inputError(
			context,
			itemIndex,
			key === '' ? 'External ID Field Key is empty' : 'External ID is empty',
			'Match On is External ID, so every item needs the custom field key and your system’s ID for the record.',
		);
	}
	body[CUSTOM_FIELDS_API_NAME] = { ...(body[CUSTOM_FIELDS_API_NAME] as IDataObject), [key]: value };
	return { on, key, value };
}

export function updateOperation(config: RecordResource): SalesOsOperation {
	return {
		description: showFor(config.resource, ['update'], [
			recordIdProperty(config, 'update'),
			fieldsCollection('updateFields', [...config.requiredFields, ...config.optionalFields]),
			optionsCollection([...WRITE_OPTIONS]),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const path = recordPath(this, config, itemIndex);
				const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
				const specs = [...config.requiredFields, ...config.optionalFields];
				const body = buildBody(specs, updateFields, this.getNode());
				const marker = syncMarkerFrom(optionsOf(this, itemIndex));
				if (Object.keys(body).length === 0 && !marker) {
					throw inputError(
						this,
						itemIndex,
						'Nothing to update',
						'Add at least one field under Update Fields (fields left empty are not sent).',
					);
				}
				return await requestData(this, { method: 'PATCH', path, body: stampSyncMarker(body, marker) });
			});
		},
	};
}

export function getOperation(config: RecordEndpoint): SalesOsOperation {
	return {
		description: showFor(config.resource, ['get'], [
			recordIdProperty(config, 'get'),
			optionsCollection(['concurrency', 'retry']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) =>
				await requestData(this, { method: 'GET', path: recordPath(this, config, itemIndex) }),
			);
		},
	};
}

export function deleteOperation(config: RecordEndpoint): SalesOsOperation {
	return {
		description: showFor(config.resource, ['delete'], [
			recordIdProperty(config, 'delete'),
			optionsCollection(['concurrency', 'retry']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const path = recordPath(this, config, itemIndex);
				// A 404 on a retry after a dropped connection means our first attempt deleted it.
				await request(this, { method: 'DELETE', path }).catch((error: unknown) => {
					const info = getSalesOsError(error);
					if (info?.status === 404 && info.retriedAfterAmbiguousFailure) return;
					throw error;
				});
				return { id: recordId(this, config, itemIndex), deleted: true };
			});
		},
	};
}

export function getManyOperation(config: RecordResource): SalesOsOperation {
	return listOperation(config);
}
