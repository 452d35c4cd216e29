/**
 * SalesOS Poll Trigger end to end: each poll runs the node in a real n8n-core PollContext (one
 * Workflow and static data across polls, as in an active workflow) and pages the sandbox's
 * /v1/leads and /v1/deals over real HTTP.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PollRunner, TestCredentialsHelper } from './helpers/engine';
import { sandboxClientCredentials } from './helpers/sandboxCredentials';
import { STAGES, startSandbox, type Lead, type Sandbox } from './sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

function pollRunner(parameters: INodeParameters, typeVersion?: number): PollRunner {
	return new PollRunner({
		node: { type: 'salesOsPollTrigger', parameters, typeVersion },
		credentials: new TestCredentialsHelper({ salesOsClientCredentialsApi: sandboxClientCredentials(sandbox) }),
	});
}

const key = (record: IDataObject) => `${String(record.id)}@${String(record.updated_at)}`;
const leadStates = () => new Set([...sandbox.state.leads.values()].map((lead) => key(lead as unknown as IDataObject)));
const leadIds = () => [...sandbox.state.leads.values()].map((lead) => lead.id);
const emittedBy = (output: Awaited<ReturnType<PollRunner['poll']>>) => (output?.[0] ?? []).map((item) => item.json);
const leadRequests = () => sandbox.requestCount('GET /v1/leads');
/** Requests of a quiet poll by the size of a tie group in the lookback window (README, Poll Trigger). */
const QUIET_POLL_COST_WITH_BULK_EDIT = { 100: 1, 150: 2, 250: 4 };

/** A timestamp after every one SalesOS has handed out: a bulk write that gives many records one updated_at. */
const nextBulkTime = () => sandbox.state.clock.now();

function sample<T>(values: T[], count: number, random: () => number): T[] {
	return Array.from({ length: count }, () => values[Math.floor(random() * values.length)]);
}

function seeded(seed: number) {
	return () => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	};
}

function duplicatesIn(values: string[]): string[] {
	const seen = new Set<string>();
	return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

describe('every change exactly once', () => {
	test('1,000 records changed across 5 polls: ties across page boundaries, edits and deletions during polls', async () => {
		const random = seeded(7);
		const runner = pollRunner({ resource: 'lead', startFrom: 'allRecords' });
		sandbox.updateSettings({ latencyMs: 5 });

		const edit = (ids: string[], updatedAt?: string) => {
			for (const id of new Set(ids)) {
				if (sandbox.state.leads.get(id)) {
					sandbox.mutate({ resource: 'leads', id, changes: { company: `Co ${random()}` }, updatedAt });
				}
			}
		};
		/** Between page requests of a running poll: bulk edits with one timestamp, single edits, a deletion. */
		const editWhilePolling = async (done: () => boolean) => {
			let seenRequests = leadRequests();
			while (!done()) {
				await new Promise((resolve) => setTimeout(resolve, 1));
				if (leadRequests() === seenRequests) continue;
				seenRequests = leadRequests();
				const ids = leadIds();
				if (random() < 0.3) edit(sample(ids, 30, random), nextBulkTime());
				edit(sample(ids, 2, random));
				if (random() < 0.2) sandbox.mutate({ resource: 'leads', op: 'delete', id: sample(ids, 1, random)[0] });
			}
		};
		// Changes made between polls: tie groups larger than a page, then ordinary writes.
		const betweenPolls = [
			() => {
				sandbox.seed({ resource: 'leads', count: 250, sameUpdatedAt: nextBulkTime() });
				sandbox.seed({ resource: 'leads', count: 50 });
			},
			() => {
				sandbox.seed({ resource: 'leads', count: 230, sameUpdatedAt: nextBulkTime() });
				edit(sample(leadIds(), 40, random));
			},
			() => {
				sandbox.seed({ resource: 'leads', count: 150 });
				edit(sample(leadIds(), 120, random), nextBulkTime());
			},
			() => {
				sandbox.seed({ resource: 'leads', count: 199, sameUpdatedAt: nextBulkTime() });
				for (const id of new Set(sample(leadIds(), 10, random))) sandbox.mutate({ resource: 'leads', op: 'delete', id });
			},
			() => {
				sandbox.seed({ resource: 'leads', count: 121 });
				edit(sample(leadIds(), 60, random));
			},
		];

		const emitted: string[] = [];
		/** States current from the start to the end of a poll: that poll must have emitted them. */
		const mustEmit = new Set<string>();
		/** Every state seen: at poll starts and ends, and each edit (webhook events carry the record). */
		const everExisted = new Set<string>();
		const poll = async (editDuringPoll: boolean) => {
			const before = leadStates();
			for (const state of before) everExisted.add(state);
			let finished = false;
			const [output] = await Promise.all([
				runner.poll().finally(() => (finished = true)),
				editDuringPoll ? editWhilePolling(() => finished) : undefined,
			]);
			emitted.push(...emittedBy(output).map(key));
			for (const state of leadStates()) if (before.has(state)) mustEmit.add(state);
		};

		for (const changes of betweenPolls) {
			changes();
			await poll(true);
		}
		const editsDuringPolls = sandbox.emittedEvents('lead.updated').length;
		await poll(false); // quiet: picks up what the last poll's own edits changed
		expect(editsDuringPolls).toBeGreaterThan(100);

		const emittedStates = new Set(emitted);
		expect(duplicatesIn(emitted)).toEqual([]);
		expect([...mustEmit].filter((state) => !emittedStates.has(state))).toEqual([]);
		expect([...leadStates()].filter((state) => !emittedStates.has(state))).toEqual([]);
		// 1,000 records plus their edits; nothing invented.
		expect(emitted.length).toBeGreaterThan(1000);
		for (const event of sandbox.emittedEvents()) everExisted.add(key(event.data as IDataObject));
		expect(emitted.filter((state) => !everExisted.has(state))).toEqual([]);
	});

	test('items come oldest change first, ties by id', async () => {
		const runner = pollRunner({ resource: 'lead', startFrom: 'allRecords' });
		sandbox.seed({ resource: 'leads', count: 30, sameUpdatedAt: nextBulkTime() });
		sandbox.seed({ resource: 'leads', count: 30 });
		const items = emittedBy(await runner.poll());
		const sorted = [...items].sort(
			(a, b) =>
				Date.parse(String(a.updated_at)) - Date.parse(String(b.updated_at)) ||
				String(a.id).localeCompare(String(b.id)),
		);
		expect(items.map((item) => item.id)).toEqual(sorted.map((item) => item.id));
		expect(items).toHaveLength(60);
	});
});

describe('cost grows with the changes, not with the CRM', () => {
	test('a poll with no changes makes one request, whatever the number of records', async () => {
		sandbox.seed({ resource: 'leads', count: 3000, sameUpdatedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() });
		const runner = pollRunner({ resource: 'lead' }); // Start From: Now (default)

		let before = leadRequests();
		expect(await runner.poll()).toBeNull(); // activation: remembers "now", asks nothing
		expect(leadRequests() - before).toBe(0);

		before = leadRequests();
		expect(await runner.poll()).toBeNull();
		expect(leadRequests() - before).toBe(1);

		const changed = sample(leadIds(), 3, seeded(1)).map(
			(id) => sandbox.mutate({ resource: 'leads', id, changes: { status: 'contacted' } }) as IDataObject,
		);
		before = leadRequests();
		expect(emittedBy(await runner.poll()).map(key).sort()).toEqual(changed.map(key).sort());
		expect(leadRequests() - before).toBe(1);

		before = leadRequests();
		expect(await runner.poll()).toBeNull();
		expect(leadRequests() - before).toBe(1);
	});

	test('a quiet poll while the lookback window holds a bulk edit (100 or more records with one updated_at)', async () => {
		const costs: Record<number, number> = {};
		for (const size of [100, 150, 250]) {
			sandbox.reset();
			sandbox.seed({ resource: 'leads', count: size, sameUpdatedAt: new Date(Date.now() - 10_000).toISOString() });
			const runner = pollRunner({ resource: 'lead', startFrom: 'allRecords' });
			expect(emittedBy(await runner.poll())).toHaveLength(size);
			const before = leadRequests();
			expect(await runner.poll()).toBeNull();
			costs[size] = leadRequests() - before;
		}
		// per_page is at most 100, so a group of 100+ is read with overlapping windows (25 records overlap).
		expect(costs).toEqual(QUIET_POLL_COST_WITH_BULK_EDIT);
	});
});

describe('start and test runs', () => {
	test('Start From: Now skips existing records; Since Date starts at the date', async () => {
		sandbox.seed({ resource: 'leads', count: 5, sameUpdatedAt: '2024-01-01T00:00:00.000Z' });
		sandbox.seed({ resource: 'leads', count: 4, sameUpdatedAt: '2024-03-01T00:00:00.000Z' });

		const fromNow = pollRunner({ resource: 'lead', startFrom: 'now' });
		expect(await fromNow.poll()).toBeNull();
		expect(await fromNow.poll()).toBeNull();

		const fromDate = pollRunner({ resource: 'lead', startFrom: 'sinceDate', sinceDate: '2024-02-01T00:00:00Z' });
		expect(emittedBy(await fromDate.poll())).toHaveLength(4);
		expect(await fromDate.poll()).toBeNull();
	});

	test('Since Date that is not a date fails with a clear message', async () => {
		const runner = pollRunner({ resource: 'lead', startFrom: 'sinceDate', sinceDate: 'next tuesday' });
		await expect(runner.poll()).rejects.toThrow('Since Date "next tuesday" is not a date');
	});

	test('a manual test run shows the latest changes and leaves the saved position alone', async () => {
		const runner = pollRunner({ resource: 'lead', startFrom: 'allRecords' });
		sandbox.seed({ resource: 'leads', count: 40 });
		expect(emittedBy(await runner.poll())).toHaveLength(40);
		const latest = sandbox.mutate({ resource: 'leads', id: leadIds()[3], changes: { status: 'qualified' } }) as IDataObject;
		const saved = JSON.parse(JSON.stringify(runner.staticData)) as IDataObject;
		runner.workflow.staticData.__dataChanged = false;

		const test = emittedBy(await runner.poll('manual', 'manual'));
		expect(test).toHaveLength(10);
		expect(test[test.length - 1]).toMatchObject({ id: latest.id, updated_at: latest.updated_at });
		expect(JSON.parse(JSON.stringify(runner.staticData))).toEqual(saved);
		expect(runner.workflow.staticData.__dataChanged).toBe(false);

		// The active poll still gets the change the test run showed.
		expect(emittedBy(await runner.poll()).map(key)).toEqual([key(latest)]);
	});
});

describe('filters and loop prevention', () => {
	test('deal filters (status, owner, stage) are applied by SalesOS', async () => {
		const [qualification, proposal] = [STAGES[1], STAGES[2]];
		const owner = 'user-owner-1';
		sandbox.seed({
			resource: 'deals',
			records: [
				{ name: 'match', status: 'open', owner_id: owner, stage: qualification },
				{ name: 'other stage', status: 'open', owner_id: owner, stage: proposal },
				{ name: 'other owner', status: 'open', owner_id: 'someone-else', stage: qualification },
			],
		});
		const runner = pollRunner({
			resource: 'deal',
			startFrom: 'allRecords',
			filters: { status: 'open', owner: { mode: 'id', value: owner }, stage: { mode: 'id', value: qualification.id } },
		});
		expect(emittedBy(await runner.poll()).map((deal) => deal.name)).toEqual(['match']);
	});

	// Version 1 keeps Ignore Own Changes in Options; from 2 it is a top-level toggle.
	test.each([
		{ version: 1, ownChanges: { options: { ignoreOwnChanges: true } } },
		{ version: 2, ownChanges: { ignoreOwnChanges: true } },
	])('Ignore Own Changes skips records whose last change is the echo of our write (version $version)', async ({ version, ownChanges }) => {
		const wroteAt = new Date(Date.now() - 60_000);
		const marker = { sync_marker: `n8n@${wroteAt.toISOString()}` };
		const [echo] = sandbox.seed({
			resource: 'leads',
			records: [{ name: 'echo', custom_fields: marker }],
			sameUpdatedAt: new Date(wroteAt.getTime() + 200).toISOString(),
		}).records as Lead[];
		sandbox.seed({ resource: 'leads', records: [{ name: 'human', custom_fields: marker }] });

		const runner = pollRunner({ resource: 'lead', startFrom: 'allRecords', ...ownChanges }, version);
		expect(emittedBy(await runner.poll()).map((lead) => lead.name)).toEqual(['human']);
		// A later edit by a SalesOS user of the echoed record is passed on.
		sandbox.mutate({ resource: 'leads', id: echo.id, changes: { status: 'contacted' } });
		expect(emittedBy(await runner.poll()).map((lead) => lead.name)).toEqual(['echo']);
	});
});
