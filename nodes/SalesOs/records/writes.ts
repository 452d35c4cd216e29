import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getSalesOsError } from '../transport';
import { findByCustomField, findByEmail, findById, findConflictingRecord } from './duplicates';
import { asNodeError, request } from '../execution/nodeRun';
import { changedFields } from './changes';
import { CUSTOM_FIELDS_API_NAME } from './fieldCatalogue';
import type { RecordResource } from './specs';
import { DEFAULT_SYNC_MARKER, withSyncMarker, type SyncMarkerSettings } from './syncMarker';

/** What a write did; added to its output as `operationResult`. */
export type OperationResult = 'created' | 'updated' | 'unchanged' | 'existing';

export type OnDuplicate = 'error' | 'returnExisting' | 'update';

export type SyncMarker = Pick<SyncMarkerSettings, 'key' | 'value'>;

export type UpsertMatch =
	| { on: 'email' }
	| { on: 'externalId'; key: string; value: string }
	| { on: 'id'; id: string };

/** The sync marker to stamp, from a write's Options; undefined when switched off. */
export function syncMarkerFrom(options: IDataObject): SyncMarker | undefined {
	if (options.syncMarker !== true) return undefined;
	const key = String(options.syncMarkerKey ?? '').trim() || DEFAULT_SYNC_MARKER.key;
	const value = String(options.syncMarkerValue ?? '').trim() || DEFAULT_SYNC_MARKER.value;
	return { key, value };
}

export function stampSyncMarker(body: IDataObject, marker: SyncMarker | undefined): IDataObject {
	if (!marker) return body;
	const customFields = body[CUSTOM_FIELDS_API_NAME] as IDataObject | undefined;
	return { ...body, [CUSTOM_FIELDS_API_NAME]: withSyncMarker(customFields, marker) };
}

function withResult(record: IDataObject, operationResult: OperationResult): IDataObject {
	return { ...record, operationResult };
}

/** A create may be retried after an ambiguous failure only when a duplicate would come back as 409. */
function carriesUniqueValue(config: RecordResource, body: IDataObject): boolean {
	return config.uniqueFields.some((field) => {
		const value = field
			.split('.')
			.reduce<unknown>((current, segment) => (current as IDataObject | undefined)?.[segment], body);
		return value !== undefined && value !== null && value !== '';
	});
}

/** Sends a PATCH with only the fields that differ; "unchanged" (no request) when none do. */
export async function updateExisting(
	context: IExecuteFunctions,
	config: RecordResource,
	existing: IDataObject,
	body: IDataObject,
	marker: SyncMarker | undefined,
): Promise<IDataObject> {
	const specs = [...config.requiredFields, ...config.optionalFields];
	const changes = changedFields(specs, body, existing, marker ? [marker.key] : []);
	if (Object.keys(changes).length === 0) return withResult(existing, 'unchanged');
	const response = await request(context, {
		method: 'PATCH',
		path: `${config.path}/${encodeURIComponent(String(existing.id))}`,
		body: stampSyncMarker(changes, marker),
	});
	return withResult(response.data as IDataObject, 'updated');
}

/**
 * POSTs a new record. On 409 the existing record is looked up and `onDuplicate` decides. A 409
 * that answers a retry after an ambiguous failure (e.g. a reset after SalesOS stored the record)
 * means our own first attempt created it: that is reported as `created`, never as an error.
 */
export async function createRecord(
	context: IExecuteFunctions,
	config: RecordResource,
	itemIndex: number,
	body: IDataObject,
	onDuplicate: OnDuplicate,
	marker: SyncMarker | undefined,
): Promise<IDataObject> {
	const sent = stampSyncMarker(body, marker);
	let conflict: unknown;
	try {
		const response = await request(context, {
			method: 'POST',
			path: config.path,
			body: sent,
			retrySafe: carriesUniqueValue(config, sent),
		});
		return withResult(response.data as IDataObject, 'created');
	} catch (error) {
		if (getSalesOsError(error)?.status !== 409) throw asNodeError(context.getNode(), error, itemIndex);
		conflict = error;
	}

	const info = getSalesOsError(conflict);
	const createdByUs = info?.retriedAfterAmbiguousFailure === true;
	if (onDuplicate === 'error' && !createdByUs) {
		const nodeError = asNodeError(context.getNode(), conflict, itemIndex);
		nodeError.description = `${nodeError.description ?? ''} To continue with the existing ${config.singular}, set Options → On Duplicate (409) to Return Existing or Update Existing.`.trim();
		throw nodeError;
	}

	const lookup = await findConflictingRecord(context, config, sent, info);
	if (!lookup.record) {
		throw new NodeOperationError(
			context.getNode(),
			`SalesOS reports that this ${config.singular} already exists (409), but the existing ${config.singular} could not be found`,
			{
				itemIndex,
				description: `Looked it up by ${lookup.triedBy.join(', ') || 'nothing (the 409 named no field and the item has no unique value)'}. SalesOS said: ${info?.message ?? 'conflict'}`,
			},
		);
	}
	if (createdByUs) return withResult(lookup.record, 'created');
	if (onDuplicate === 'returnExisting') return withResult(lookup.record, 'existing');
	return await updateExisting(context, config, lookup.record, body, marker);
}

/**
 * How Create or Update finds out whether the record exists. `lookUpFirst` costs one lookup per
 * item (then PATCH or POST); `createFirst` POSTs and turns the 409 into the update, one request
 * for a new record but three for an existing one. `auto` starts with lookups and creates first
 * while most records of this run have turned out to be new.
 */
export type UpsertLookup = 'auto' | 'lookUpFirst' | 'createFirst';

/** Outcomes of the upserts of one node run, which `auto` decides by. */
const outcomesByRun = new WeakMap<object, { created: number; existing: number }>();

/** Create-first works only for keys SalesOS answers with 409 on: the 409 finds the record. */
function matchesOnUniqueKey(config: RecordResource, match: UpsertMatch): boolean {
	if (match.on === 'email') return config.uniqueFields.includes('email');
	if (match.on === 'externalId') return config.uniqueFields.includes(`${CUSTOM_FIELDS_API_NAME}.${match.key}`);
	return false;
}

/** Updates the record the chosen key matches (or leaves it unchanged), or creates it. */
export async function upsertRecord(
	context: IExecuteFunctions,
	config: RecordResource,
	itemIndex: number,
	body: IDataObject,
	match: UpsertMatch,
	marker: SyncMarker | undefined,
	lookup: UpsertLookup,
): Promise<IDataObject> {
	let outcomes = outcomesByRun.get(context);
	if (!outcomes) {
		outcomes = { created: 0, existing: 0 };
		outcomesByRun.set(context, outcomes);
	}
	const createFirst =
		matchesOnUniqueKey(config, match) &&
		(lookup === 'createFirst' || (lookup === 'auto' && outcomes.created > outcomes.existing));
	const record = createFirst
		? await createRecord(context, config, itemIndex, body, 'update', marker)
		: await lookUpThenWrite(context, config, itemIndex, body, match, marker);
	if (record.operationResult === 'created') outcomes.created++;
	else outcomes.existing++;
	return record;
}

async function lookUpThenWrite(
	context: IExecuteFunctions,
	config: RecordResource,
	itemIndex: number,
	body: IDataObject,
	match: UpsertMatch,
	marker: SyncMarker | undefined,
): Promise<IDataObject> {
	let existing: IDataObject | undefined;
	if (match.on === 'email') existing = await findByEmail(context, config, String(body.email));
	else if (match.on === 'externalId') existing = await findByCustomField(context, config, match.key, match.value);
	else existing = await findById(context, config, match.id);

	if (existing) return await updateExisting(context, config, existing, body, marker);
	// Another writer may create it between our lookup and our POST: the 409 then becomes an update.
	return await createRecord(context, config, itemIndex, body, 'update', marker);
}
