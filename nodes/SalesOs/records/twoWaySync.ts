import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { request } from '../execution/nodeRun';
import { findByCustomField, findById } from './duplicates';
import { CUSTOM_FIELDS_API_NAME } from './fieldCatalogue';
import { LEAD } from './specs';
import { readSyncBase, serialiseSyncBase, SYNC_WRITE_TIME, type SyncBase } from './syncBase';
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

/** The external ID to store in the lead, when it lacks it (custom fields are merged by key). */
function externalIdToWrite(lead: IDataObject | undefined, link: LeadLink): IDataObject {
	const stored = (lead?.[CUSTOM_FIELDS_API_NAME] as IDataObject | undefined)?.[link.key];
	const missing = link.on === 'externalId' ? stored !== link.value : link.value !== undefined && !stored;
	return missing ? { [link.key]: link.value } : {};
}

function sameBase(stored: SyncBase | undefined, base: SyncBase): boolean {
	if (stored === undefined) return false;
	const { [SYNC_WRITE_TIME]: _writtenAt, ...fields } = stored;
	return serialiseSyncBase(fields) === serialiseSyncBase(base);
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
	const stored = readSyncBase(lead, settings.baseKey);
	const merge = mergeRecords({
		fields: settings.fields,
		salesOs: lead,
		other: settings.other,
		base: stored,
		policy: settings.policy,
		clockSkewMs: settings.clockSkewMs,
		salesOsChangedAt: lead?.updated_at as string | undefined,
		otherChangedAt: settings.otherChangedAt,
		emptyClears: settings.emptyClears,
	});
	const externalId = externalIdToWrite(lead, settings.link);
	const unchanged = Object.keys(merge.toSalesOs).length === 0 && Object.keys(externalId).length === 0 && sameBase(stored, merge.base);
	// Every write carries the base with its time: for Newest Change Wins the lead's updated_at up to
	// that time is the sync's own write, not a SalesOS user's change.
	const customFields = { ...externalId, [settings.baseKey]: serialiseSyncBase({ ...merge.base, [SYNC_WRITE_TIME]: new Date().toISOString() }) };

	if (!lead) {
		if (!settings.other) return { lead, merge, operationResult: 'missing' };
		const body = { ...withoutEmpty(merge.toSalesOs), [CUSTOM_FIELDS_API_NAME]: customFields };
		const created = await request(context, { method: 'POST', path: LEAD.path, body, retrySafe: settings.link.on === 'externalId' });
		return { lead: created.data as IDataObject, merge, operationResult: 'created' };
	}
	if (unchanged) return { lead, merge, operationResult: 'unchanged' };
	const body = { ...merge.toSalesOs, [CUSTOM_FIELDS_API_NAME]: customFields };
	const updated = await request(context, { method: 'PATCH', path: `${LEAD.path}/${encodeURIComponent(String(lead.id))}`, body });
	return { lead: updated.data as IDataObject, merge, operationResult: 'updated' };
}

/** A new lead is created with the values the other system has; empty ones are left out. */
function withoutEmpty(fields: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}
