// List endpoints: filters, custom_fields.<key> match, search, sort, page/per_page, list envelope.
import { meta, validationError, type FieldError, type RequestContext, type SandboxResponse } from './http';
import type { SandboxSettings } from './types';

/** Parses the raw query value (throws a message when bad) into a record predicate. */
export type Filter<T> = (raw: string) => (record: T) => boolean;

export interface ListSpec<T> {
	filters: Record<string, Filter<T>>;
	sortable: readonly string[];
	/** Values `search` matches (case-insensitive substring). */
	searchIn: (record: T) => Array<string | null | undefined>;
	/** Records with custom_fields support the `custom_fields.<key>=<value>` filter. */
	customFields?: (record: T) => Record<string, unknown>;
}

export const equals =
	<T>(get: (record: T) => unknown): Filter<T> =>
	(raw) =>
	(record) =>
		get(record) === raw;

export const enumFilter =
	<T>(values: readonly string[], get: (record: T) => unknown): Filter<T> =>
	(raw) => {
		if (!values.includes(raw)) throw new Error(`must be one of: ${values.join(', ')}`);
		return (record) => get(record) === raw;
	};

/** Inclusive bound on an ISO timestamp field (stored as toISOString(), so strings compare). */
export const timeBound =
	<T>(get: (record: T) => string, bound: 'min' | 'max'): Filter<T> =>
	(raw) => {
		const ms = Date.parse(raw);
		if (Number.isNaN(ms)) throw new Error('must be an ISO 8601 date-time');
		const iso = new Date(ms).toISOString();
		return bound === 'min' ? (record) => get(record) >= iso : (record) => get(record) <= iso;
	};

/** Inclusive bound on a YYYY-MM-DD field; records without a date never match. */
export const dateBound =
	<T>(get: (record: T) => string | null, bound: 'min' | 'max'): Filter<T> =>
	(raw) => {
		const ms = Date.parse(raw);
		if (Number.isNaN(ms)) throw new Error('must be a date (YYYY-MM-DD)');
		const day = new Date(ms).toISOString().slice(0, 10);
		return (record) => {
			const value = get(record);
			return value !== null && (bound === 'min' ? value >= day : value <= day);
		};
	};

export const numberBound =
	<T>(get: (record: T) => number, bound: 'min' | 'max'): Filter<T> =>
	(raw) => {
		const limit = Number(raw);
		if (raw.trim() === '' || !Number.isFinite(limit)) throw new Error('must be a number');
		return bound === 'min' ? (record) => get(record) >= limit : (record) => get(record) <= limit;
	};

const CUSTOM_FIELD_PARAM = /^custom_fields(?:\.(.+)|\[(.+)\])$/;

function positiveInteger(raw: string | null, field: string, errors: FieldError[]): number | undefined {
	if (raw === null) return undefined;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) {
		errors.push({ field, message: 'must be a whole number >= 1' });
		return undefined;
	}
	return value;
}

type Comparator<T> = (a: T, b: T) => number;

function comparatorFor<T>(sort: string, sortable: readonly string[], errors: FieldError[]): Comparator<T> | undefined {
	const keys = sort.split(',').map((key) => key.trim()).filter(Boolean);
	const parts: Comparator<T>[] = [];
	for (const key of keys) {
		const descending = key.startsWith('-');
		const field = descending ? key.slice(1) : key;
		if (!sortable.includes(field)) {
			errors.push({ field: 'sort', message: `cannot sort by "${field}"; use one of: ${sortable.join(', ')} (prefix - for descending)` });
			return undefined;
		}
		const direction = descending ? -1 : 1;
		const path = field.split('.');
		const get = (record: T) => path.reduce<any>((value, segment) => value?.[segment], record);
		parts.push((a, b) => {
			const x = get(a);
			const y = get(b);
			if (x === y) return 0;
			// Missing values sort last in both directions.
			if (x === null || x === undefined) return 1;
			if (y === null || y === undefined) return -1;
			return (x < y ? -1 : 1) * direction;
		});
	}
	return (a, b) => {
		for (const compare of parts) {
			const result = compare(a, b);
			if (result !== 0) return result;
		}
		return 0;
	};
}

/**
 * Filters, sorts (stable: ties keep creation order) and pages `records`. Unknown query
 * parameters are ignored; bad values of known ones → 422 listing each.
 */
export function listResponse<T>(
	ctx: RequestContext,
	records: Iterable<T>,
	spec: ListSpec<T>,
	settings: SandboxSettings,
): SandboxResponse {
	const errors: FieldError[] = [];
	const predicates: Array<(record: T) => boolean> = [];
	const ignored = new Set(settings.ignoredListFilters);
	for (const [param, filter] of Object.entries(spec.filters)) {
		if (ignored.has(param)) continue;
		const raw = ctx.query.get(param);
		if (raw === null || raw === '') continue;
		try {
			predicates.push(filter(raw));
		} catch (error) {
			errors.push({ field: param, message: (error as Error).message });
		}
	}
	const search = ignored.has('search') ? undefined : ctx.query.get('search')?.trim().toLowerCase();
	if (search) {
		predicates.push((record) => spec.searchIn(record).some((value) => !!value && value.toLowerCase().includes(search)));
	}
	if (spec.customFields && !ignored.has('custom_fields')) {
		const customFields = spec.customFields;
		for (const [param, raw] of ctx.query) {
			const match = CUSTOM_FIELD_PARAM.exec(param);
			if (!match) continue;
			const key = match[1] ?? match[2];
			// Query values are strings: a stored number or boolean matches its string form.
			predicates.push((record) => {
				const value = customFields(record)[key];
				return value !== undefined && value !== null && String(value) === raw;
			});
		}
	}

	const page = positiveInteger(ctx.query.get('page'), 'page', errors) ?? 1;
	let perPage = positiveInteger(ctx.query.get('per_page'), 'per_page', errors) ?? settings.perPageDefault;
	if (perPage > settings.perPageMax) {
		if (settings.perPageOverMax === 'reject') {
			errors.push({ field: 'per_page', message: `must be at most ${settings.perPageMax}` });
		}
		perPage = settings.perPageMax;
	}
	const sort = ctx.query.get('sort');
	const comparator = sort ? comparatorFor<T>(sort, spec.sortable, errors) : undefined;
	if (errors.length) throw validationError(errors, 'Invalid query parameters');

	const matching: T[] = [];
	for (const record of records) if (predicates.every((test) => test(record))) matching.push(record);
	if (comparator) matching.sort(comparator);
	const start = (page - 1) * perPage;
	return {
		status: 200,
		body: {
			data: matching.slice(start, start + perPage),
			meta: meta(ctx.requestId, {
				total: matching.length,
				page,
				per_page: perPage,
				total_pages: Math.ceil(matching.length / perPage),
			}),
		},
	};
}
