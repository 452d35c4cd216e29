import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getSalesOsError } from '../transport';
import { findByCustomField, findByEmail, findById, findConflictingRecord } from './duplicates';
import { asNodeError, request } from '../execution/nodeRun';
import { listMatching } from './filteredList';
import { changedFields } from './changes';
import { CUSTOM_FIELDS_API_NAME } from './fieldCatalogue';
import { writableFields, type ResourceSpec } from './specs';
import { withSyncMarker, type SyncMarker } from './syncMarker';

/** What a write did; added to its output as `operationResult`. */
export type OperationResult = 'created' | 'updated' | 'unchanged' | 'existing';

export type OnDuplicate = 'error' | 'returnExisting' | 'update';

export type UpsertMatch =
	| { on: 'email' }
	| { on: 'externalId'; key: string; value: string }
	| { on: 'id'; id: string };

export function stampSyncMarker(body: IDataObject, marker: SyncMarker | undefined): IDataObject {
	if (!marker) return body;
	const customFields = body[CUSTOM_FIELDS_API_NAME] as IDataObject | undefined;
	return { ...body, [CUSTOM_FIELDS_API_NAME]: withSyncMarker(customFields, marker) };
}

function withResult(record: IDataObject, operationResult: OperationResult): IDataObject {
	return { ...record, operationResult };
}

/** A create may be retried after an ambiguous failure only when a duplicate would come back as 409. */
function carriesUniqueValue(resource: ResourceSpec, body: IDataObject): boolean {
	return resource.uniqueFields.some((field) => {
		const value = field
			.split('.')
			.reduce<unknown>((current, segment) => (current as IDataObject | undefined)?.[segment], body);
		return value !== undefined && value !== null && value !== '';
	});
}

/** Sends a PATCH with only the fields that differ; "unchanged" (no request) when none do. */
export async function updateExisting(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	existing: IDataObject,
	body: IDataObject,
	marker: SyncMarker | undefined,
): Promise<IDataObject> {
	const specs = writableFields(resource);
	const changes = changedFields(specs, body, existing, marker ? [marker.key] : []);
	if (Object.keys(changes).length === 0) return withResult(existing, 'unchanged');
	const response = await request(context, {
		method: 'PATCH',
		path: `${resource.path}/${encodeURIComponent(String(existing.id))}`,
		body: stampSyncMarker(changes, marker),
	});
	return withResult(response.data as IDataObject, 'updated');
}

/** Whether a stored record holds every value this item sent (sync marker included): then it is ours. */
function holdsSentValues(resource: ResourceSpec, sent: IDataObject, record: IDataObject): boolean {
	const specs = writableFields(resource);
	return Object.keys(changedFields(specs, sent, record)).length === 0;
}

/**
 * POSTs a new record. On 409 the existing record is looked up and `onDuplicate` decides. A 409
 * that answers a retry after an ambiguous failure (e.g. a reset after SalesOS stored the record)
 * is our own first attempt only when the record found holds what this item sent; otherwise it
 * is somebody else's record and a duplicate like any other.
 */
export async function createRecord(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	itemIndex: number,
	body: IDataObject,
	onDuplicate: OnDuplicate,
	marker: SyncMarker | undefined,
): Promise<IDataObject> {
	const sent = stampSyncMarker(body, marker);
	const retrySafe = carriesUniqueValue(resource, sent);
	const sentAt = Date.now();
	let conflict: unknown;
	try {
		const response = await request(context, { method: 'POST', path: resource.path, body: sent, retrySafe });
		return withResult(response.data as IDataObject, 'created');
	} catch (error) {
		const info = getSalesOsError(error);
		if (info?.mayHaveBeenProcessed && !retrySafe) {
			return await findLostCreate(context, resource, itemIndex, sent, sentAt, error);
		}
		if (info?.status !== 409) throw asNodeError(context.getNode(), error, itemIndex);
		conflict = error;
	}

	const info = getSalesOsError(conflict);
	const duplicateError = () => {
		const nodeError = asNodeError(context.getNode(), conflict, itemIndex);
		nodeError.description = `${nodeError.description ?? ''} To continue with the existing ${resource.singular}, set Options → On Duplicate (409) to Return Existing or Update Existing.`.trim();
		return nodeError;
	};
	const maybeOurs = info?.retriedAfterAmbiguousFailure === true;
	if (onDuplicate === 'error' && !maybeOurs) throw duplicateError();

	const lookup = await findConflictingRecord(context, resource, sent, info);
	if (!lookup.record) {
		const error = new NodeOperationError(
			context.getNode(),
			`SalesOS reports that this ${resource.singular} already exists (409), but the existing ${resource.singular} could not be found`,
			{
				itemIndex,
				description: `Looked it up by ${lookup.triedBy.join(', ') || 'nothing (the 409 named no field and the item has no unique value)'}. SalesOS said: ${info?.message ?? 'conflict'}. Check the record in SalesOS; running the item again is safe, since SalesOS refuses the duplicate.`,
			},
		);
		error.context.salesOs = { ...info, code: info?.code ?? 'CONFLICT' } as unknown as JsonObject;
		throw error;
	}
	if (maybeOurs && holdsSentValues(resource, sent, lookup.record)) return withResult(lookup.record, 'created');
	if (onDuplicate === 'error') throw duplicateError();
	if (onDuplicate === 'returnExisting') return withResult(lookup.record, 'existing');
	return await updateExisting(context, resource, lookup.record, body, marker);
}

/**
 * A create without a unique value whose answer was lost (connection broken, 500/502/504): it
 * cannot be retried blindly, since SalesOS may have stored it. One list request for records
 * created since then with this name tells: the record holding every sent value is ours.
 */
async function findLostCreate(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	itemIndex: number,
	sent: IDataObject,
	sentAt: number,
	failure: unknown,
): Promise<IDataObject> {
	const since = new Date(sentAt - LOST_CREATE_CLOCK_SKEW_MS).toISOString();
	let candidates: IDataObject[] = [];
	try {
		({ records: candidates } = await listMatching(
			context,
			resource.path,
			{ search: String(sent.name ?? ''), created_after: since, sort: '-created_at' },
			{ returnAll: false, limit: 100, searchIn: resource.searchIn ?? [], plural: resource.plural, itemIndex },
		));
	} catch {
		// The lookup failing too leaves the question open; the message below says so.
	}
	const ours = candidates.filter((record) => holdsSentValues(resource, sent, record));
	if (ours.length === 1) return withResult(ours[0], 'created');

	const nodeError = asNodeError(context.getNode(), failure, itemIndex);
	const found =
		ours.length > 1
			? `${ours.length} ${resource.plural} with these values were created since (IDs ${ours.map((record) => String(record.id)).join(', ')}), so which one is this item’s cannot be told.`
			: `A lookup right after found no ${resource.singular} with these values created since then, so it was probably not stored.`;
	nodeError.message = `The answer to creating this ${resource.singular} was lost: SalesOS may or may not have stored it`;
	nodeError.description = `${found} Check in SalesOS (Get Many with Search = "${String(sent.name ?? '')}") before running this item again, or give ${resource.plural} an external ID (custom field external_id) so SalesOS refuses a duplicate and the node can retry safely. ${nodeError.description ?? ''}`.trim();
	throw nodeError;
}

/** Records created up to this long before our POST still count: SalesOS's clock may differ from n8n's. */
const LOST_CREATE_CLOCK_SKEW_MS = 5 * 60_000;

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
function matchesOnUniqueKey(resource: ResourceSpec, match: UpsertMatch): boolean {
	if (match.on === 'email') return resource.uniqueFields.includes('email');
	if (match.on === 'externalId') return resource.uniqueFields.includes(`${CUSTOM_FIELDS_API_NAME}.${match.key}`);
	return false;
}

/** Updates the record the chosen key matches (or leaves it unchanged), or creates it. */
export async function upsertRecord(
	context: IExecuteFunctions,
	resource: ResourceSpec,
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
		matchesOnUniqueKey(resource, match) &&
		(lookup === 'createFirst' || (lookup === 'auto' && outcomes.created > outcomes.existing));
	const record = createFirst
		? await createRecord(context, resource, itemIndex, body, 'update', marker)
		: await lookUpThenWrite(context, resource, itemIndex, body, match, marker);
	if (record.operationResult === 'created') outcomes.created++;
	else outcomes.existing++;
	return record;
}

async function lookUpThenWrite(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	itemIndex: number,
	body: IDataObject,
	match: UpsertMatch,
	marker: SyncMarker | undefined,
): Promise<IDataObject> {
	let existing: IDataObject | undefined;
	if (match.on === 'email') existing = await findByEmail(context, resource, String(body.email));
	else if (match.on === 'externalId') existing = await findByCustomField(context, resource, match.key, match.value);
	else existing = await findById(context, resource, match.id);

	if (existing) return await updateExisting(context, resource, existing, body, marker);
	// Another writer may create it between our lookup and our POST: the 409 then becomes an update.
	return await createRecord(context, resource, itemIndex, body, 'update', marker);
}
