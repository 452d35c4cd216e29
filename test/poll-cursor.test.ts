/**
 * The poll trigger's paging and cursor logic against conditions the sandbox cannot produce on
 * demand: records edited and deleted between any two page requests, bulk edits that give hundreds
 * of records one updated_at, and an API that returns equal timestamps in a different order on
 * every request. The list below follows the SalesOS list contract (updated_after inclusive, one
 * sort field, page/per_page) and nothing more. End-to-end polls over HTTP are in
 * poll-trigger.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	MAX_REMEMBERED_CHANGES,
	overlappingWindow,
	scanChanges,
	startState,
	type Page,
	type PageRequest,
	type PollState,
} from '../nodes/SalesOs/trigger/pollCursor';

/** Deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const BASE = Date.parse('2024-05-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const key = (record: IDataObject) => `${String(record.id)}@${String(record.updated_at)}`;

class ChangingList {
	/** id → updated_at (ms); Map order is the tie order when it is stable. */
	readonly records = new Map<string, number>();
	clock = BASE;
	requests = 0;
	betweenPages: () => void = () => {};

	constructor(
		private readonly tieOrder: 'stable' | 'shuffled',
		private readonly rng: () => number,
	) {}

	/** updated_at of a batch edit: every record in it gets the same timestamp, like a bulk update. */
	edit(ids: string[], sameTime = true): void {
		if (sameTime) this.clock += 1;
		for (const id of ids) {
			if (!sameTime) this.clock += 1;
			this.records.delete(id); // re-insert: a stable tie order follows last write
			this.records.set(id, this.clock);
		}
	}

	remove(id: string): void {
		this.records.delete(id);
	}

	states(): string[] {
		return [...this.records].map(([id, ms]) => `${id}@${iso(ms)}`);
	}

	async fetch(request: PageRequest): Promise<Page> {
		this.requests++;
		this.betweenPages();
		const from = request.updatedAfter === undefined ? -Infinity : Date.parse(request.updatedAfter);
		const matching = [...this.records].filter(([, ms]) => ms >= from);
		if (this.tieOrder === 'shuffled') {
			for (let i = matching.length - 1; i > 0; i--) {
				const j = Math.floor(this.rng() * (i + 1));
				[matching[i], matching[j]] = [matching[j], matching[i]];
			}
		}
		// Array.prototype.sort is stable: equal timestamps keep insertion (or shuffled) order.
		matching.sort(([, a], [, b]) => a - b);
		const start = (request.page - 1) * request.perPage;
		const records = matching
			.slice(start, start + Math.min(request.perPage, 100))
			.map(([id, ms]) => ({ id, updated_at: iso(ms) }));
		return { records, total: matching.length };
	}
}

interface Scenario {
	tieOrder: 'stable' | 'shuffled';
	/** heavy: bulk edits of 120 records between page requests; light: a few single edits and deletions. */
	churn: 'heavy' | 'light';
	seed: number;
	/** Quiet polls allowed at the end for the scan to settle. */
	quietPolls: number;
}

async function runScenario({ tieOrder, churn, seed, quietPolls }: Scenario) {
	const rng = random(seed);
	const list = new ChangingList(tieOrder, rng);
	const ids = Array.from({ length: 1000 }, (_, i) => `rec-${String(i).padStart(4, '0')}`);
	// 1,000 records: two large tie groups that straddle page boundaries, the rest 1 ms apart.
	list.edit(ids.slice(0, 250));
	list.edit(ids.slice(250, 580));
	list.edit(ids.slice(580), false);

	const emitted: string[] = [];
	/** States that existed for the whole of at least one poll: each must be emitted. */
	const mustEmit = new Set<string>();
	const pickIds = (count: number) =>
		Array.from({ length: count }, () => [...list.records.keys()][Math.floor(rng() * list.records.size)]);

	let state: PollState = startState('lead', undefined);
	const poll = async (editDuringScan: boolean) => {
		list.clock += 60_000; // polls are a minute apart
		const before = new Set(list.states());
		list.betweenPages = () => {
			if (!editDuringScan) return;
			// Between page requests: bulk edits (one timestamp), single edits, deletions.
			if (churn === 'heavy' && rng() < 0.3) list.edit(pickIds(120));
			if (rng() < 0.6) list.edit(pickIds(3), false);
			if (rng() < 0.2) list.remove(pickIds(1)[0]);
		};
		const { changes, nextState } = await scanChanges(state, (request) => list.fetch(request), { lookbackMs: 50 });
		state = nextState;
		emitted.push(...changes.map(key));
		for (const state of list.states()) if (before.has(state)) mustEmit.add(state);
		return changes.length;
	};

	for (let round = 0; round < 5; round++) {
		await poll(true);
		// Between polls: another bulk edit straddling pages, and scattered edits.
		list.edit(pickIds(150));
		list.edit(pickIds(40), false);
	}
	for (let quiet = 0; quiet < quietPolls; quiet++) await poll(false);
	const finalStates = list.states();
	const requestsBefore = list.requests;
	const lastPollChanges = await poll(false);
	return { emitted, mustEmit, finalStates, lastPollChanges, lastPollRequests: list.requests - requestsBefore };
}

function duplicatesIn(values: string[]): string[] {
	const seen = new Set<string>();
	return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

describe('poll cursor: every change exactly once', () => {
	const missingFrom = (emitted: string[], expected: Iterable<string>) => {
		const emittedSet = new Set(emitted);
		return [...expected].filter((state) => !emittedSet.has(state));
	};

	test.each([11, 23, 47, 90])('edits and deletions between page requests (seed %i)', async (seed) => {
		const result = await runScenario({ tieOrder: 'stable', churn: 'light', seed, quietPolls: 1 });
		expect(duplicatesIn(result.emitted)).toEqual([]);
		// Every state that stayed current through a whole poll was emitted by it, and every final one.
		expect(missingFrom(result.emitted, result.mustEmit)).toEqual([]);
		expect(missingFrom(result.emitted, result.finalStates)).toEqual([]);
		// Settled: nothing new; the cost is re-reading the lookback window only (the last 190
		// changes: one bulk edit of 150 with one timestamp, then 40 single edits).
		expect(result.lastPollChanges).toBe(0);
		expect(result.lastPollRequests).toBeLessThanOrEqual(5);
	});

	test.each([5, 8])('bulk edits of 120 records between page requests (seed %i)', async (seed) => {
		const result = await runScenario({ tieOrder: 'stable', churn: 'heavy', seed, quietPolls: 1 });
		expect(duplicatesIn(result.emitted)).toEqual([]);
		expect(missingFrom(result.emitted, result.mustEmit)).toEqual([]);
		expect(missingFrom(result.emitted, result.finalStates)).toEqual([]);
		expect(result.lastPollChanges).toBe(0);
	});

	test('equal timestamps in a different order on every request: nothing lost, nothing doubled', async () => {
		const result = await runScenario({ tieOrder: 'shuffled', churn: 'light', seed: 5, quietPolls: 25 });
		expect(duplicatesIn(result.emitted)).toEqual([]);
		expect(missingFrom(result.emitted, result.finalStates)).toEqual([]);
	});

	test('windows over a tie group always overlap and always advance', () => {
		const bad: number[] = [];
		for (let readTo = 100; readTo <= 20_000; readTo++) {
			const { page, perPage } = overlappingWindow(readTo);
			const start = (page - 1) * perPage;
			if (perPage > 100 || readTo - start < 25 || start + perPage <= readTo + 20) bad.push(readTo);
		}
		expect(bad).toEqual([]);
	});

	test('an API that reads updated_after as exclusive still returns the rest of a tie group', async () => {
		const list = new ChangingList('stable', random(1));
		const ids = Array.from({ length: 230 }, (_, i) => `tie-${i}`);
		list.edit(ids);
		const exclusiveFetch = async (request: PageRequest) => {
			const after = request.updatedAfter === undefined ? -Infinity : Date.parse(request.updatedAfter);
			const { records } = await list.fetch({ ...request, updatedAfter: request.updatedAfter && iso(after + 1) });
			// Without meta.total: the cursor then learns the end of a query from a short page.
			return { records: records.filter((record) => Date.parse(String(record.updated_at)) > after) };
		};
		const { changes, nextState } = await scanChanges(startState('lead', undefined), exclusiveFetch, {
			lookbackMs: 0,
		});
		expect(new Set(changes.map(key)).size).toBe(230);
		list.edit(['tie-5']);
		const second = await scanChanges(nextState, exclusiveFetch, { lookbackMs: 0 });
		expect(second.changes.map(key)).toEqual([`tie-5@${iso(list.clock)}`]);
	});
});

describe('poll cursor: state', () => {
	test('the cursor never moves back and only the lookback window is remembered', async () => {
		const list = new ChangingList('stable', random(2));
		list.edit(['a', 'b', 'c'], false);
		const first = await scanChanges(startState('deal', undefined), (r) => list.fetch(r), { lookbackMs: 0 });
		expect(first.nextState.cursor).toBe(iso(list.clock));
		// a (clock-2) is before cursor - lookback - 1 ms, never read again; b and c can be.
		expect(Object.values(first.nextState.handled).flat().sort()).toEqual(['b', 'c']);
		const second = await scanChanges(first.nextState, (r) => list.fetch(r), { lookbackMs: 0 });
		expect(second.changes).toEqual([]);
		expect(second.nextState.cursor).toBe(first.nextState.cursor);
	});

	test('a start time hides earlier changes inside the lookback window', async () => {
		const list = new ChangingList('stable', random(3));
		list.edit(['before'], false);
		const start = new Date(list.clock + 1);
		list.clock += 5;
		list.edit(['after'], false);
		const { changes } = await scanChanges(startState('lead', start), (r) => list.fetch(r), { lookbackMs: 60_000 });
		expect(changes.map((c) => c.id)).toEqual(['after']);
	});

	test('stopping early leaves the rest for the next poll without losing or repeating any', async () => {
		const list = new ChangingList('stable', random(4));
		list.edit(Array.from({ length: 450 }, (_, i) => `s-${i}`), false);
		let state = startState('lead', undefined);
		const seen: string[] = [];
		for (let poll = 0; poll < 6; poll++) {
			const result = await scanChanges(state, (r) => list.fetch(r), {
				lookbackMs: 10,
				stopEarly: (count) => count >= 150,
			});
			seen.push(...result.changes.map(key));
			state = result.nextState;
		}
		expect(seen).toHaveLength(450);
		expect(duplicatesIn(seen)).toEqual([]);
	});

	test('the remembered keys stay bounded, newest timestamps first', async () => {
		const list = new ChangingList('stable', random(6));
		const groups = MAX_REMEMBERED_CHANGES / 100 + 20;
		for (let group = 0; group < groups; group++) {
			list.edit(Array.from({ length: 100 }, (_, i) => `g${group}-${i}`));
		}
		const { changes, nextState } = await scanChanges(startState('lead', undefined), (r) => list.fetch(r), {
			lookbackMs: 60_000,
		});
		expect(changes).toHaveLength(groups * 100);
		const remembered = Object.entries(nextState.handled);
		expect(remembered.flatMap(([, ids]) => ids)).toHaveLength(MAX_REMEMBERED_CHANGES);
		expect(remembered.map(([at]) => at).sort()[0]).toBe(iso(BASE + 21));
	});
});
