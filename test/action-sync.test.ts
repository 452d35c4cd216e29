/** SalesOS node, Default Integration: batching, and per-record errors paired to their input items. */
import { pairedIndexes, useActionHarness } from './action-support';
import type { Activity, Collaborator } from './sandbox';

const harness = useActionHarness();
const DI_ROUTE = 'POST /functions/v1/default-integration';

const syncCollaborators = {
	authentication: 'apiKey',
	resource: 'collaborator',
	operation: 'sync',
	email: '={{ $json.email }}',
	name: '={{ $json.name }}',
	externalId: '={{ $json.id }}',
	additionalFields: { role: 'seller', metadata: '{"source": "hr"}' },
};

/** 1,200 collaborators; rows 7, 260, 530, 801 and 1,199 have invalid emails. */
const BAD_ROWS = [7, 260, 530, 801, 1199];
const people = Array.from({ length: 1200 }, (_, index) => ({
	id: `hr-${index}`,
	name: `Person ${index}`,
	email: BAD_ROWS.includes(index) ? `broken-${index}` : `person${index}@example.com`,
}));

function storedCollaborators(): Collaborator[] {
	return harness.sandbox.records('collaborators') as Collaborator[];
}

describe.each([false, true])('collaborator sync (strict 400 mode: %s)', (strict) => {
	beforeEach(() => harness.sandbox.updateSettings({ defaultIntegrationStrict: strict }));

	it('sends 500 per request and pairs every rejected record with its input item', async () => {
		const result = await harness.run(syncCollaborators, people, 'continueErrorOutput');
		const [synced, failed] = result.outputs;

		expect(pairedIndexes(failed)).toEqual(BAD_ROWS);
		for (const item of failed) {
			expect(item.json).toMatchObject({
				email: expect.stringMatching(/^broken-/),
				error: { code: 'VALIDATION_ERROR', details: [{ field: 'email', message: 'must be a valid email address' }] },
			});
		}
		expect(failed.map((item) => item.json.id)).toEqual(BAD_ROWS.map((row) => `hr-${row}`));

		expect(synced).toHaveLength(1195);
		expect(pairedIndexes(synced)).toEqual(people.map((_, index) => index).filter((index) => !BAD_ROWS.includes(index)));
		expect(synced[0].json).toEqual({
			email: 'person0@example.com',
			name: 'Person 0',
			external_id: 'hr-0',
			role: 'seller',
			metadata: { source: 'hr' },
			syncResult: { request: 1, requests: 3, created: 498, existing: 0, rejected: 2, total: 498 + (strict ? 0 : 2) },
		});
		expect(storedCollaborators()).toHaveLength(1195);

		// Three batches (500, 500, 200); in strict mode each rejected batch is sent again without its bad records.
		expect(harness.sandbox.requestCount(DI_ROUTE, 200)).toBe(3);
		expect(harness.sandbox.requestCount(DI_ROUTE, 400)).toBe(strict ? 3 : 0);
	});
});

it('collaborator sync without "continue" fails on the first rejected record, naming it', async () => {
	const result = await harness.run(syncCollaborators, people.slice(0, 10));
	expect(result.error?.message).toContain('email: must be a valid email address');
	expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(7);
});

it('syncs 2,500 activities in 3 requests, and a replay only counts duplicates', async () => {
	await harness.runOk(
		{ authentication: 'apiKey', resource: 'collaborator', operation: 'sync', email: 'rep@example.com', name: 'Rep', externalId: 'rep-1' },
		[{}],
	);
	const activities = Array.from({ length: 2500 }, (_, index) => ({ id: `act-${index}`, at: '2025-03-01T10:00:00Z' }));
	const parameters = {
		authentication: 'apiKey',
		resource: 'activity',
		operation: 'sync',
		activityCode: '007',
		externalId: '={{ $json.id }}',
		collaboratorEmail: 'rep@example.com',
		additionalFields: { occurredAt: '={{ $json.at }}', data: '={{ { "n": $itemIndex } }}' },
	};
	harness.sandbox.resetCounters();

	const output = await harness.runOk(parameters, activities);
	expect(output).toHaveLength(2500);
	expect(output[42]).toEqual({
		activity_code: '007',
		external_id: 'act-42',
		collaborator_email: 'rep@example.com',
		occurred_at: '2025-03-01T10:00:00Z',
		data: { n: 42 },
		syncResult: { request: 1, requests: 3, processed: 1000, skipped: 0, duplicates: 0, rejected: 0, total: 1000 },
	});
	expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(3);
	const stored = harness.sandbox.records('activities') as Activity[];
	expect(stored).toHaveLength(2500);

	await harness.runOk(parameters, activities);
	expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(6);
	expect(harness.sandbox.records('activities')).toHaveLength(2500);
});
