import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { showFor } from '../../descriptions/commonProperties';
import { inputError, runPerItem } from '../../execution/nodeRun';
import { CUSTOM_FIELDS_API_NAME } from '../../records/fieldCatalogue';
import { EXTERNAL_ID_KEY, type ResourceSpec } from '../../records/specs';
import { upsertRecord, type UpsertLookup, type UpsertMatch } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { fieldsParameter, mappedWriteBody, mapsFields } from './fieldMapperParameter';
import { optionsOf, recordId, recordIdProperties, requiredAndAdditionalFields, writeBody } from './recordParameters';
import { syncMarkerOf, syncMarkerAndOptions } from './settingsByVersion';

// Create or Update a lead or deal, matched by email, external ID or SalesOS ID.

const MATCH_KEY_OPTIONS = {
	email: { name: 'Email', value: 'email', description: 'The lead with the same email address (case-insensitive)' },
	externalId: {
		name: 'External ID (Custom Field)',
		value: 'externalId',
		description: 'The record whose custom field (default external_id) holds your system’s ID',
	},
	id: { name: 'SalesOS ID', value: 'id', description: 'The record with this SalesOS ID' },
};

export function upsertOperation(resource: ResourceSpec): SalesOsOperation {
	const onExternalId = { show: { matchOn: ['externalId'] } };
	const [firstMatchKey] = resource.matchKeys;
	return {
		description: showFor(resource.name, ['upsert'], [
			{
				displayName: 'Match On',
				name: 'matchOn',
				type: 'options',
				default: firstMatchKey,
				options: resource.matchKeys.map((key) => MATCH_KEY_OPTIONS[key]),
				description: `How to find the ${resource.singular} to update; when none matches, a new one is created`,
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
				description: `Your system’s ID for this ${resource.singular}; it is also written to the custom field`,
				displayOptions: onExternalId,
			},
			...recordIdProperties(resource, 'update').map((property) => ({
				...property,
				description: `ID of the ${resource.singular} to update; when it does not exist, a new ${resource.singular} is created (with a new ID)`,
				displayOptions: { show: { ...property.displayOptions?.show, matchOn: ['id'] } },
			})),
			...fieldsParameter(resource, { version1: requiredAndAdditionalFields(resource) }),
			...syncMarkerAndOptions(resource, ['upsertLookup']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const body = mapsFields(this, resource)
					? mappedWriteBody(this, resource, items, itemIndex, { requireFields: true })
					: writeBody(this, resource, itemIndex);
				const match = upsertMatch(this, resource, itemIndex, body);
				const options = optionsOf(this, itemIndex);
				const lookup = (options.upsertLookup ?? 'auto') as UpsertLookup;
				return await upsertRecord(this, resource, itemIndex, body, match, syncMarkerOf(this, itemIndex), lookup);
			});
		},
	};
}

/** Reads the match key; an external ID is also written into the body's custom fields. */
function upsertMatch(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	itemIndex: number,
	body: IDataObject,
): UpsertMatch {
	const on = context.getNodeParameter('matchOn', itemIndex) as UpsertMatch['on'];
	if (on === 'id') return { on, id: recordId(context, resource, itemIndex) };
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
