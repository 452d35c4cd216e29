import type { IDataObject } from 'n8n-workflow';

import { MAX_PAGE_SIZE as PAGE_SIZE } from '../transport';

/**
 * Incremental "changes since the last poll" over an API that offers `updated_after` (inclusive),
 * one sort field and page/per_page paging, and nothing else.
 *
 * - Keyset paging: after each full page the next request starts again at page 1 from the last
 *   `updated_at` on it (minus 1 ms, so an API that reads `updated_after` as exclusive still
 *   returns the rest of that timestamp). Records edited or deleted meanwhile cannot shift later
 *   records past us, as page offsets would.
 * - A page holding nothing but one `updated_at` (a tie group larger than a page, e.g. after a
 *   bulk update) cannot move the keyset forward; the query goes on with overlapping windows
 *   (`per_page` varies so that each window starts before the previous one ended). A record that
 *   leaves the group meanwhile shifts the rest towards the start; the overlap shows by how much,
 *   and a shift larger than the overlap is noticed and the group is read again.
 * - Every (id, updated_at) handled is remembered while it is inside the lookback window, so
 *   re-reading the window (and the tie group at a page boundary) never emits a change twice.
 * - Should the API return one timestamp's records in a different order on each request, offsets
 *   cannot be trusted: the cursor then stays before that group and the next poll reads it again.
 */

/** Windows over a tie group overlap by at least this many records. */
const MIN_OVERLAP = 25;
/** Times one tie group is read again from its start after a shift larger than the overlap. */
const MAX_GROUP_RESTARTS = 3;
/**
 * Bounds the remembered keys should a burst of changes fall inside one lookback window: the
 * newest timestamps are kept until this many keys (a timestamp's ids are never split).
 */
export const MAX_REMEMBERED_CHANGES = 10_000;

/** What the poll trigger keeps in the workflow's static data between polls. */
export interface PollState {
	resource: string;
	/** Every change before this time has been read; absent: start at the oldest record. */
	cursor?: string;
	/** Changes before this time are never emitted (the chosen starting point). */
	since?: string;
	/** updated_at → ids handled with exactly that updated_at, for the lookback window before the cursor. */
	handled: Record<string, string[]>;
}

/** One page of a list query, with the query's record count (`meta.total`) when SalesOS sends it. */
export interface Page {
	records: IDataObject[];
	total?: number;
}

export interface PageRequest {
	updatedAfter?: string;
	page: number;
	perPage: number;
}

function timeMs(value: unknown): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}

const iso = (ms: number) => new Date(ms).toISOString();
const keyOf = (record: IDataObject) => `${String(record.id)}@${String(record.updated_at ?? '')}`;

export function readState(staticData: IDataObject, resource: string): PollState | undefined {
	const { resource: storedResource, cursor, since, handled } = staticData;
	// A cursor over leads says nothing about deals: a changed resource starts afresh.
	if (storedResource !== resource || typeof handled !== 'object' || handled === null) return undefined;
	return {
		resource,
		cursor: typeof cursor === 'string' ? cursor : undefined,
		since: typeof since === 'string' ? since : undefined,
		handled: handled as Record<string, string[]>,
	};
}

/** Top-level keys are reassigned (not mutated in place) so n8n notices the change and saves it. */
export function saveState(staticData: IDataObject, state: PollState): void {
	staticData.resource = state.resource;
	staticData.handled = state.handled;
	if (state.cursor === undefined) delete staticData.cursor;
	else staticData.cursor = state.cursor;
	if (state.since === undefined) delete staticData.since;
	else staticData.since = state.since;
}

/** The state before the first poll: from `startAt`, or from the oldest record when it is undefined. */
export function startState(resource: string, startAt: Date | undefined): PollState {
	if (startAt === undefined) return { resource, handled: {} };
	const start = startAt.toISOString();
	return { resource, cursor: start, since: start, handled: {} };
}

/**
 * The next window of a query after `readTo` records: a page/per_page pair whose range starts at
 * least MIN_OVERLAP records before `readTo` and reaches as far past it as possible.
 */
export function overlappingWindow(readTo: number): { page: number; perPage: number } {
	let best = { page: Math.floor(readTo / PAGE_SIZE) + 1, perPage: PAGE_SIZE, reach: 0 };
	for (let perPage = PAGE_SIZE; perPage > MIN_OVERLAP; perPage--) {
		const start = perPage * Math.floor((readTo - MIN_OVERLAP) / perPage);
		const reach = start + perPage - readTo;
		if (reach > best.reach) best = { page: start / perPage + 1, perPage, reach };
	}
	return { page: best.page, perPage: best.perPage };
}

/** A tie group being read with overlapping windows. */
interface TieGroup {
	/** The query's updated_after (the group's records are the first ones after those read before it). */
	updatedAfter?: string;
	/** Records of the query read so far, counted in its current order. */
	readTo: number;
	/** Keys read in this query: they come before every unread one while the order is stable. */
	keys: Set<string>;
	restarts: number;
}

/** One poll's walk over the changed records. */
class ChangeScan {
	/** New changes in the order read (skipped ones excluded). */
	readonly changes: IDataObject[] = [];

	private readonly handled = new Map<string, Set<string>>();
	private readonly sinceMs: number;
	private maxSeenMs = -Infinity;
	private group?: TieGroup;
	/** Start of the first tie group whose completeness could not be verified. */
	private unverifiedFromMs?: number;

	constructor(
		private readonly state: PollState,
		private readonly lookbackMs: number,
		private readonly skip: (record: IDataObject) => boolean = () => false,
	) {
		for (const [updatedAt, ids] of Object.entries(state.handled)) {
			if (Array.isArray(ids)) this.handled.set(updatedAt, new Set(ids));
		}
		this.sinceMs = timeMs(state.since) ?? -Infinity;
	}

	firstRequest(): PageRequest {
		const cursorMs = timeMs(this.state.cursor);
		if (cursorMs === undefined) return { page: 1, perPage: PAGE_SIZE };
		return { updatedAfter: iso(cursorMs - this.lookbackMs - 1), page: 1, perPage: PAGE_SIZE };
	}

	/** Takes one page; returns the next request, or undefined once every change was read. */
	takePage(request: PageRequest, { records, total }: Page): PageRequest | undefined {
		const group = this.group?.updatedAfter === request.updatedAfter ? this.group : undefined;
		const isWindow = group !== undefined && request.page > 1;
		if (isWindow) {
			const keys = records.map(keyOf);
			let lastKnown = keys.length - 1;
			while (lastKnown >= 0 && !group.keys.has(keys[lastKnown])) lastKnown--;
			if (lastKnown === -1) {
				// Everything read so far moved out of this window: records may lie in between.
				if (group.restarts < MAX_GROUP_RESTARTS) {
					group.restarts++;
					return { updatedAfter: group.updatedAfter, page: 1, perPage: PAGE_SIZE };
				}
				this.markUnverified(group);
			} else if (keys.slice(0, lastKnown).some((key) => !group.keys.has(key))) {
				// An unread record before a read one: this timestamp's order changes between requests.
				this.markUnverified(group);
			}
		}

		let firstMs = Infinity;
		let lastMs = -Infinity;
		const startMs = timeMs(request.updatedAfter) ?? -Infinity;
		for (const record of records) {
			const ms = timeMs(record.updated_at);
			if (ms !== undefined) {
				firstMs = Math.min(firstMs, ms);
				lastMs = Math.max(lastMs, ms);
			}
			// A SalesOS that ignores updated_after also returns older records: they are no changes.
			if (ms === undefined || ms >= startMs) this.take(record, ms);
		}
		this.maxSeenMs = Math.max(this.maxSeenMs, lastMs);

		const readTo = (request.page - 1) * request.perPage + records.length;
		// A short page, or SalesOS counted no records after this one: the query is read.
		if (records.length < request.perPage || (total !== undefined && readTo >= total)) return undefined;
		// Move the keyset to the page's last timestamp when that leaves records of this page behind
		// and starts later than this query.
		if (firstMs < lastMs && lastMs - 1 > startMs) {
			this.group = undefined;
			return { updatedAfter: iso(lastMs - 1), page: 1, perPage: PAGE_SIZE };
		}

		// The page shares one timestamp (moving the keyset to it would fetch this page again) or
		// cannot move the keyset: read on in the same query with overlapping windows.
		if (group) {
			group.readTo = readTo;
			for (const record of records) group.keys.add(keyOf(record));
		} else {
			this.group = { updatedAfter: request.updatedAfter, readTo, keys: new Set(records.map(keyOf)), restarts: 0 };
		}
		return { updatedAfter: request.updatedAfter, ...overlappingWindow(readTo) };
	}

	/** The state to keep for the next poll. */
	nextState(): PollState {
		const readUpToMs = Math.min(this.maxSeenMs, this.unverifiedFromMs ?? Infinity);
		const cursorMs = Math.max(timeMs(this.state.cursor) ?? -Infinity, readUpToMs);
		const cursor = Number.isFinite(cursorMs) ? iso(cursorMs) : this.state.cursor;
		return { ...this.state, cursor, handled: this.rememberedFrom(cursorMs - this.lookbackMs - 1) };
	}

	private take(record: IDataObject, ms: number | undefined): void {
		const id = String(record.id);
		const updatedAt = String(record.updated_at ?? '');
		if ((ms ?? Infinity) < this.sinceMs || this.handled.get(updatedAt)?.has(id)) return;
		this.handled.set(updatedAt, (this.handled.get(updatedAt) ?? new Set()).add(id));
		if (!this.skip(record)) this.changes.push(record);
	}

	private markUnverified(group: TieGroup): void {
		const fromMs = timeMs(group.updatedAfter) ?? -Infinity;
		this.unverifiedFromMs = Math.min(this.unverifiedFromMs ?? Infinity, fromMs);
	}

	/** Keys the next poll can still read again (updated_at at or after its query start), newest kept first. */
	private rememberedFrom(fromMs: number): Record<string, string[]> {
		const kept = [...this.handled.entries()]
			.filter(([updatedAt]) => (timeMs(updatedAt) ?? -Infinity) >= fromMs)
			.sort(([a], [b]) => (timeMs(b) ?? 0) - (timeMs(a) ?? 0));
		const remembered: Record<string, string[]> = {};
		let count = 0;
		for (const [updatedAt, ids] of kept) {
			if (count >= MAX_REMEMBERED_CHANGES) break;
			remembered[updatedAt] = [...ids];
			count += ids.size;
		}
		return remembered;
	}
}

export interface ScanOptions {
	lookbackMs: number;
	/** Records to pass over without emitting them (e.g. this integration's own writes). */
	skip?: (record: IDataObject) => boolean;
	/** Asked after each page that leaves more to read; true leaves the rest for the next poll. */
	stopEarly?: (changesSoFar: number) => boolean;
}

/** Reads the changes since `state` through `fetchPage`; returns them (oldest first) and the state to keep. */
export async function scanChanges(
	state: PollState,
	fetchPage: (request: PageRequest) => Promise<Page>,
	{ lookbackMs, skip, stopEarly = () => false }: ScanOptions,
): Promise<{ changes: IDataObject[]; nextState: PollState }> {
	const scan = new ChangeScan(state, lookbackMs, skip);
	let request: PageRequest | undefined = scan.firstRequest();
	while (request !== undefined) {
		request = scan.takePage(request, await fetchPage(request));
		if (request !== undefined && stopEarly(scan.changes.length)) break;
	}
	return { changes: [...scan.changes].sort(byUpdatedAtThenId), nextState: scan.nextState() };
}

/** Output order: by updated_at, then id. */
export function byUpdatedAtThenId(a: IDataObject, b: IDataObject): number {
	const difference = (timeMs(a.updated_at) ?? 0) - (timeMs(b.updated_at) ?? 0);
	if (difference !== 0) return difference;
	return String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
}
