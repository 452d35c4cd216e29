import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsCollection, showFor } from '../../descriptions/commonProperties';
import { inputError, runPerItem } from '../../execution/nodeRun';
import { EXTERNAL_ID_KEY } from '../../records/specs';
import { DEFAULT_SYNC_BASE_KEY, DEFAULT_SYNCED_FIELDS, SYNCABLE_FIELDS } from '../../records/syncBase';
import type { ConflictPolicy } from '../../records/twoWayMerge';
import { syncLead, type LeadLink } from '../../records/twoWaySync';

// Two-way sync of one lead with the other system's record: a three-way merge against the base
// both systems last agreed on, which the lead keeps in a custom field.

const onNewest = { show: { conflictPolicy: ['newestWins'] } };

const settingsOptions: INodeProperties[] = [
	{
		displayName: 'Empty Values Clear SalesOS Fields',
		name: 'emptyClears',
		type: 'boolean',
		default: false,
		description:
			'Whether a value emptied in the other system empties the SalesOS field. When off, SalesOS keeps its value and the other system gets it back.',
	},
	{
		displayName: 'Sync Base Field',
		name: 'syncBaseKey',
		type: 'string',
		default: DEFAULT_SYNC_BASE_KEY,
		description:
			'Custom field of the lead that keeps what both systems last agreed on (one fingerprint per synced field). The SalesOS Trigger must use the same key.',
	},
];

const options = optionsCollection(['concurrency', 'retry']);

export const description = showFor('lead', ['twoWaySync'], [
	{
		displayName: 'Find Lead By',
		name: 'matchOn',
		type: 'options',
		default: 'externalId',
		options: [
			{ name: 'External ID (Custom Field)', value: 'externalId', description: 'The lead whose custom field holds the other system’s ID; created when there is none' },
			{ name: 'SalesOS ID', value: 'id', description: 'The lead with this SalesOS ID' },
		],
	},
	{
		displayName: 'Lead ID',
		name: 'salesOsLeadId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { matchOn: ['id'] } },
	},
	{
		displayName: 'External ID Field Key',
		name: 'externalIdKey',
		type: 'string',
		default: EXTERNAL_ID_KEY,
		required: true,
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. crm-42',
		description: 'The other system’s ID of this record; written to the lead’s custom field',
		displayOptions: { show: { matchOn: ['externalId'] } },
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		placeholder: 'e.g. crm-42',
		description: 'The other system’s ID of this record, stored in the lead’s custom field when the lead has none yet (optional)',
		displayOptions: { show: { matchOn: ['id'] } },
	},
	{
		displayName: 'Other System’s Record',
		name: 'otherRecord',
		type: 'json',
		default: '={{ $json }}',
		description:
			'The record as the other system has it now, each synced value named after the lead field it corresponds to (name, email, phone, company…). An empty object when the other system has no such record.',
	},
	{
		displayName: 'Synced Fields',
		name: 'syncedFields',
		type: 'multiOptions',
		default: [...DEFAULT_SYNCED_FIELDS],
		options: SYNCABLE_FIELDS.map((field) => ({ name: field, value: field })),
		description: 'The lead fields both systems keep equal; the SalesOS Trigger must list the same ones',
	},
	{
		displayName: 'When Both Changed a Field',
		name: 'conflictPolicy',
		type: 'options',
		default: 'flag',
		options: [
			{ name: 'Flag It', value: 'flag', description: 'Write nothing for that field; the output’s conflicts list it for a person to decide' },
			{ name: 'Newest Change Wins', value: 'newestWins', description: 'The record changed last (by its updated time) wins' },
			{ name: 'Other System Wins', value: 'otherWins' },
			{ name: 'SalesOS Wins', value: 'salesOsWins' },
		],
		description: 'Which value both systems get when SalesOS and the other system changed the same field differently since they last agreed',
	},
	{
		displayName: 'Other Record’s Updated Time',
		name: 'otherChangedAt',
		type: 'string',
		default: '={{ $json.updated_at }}',
		description: 'When the other system’s record last changed (ISO 8601), compared with the lead’s updated_at',
		displayOptions: onNewest,
	},
	{
		displayName: 'Clock Skew Tolerance (Seconds)',
		name: 'clockSkewSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 2,
		description: 'Changes closer together than this count as simultaneous; SalesOS wins them, so both paths decide alike',
		displayOptions: onNewest,
	},
	{ ...options, options: [...settingsOptions, ...(options.options as INodeProperties[])].sort((a, b) => a.displayName.localeCompare(b.displayName)) },
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runPerItem(this, items, async (itemIndex) => {
		const settings = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const policy = this.getNodeParameter('conflictPolicy', itemIndex) as ConflictPolicy;
		const newest = policy === 'newestWins';
		const link = leadLink(this, itemIndex);
		const other = otherRecord(this, itemIndex);
		const { lead, merge, operationResult } = await syncLead(this, {
			link,
			fields: this.getNodeParameter('syncedFields', itemIndex, DEFAULT_SYNCED_FIELDS) as string[],
			other,
			otherChangedAt: newest ? String(this.getNodeParameter('otherChangedAt', itemIndex, '') ?? '') : undefined,
			policy,
			clockSkewMs: newest ? Number(this.getNodeParameter('clockSkewSeconds', itemIndex, 2)) * 1000 : 0,
			emptyClears: settings.emptyClears === true,
			baseKey: String(settings.syncBaseKey ?? '').trim() || DEFAULT_SYNC_BASE_KEY,
		});
		const written = operationResult === 'created' || operationResult === 'updated' ? merge.toSalesOs : {};
		return {
			leadId: (lead?.id as string | undefined) ?? null,
			externalId: link.value ?? ((lead?.custom_fields as IDataObject | undefined)?.[link.key] as string | undefined) ?? null,
			otherSystemHasRecord: other !== undefined,
			operationResult,
			writtenToSalesOs: written,
			otherSystemUpdate: merge.toOther,
			otherSystemNeedsUpdate: Object.keys(merge.toOther).length > 0,
			conflicts: merge.conflicts as unknown as IDataObject[],
			hasFlaggedConflicts: merge.conflicts.some((conflict) => conflict.resolution === 'flagged'),
			changedInSalesOs: merge.changedInSalesOs,
			changedInOtherSystem: merge.changedInOther,
			lead: lead ?? null,
		};
	});
}

function leadLink(context: IExecuteFunctions, itemIndex: number): LeadLink {
	const key = String(context.getNodeParameter('externalIdKey', itemIndex, EXTERNAL_ID_KEY)).trim();
	const value = String(context.getNodeParameter('externalId', itemIndex, '') ?? '').trim();
	if (context.getNodeParameter('matchOn', itemIndex) === 'id') {
		const id = String(context.getNodeParameter('salesOsLeadId', itemIndex, '')).trim();
		if (id === '') throw inputError(context, itemIndex, 'Lead ID is empty', 'Find Lead By is SalesOS ID, so every item needs the lead’s ID.');
		return { on: 'id', id, key: key || EXTERNAL_ID_KEY, value: value || undefined };
	}
	if (key === '' || value === '') {
		throw inputError(
			context,
			itemIndex,
			key === '' ? 'External ID Field Key is empty' : 'External ID is empty',
			'Find Lead By is External ID, so every item needs the custom field key and the other system’s ID.',
		);
	}
	return { on: 'externalId', key, value };
}

/** The other system's record as an object; an empty one (or none) means it has no such record. */
function otherRecord(context: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	let value = context.getNodeParameter('otherRecord', itemIndex, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = value.trim() === '' ? {} : JSON.parse(value);
		} catch {
			throw inputError(context, itemIndex, 'Other System’s Record is not valid JSON', 'Give the record as an object, e.g. {{ $json }}.');
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw inputError(context, itemIndex, 'Other System’s Record is not an object', 'Give the record as an object, e.g. {{ $json }}.');
	}
	return Object.keys(value).length === 0 ? undefined : (value as IDataObject);
}
