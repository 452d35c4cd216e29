import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { request } from '../execution/nodeRun';
import { findByCustomField, findById } from './duplicates';
import { CUSTOM_FIELDS_API_NAME } from './fieldCatalogue';
import { LEAD } from './specs';
import { readSyncBase, serialiseSyncBase } from './syncBase';
import { mergeRecords, type ConflictPolicy, type MergeResult } from './twoWayMerge';
import type { OperationResult } from './writes';

/**
 * Which lead a two-way sync run is about. Found by SalesOS ID, the other system's ID (when given)
 * is stored in a lead that has none yet, so the other system's changes find the lead later.
 */
export type LeadLink = { on: 'id'; id: string; key: string; value?: string } | { on: 'externalId'; key: string; value: string };

export interface TwoWaySyncSettings {
	link: LeadLink;
	fields: string[];
	/** The other system's record; undefined when it has none (not created yet, or deleted). */
	other: IDataObject | undefined;
	otherChangedAt?: string;
	policy: ConflictPolicy;
	clockSkewMs: number;
	emptyClears: boolean;
	baseKey: string;
}

async function currentLead(context: IExecuteFunctions, link: LeadLink): Promise<IDataObject | undefined> {
	return link.on === 'id'
		? await findById(context, LEAD, link.id)
		: await findByCustomField(context, LEAD, link.key, link.value);
}

/** The custom fields to send: only the keys this write sets (SalesOS merges custom fields by key). */
function customFieldsToWrite(lead: IDataObject | undefined, link: LeadLink, baseKey: string, base: string): IDataObject {
	const current = (lead?.[CUSTOM_FIELDS_API_NAME] ?? {}) as IDataObject;
	const write: IDataObject = {};
	const stored = current[link.key];
	if (link.on === 'externalId' ? stored !== link.value : link.value && !stored) write[link.key] = link.value;
	if (current[baseKey] !== base) write[baseKey] = base;
	return write;
}

/**
 * Reads the lead, merges it with the other system's record against the base the lead holds, and
 * writes to SalesOS only the fields the merge took from the other system, with the new base in the
 * same request: the lead's `lead.updated` event then shows values equal to their base, which the
 * SalesOS Trigger recognises as the sync's own write. No request when nothing changed.
 */
export async function syncLead(
	context: IExecuteFunctions,
	settings: TwoWaySyncSettings,
): Promise<{ lead: IDataObject | undefined; merge: MergeResult; operationResult: OperationResult | 'missing' }> {
	const lead = await currentLead(context, settings.link);
	const merge = mergeRecords({
		fields: settings.fields,
		salesOs: lead,
		other: settings.other,
		base: readSyncBase(lead, settings.baseKey),
		policy: settings.policy,
		clockSkewMs: settings.clockSkewMs,
		salesOsChangedAt: lead?.updated_at as string | undefined,
		otherChangedAt: settings.otherChangedAt,
		emptyClears: settings.emptyClears,
	});
	const base = serialiseSyncBase(merge.base);
	const customFields = customFieldsToWrite(lead, settings.link, settings.baseKey, base);

	if (!lead) {
		if (!settings.other) return { lead, merge, operationResult: 'missing' };
		const body = { ...withoutEmpty(merge.toSalesOs), [CUSTOM_FIELDS_API_NAME]: customFields };
		const created = await request(context, { method: 'POST', path: LEAD.path, body, retrySafe: settings.link.on === 'externalId' });
		return { lead: created.data as IDataObject, merge, operationResult: 'created' };
	}
	if (Object.keys(merge.toSalesOs).length === 0 && Object.keys(customFields).length === 0) {
		return { lead, merge, operationResult: 'unchanged' };
	}
	const body = { ...merge.toSalesOs, ...(Object.keys(customFields).length ? { [CUSTOM_FIELDS_API_NAME]: customFields } : {}) };
	const updated = await request(context, { method: 'PATCH', path: `${LEAD.path}/${encodeURIComponent(String(lead.id))}`, body });
	return { lead: updated.data as IDataObject, merge, operationResult: 'updated' };
}

/** A new lead is created with the values the other system has; empty ones are left out. */
function withoutEmpty(fields: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}
