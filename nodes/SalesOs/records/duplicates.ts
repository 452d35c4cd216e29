import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getSalesOsError, type SalesOsErrorInfo } from '../transport';
import { requestData } from '../execution/nodeRun';
import { listMatching, matchesQuery } from './filteredList';
import { CUSTOM_FIELDS_API_NAME } from './fieldCatalogue';
import type { ResourceSpec } from './specs';

/**
 * Finding the record a write collides with. SalesOS answers a duplicate create with 409; the
 * body may or may not carry `error.existing_id`, so without it the record is looked up by the
 * field the 409 names (email via `search`, a custom field via the `custom_fields.<key>` filter).
 */

function salesOsStatus(error: unknown): number | undefined {
	return getSalesOsError(error)?.status;
}

/** Resolves to undefined when SalesOS answers 404 (the record does not exist). */
async function unlessNotFound<T>(pending: Promise<T>): Promise<T | undefined> {
	return await pending.catch((error: unknown) => {
		if (salesOsStatus(error) === 404) return undefined;
		throw error;
	});
}

export async function findById(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	id: string,
): Promise<IDataObject | undefined> {
	return await unlessNotFound(
		requestData(context, { method: 'GET', path: `${resource.path}/${encodeURIComponent(id)}` }),
	);
}

/**
 * The first record matching `qs`, checked by the node itself: a SalesOS that ignores the
 * filter cannot make it pick a wrong record, and one that finds nothing in
 * MAX_RECORDS_SCANNED records stops the item rather than let it create a duplicate.
 */
async function findFirst(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	qs: IDataObject,
	exact: (record: IDataObject) => boolean,
): Promise<IDataObject | undefined> {
	const { records } = await listMatching(context, resource.path, qs, {
		returnAll: true,
		searchIn: resource.searchIn ?? [],
		plural: resource.plural,
		stopWhen: exact,
	});
	return records.find(exact);
}

/** `search` matches name, email and company as substrings; only an exact email match counts. */
export async function findByEmail(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	email: string,
): Promise<IDataObject | undefined> {
	const wanted = email.trim().toLowerCase();
	return await findFirst(context, resource, { search: email.trim() }, (record) => String(record.email ?? '').toLowerCase() === wanted);
}

export async function findByCustomField(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	key: string,
	value: unknown,
): Promise<IDataObject | undefined> {
	const parameter = `${CUSTOM_FIELDS_API_NAME}.${key}`;
	return await findFirst(context, resource, { [parameter]: String(value) }, matchesQuery({ [parameter]: String(value) }, []));
}

/** The unique field a 409 names, or every unique field the sent body carries when it names none. */
function conflictingFields(resource: ResourceSpec, info: SalesOsErrorInfo | undefined): string[] {
	const named = (info?.details ?? []).map((detail) => detail.field).filter((field): field is string => !!field);
	return named.length > 0 ? named : resource.uniqueFields;
}

/** How the lookup went, for an error message when nothing was found. */
export interface ConflictLookup {
	record?: IDataObject;
	triedBy: string[];
}

export async function findConflictingRecord(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	sent: IDataObject,
	info: SalesOsErrorInfo | undefined,
): Promise<ConflictLookup> {
	const triedBy: string[] = [];
	if (info?.existingId) {
		triedBy.push(`ID ${info.existingId}`);
		const record = await findById(context, resource, info.existingId);
		if (record) return { record, triedBy };
	}
	const customFields = (sent[CUSTOM_FIELDS_API_NAME] ?? {}) as IDataObject;
	for (const field of conflictingFields(resource, info)) {
		if (field === 'email' && typeof sent.email === 'string') {
			triedBy.push(`email ${sent.email}`);
			const record = await findByEmail(context, resource, sent.email);
			if (record) return { record, triedBy };
		}
		const prefix = `${CUSTOM_FIELDS_API_NAME}.`;
		if (field.startsWith(prefix)) {
			const key = field.slice(prefix.length);
			const value = customFields[key];
			if (value === undefined || value === null || value === '') continue;
			triedBy.push(`${field} = ${String(value)}`);
			const record = await findByCustomField(context, resource, key, value);
			if (record) return { record, triedBy };
		}
	}
	return { triedBy };
}
