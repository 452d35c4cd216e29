import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { request } from '../execution/nodeRun';
import { pageSizeFor, readPages } from '../transport';
import { CUSTOM_FIELDS_API_NAME } from './fieldCatalogue';

/**
 * List requests whose filters the node checks itself. The contract only assumes some filters
 * (`custom_fields.<key>`, `updated_after`), and a SalesOS that does not know a query parameter
 * ignores it and returns every record. So every record is checked against the filter asked
 * for; when the API evidently ignored it, the node pages on and filters itself, up to
 * MAX_RECORDS_SCANNED records, and past that stops with a message naming the filter.
 */
export const MAX_RECORDS_SCANNED = 10_000;

/** Query parameters that are not filters. */
const NOT_FILTERS = new Set(['page', 'per_page', 'sort']);

const asTime = (value: unknown) => Date.parse(String(value ?? ''));

/** Whether `record` satisfies one list filter as the contract defines it (undefined: not checkable here). */
function satisfies(record: IDataObject, parameter: string, wanted: unknown, searchIn: string[]): boolean | undefined {
	const text = String(wanted);
	if (parameter.startsWith(`${CUSTOM_FIELDS_API_NAME}.`)) {
		const key = parameter.slice(CUSTOM_FIELDS_API_NAME.length + 1);
		const value = (record[CUSTOM_FIELDS_API_NAME] as IDataObject | undefined)?.[key];
		return value !== undefined && value !== null && String(value) === text;
	}
	switch (parameter) {
		case 'search':
			if (searchIn.length === 0) return undefined;
			return searchIn.some((field) => String(record[field] ?? '').toLowerCase().includes(text.trim().toLowerCase()));
		case 'updated_after':
		case 'created_after':
			return asTime(record[parameter.replace('_after', '_at')]) >= asTime(text);
		case 'created_before':
			return asTime(record.created_at) <= asTime(text);
		case 'stage_id':
			return String((record.stage as IDataObject | undefined)?.id ?? record.stage_id) === text;
		default: {
			const value = record[parameter];
			if (value === undefined || (value !== null && typeof value === 'object')) return undefined;
			return String(value) === text;
		}
	}
}

/** A predicate checking every filter of `qs` that a record shows (search in the given fields). */
export function matchesQuery(qs: IDataObject, searchIn: string[]): (record: IDataObject) => boolean {
	const filters = Object.entries(qs).filter(
		([parameter, value]) => !NOT_FILTERS.has(parameter) && value !== undefined && value !== null && value !== '',
	);
	return (record) => filters.every(([parameter, value]) => satisfies(record, parameter, value, searchIn) !== false);
}

export interface FilteredList {
	records: IDataObject[];
	/** Records SalesOS returned that did not match: it ignored (part of) the filter. */
	ignoredFilter: boolean;
	scanned: number;
}

/**
 * Pages through `path` with `qs` until `limit` matching records (or all) are in. Records that
 * do not match are dropped; past MAX_RECORDS_SCANNED records the node stops with an error.
 */
export async function listMatching(
	context: IExecuteFunctions,
	path: string,
	qs: IDataObject,
	options: {
		returnAll: boolean;
		limit?: number;
		searchIn: string[];
		plural: string;
		itemIndex?: number;
		/** Stop paging at the first matching record for which this is true (a lookup found its record). */
		stopWhen?: (record: IDataObject) => boolean;
	},
): Promise<FilteredList> {
	const wanted = options.returnAll ? Infinity : (options.limit ?? 50);
	const matches = matchesQuery(qs, options.searchIn);
	const result: FilteredList = { records: [], ignoredFilter: false, scanned: 0 };
	await readPages(
		async (paging) => await request(context, { method: 'GET', path, qs: { ...qs, ...paging }, itemIndex: options.itemIndex }),
		pageSizeFor(wanted),
		{
			wantsMore: () => {
				if (result.records.length >= wanted) return false;
				if (result.ignoredFilter && result.scanned >= MAX_RECORDS_SCANNED) {
					throw filterIgnoredError(context, qs, options, result.scanned);
				}
				return true;
			},
			take: (page) => {
				result.scanned += page.length;
				for (const record of page) {
					if (!matches(record)) result.ignoredFilter = true;
					else if (result.records.length < wanted) {
						result.records.push(record);
						if (options.stopWhen?.(record)) return false;
					}
				}
				return true;
			},
		},
	);
	return result;
}

function filterIgnoredError(
	context: IExecuteFunctions,
	qs: IDataObject,
	options: { plural: string; itemIndex?: number },
	scanned: number,
): NodeOperationError {
	const filters = Object.keys(qs).filter((parameter) => !NOT_FILTERS.has(parameter));
	const message = `SalesOS ignored the filter ${filters.join(', ')}: it returned ${options.plural} that do not match`;
	const error = new NodeOperationError(context.getNode(), message, {
		itemIndex: options.itemIndex,
		description: `The node filtered the ${options.plural} itself and stopped after ${scanned.toLocaleString('en-US')} of them (the most it pages through) rather than return a wrong or incomplete answer. This SalesOS does not support the filter: narrow the list with filters it supports (status, owner, dates), or ask SalesOS to support it.`,
	});
	error.context.salesOs = {
		status: 200,
		code: 'FILTER_NOT_SUPPORTED',
		message,
		details: filters.map((field) => ({ field, message: 'ignored by SalesOS' })),
	} as unknown as JsonObject;
	return error;
}
