/** SalesOS node, Default Integration: batching, per-record outcomes paired to their input items. */
import type { IDataObject } from 'n8n-workflow';

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

const syncActivities = {
	authentication: 'apiKey',
	resource: 'activity',
	operation: 'sync',
	activityCode: '={{ $json.code }}',
	externalId: '={{ $json.id }}',
	collaboratorEmail: '={{ $json.email }}',
	additionalFields: { occurredAt: '={{ $json.at }}' },
};

/** 1,200 collaborators; rows 7, 260, 530, 801 and 1,199 have invalid emails. */
const BAD_ROWS = [7, 260, 530, 801, 1199];
const people = Array.from({ length: 1200 }, (_, index) => ({
	id: `hr-${index}`,
	name: `Person ${index}`,
	email: BAD_ROWS.includes(index) ? `broken-${index}` : `person${index}@example.com`,
}));

const errorOf = (json: IDataObject) => json.error as IDataObject;
const storedCollaborators = () => harness.sandbox.records('collaborators') as Collaborator[];
const storedActivities = () => harness.sandbox.records('activities') as Activity[];
/** What the node sent to the Default Integration, request by request. */
const sentBodies = () => harness.sandbox.state.defaultIntegrationRequests.map((entry) => entry.body as IDataObject);

it('checks emails before sending, 500 per request: a bad record fails its own item and costs no request', async () => {
	const result = await harness.run(syncCollaborators, people, 'continueErrorOutput');
	const [synced, failed] = result.outputs;

	expect(pairedIndexes(failed)).toEqual(BAD_ROWS);
	expect(errorOf(failed[0].json).message).toBe('email "broken-7" is not a valid email address');
	expect(synced).toHaveLength(1195);
	expect(pairedIndexes(synced)).toEqual(people.map((_, index) => index).filter((index) => !BAD_ROWS.includes(index)));
	expect(synced[0].json).toEqual({
		email: 'person0@example.com',
		name: 'Person 0',
		external_id: 'hr-0',
		role: 'seller',
		metadata: { source: 'hr' },
		syncResult: {
			request: 1,
			requests: 3,
			created: 500,
			existing: 0,
			rejected: 0,
			total: 500,
			outcome: 'created',
		},
	});
	expect(storedCollaborators()).toHaveLength(1195);
	expect(harness.sandbox.requestCount(DI_ROUTE, 200)).toBe(3);
	expect(harness.sandbox.requestCount(DI_ROUTE, 400)).toBe(0);
});

it.each([
	[1, true],
	[3, false],
])('pairs a data.errors string by exact external ID and email: emp-1 is not emp-110 (issue 24, point 1; version %d, warnings on records: %s)', async (nodeVersion, legacyWarnings) => {
	harness.nodeVersion = nodeVersion;
	const sent = [
		{ id: 'emp-1', name: 'One', email: 'one@example.com' },
		{ id: 'emp-110', name: 'One Ten', email: 'taken@example.com' },
		{ id: 'emp-11', name: 'Eleven', email: 'eleven@example.com' },
	];
	harness.sandbox.setFaults([
		{
			route: '/functions/v1/default-integration',
			status: 200,
			count: 1,
			body: {
				data: {
					created: 2,
					existing: 0,
					errors: ['Collaborator emp-110 (taken@example.com): Email already used', 'Collaborator emp-9 (nine@example.com): Unknown team'],
					total: 3,
				},
				meta: { request_id: 'r', timestamp: '2026-03-17T14:30:00.000Z' },
			},
		},
	]);
	const result = await harness.run(syncCollaborators, sent, 'continueErrorOutput');
	const [synced, failed] = result.outputs;
	expect(pairedIndexes(failed)).toEqual([1]);
	expect(errorOf(failed[0].json)).toMatchObject({
		message: 'SalesOS rejected this record of sync_collaborators: Email already used',
		details: [{ field: '', message: 'Email already used', index: 1 }],
	});
	expect(pairedIndexes(synced)).toEqual([0, 2]);
	expect(synced[0].json.syncResult).toMatchObject({
		rejected: 1,
		unpaired: ['Collaborator emp-9 (nine@example.com): Unknown team'],
	});
	// Versions 1 and 2 also showed them as `warnings` on each record, which saved workflows may read.
	expect(synced[0].json.warnings).toEqual(legacyWarnings ? ['Collaborator emp-9 (nine@example.com): Unknown team'] : undefined);
});

it('sends codes and IDs as strings and occurred_at with the offset of the workflow’s time zone (point 3)', async () => {
	await harness.runOk(syncCollaborators, [{ id: 7, name: 'Rep', email: 'rep@example.com' }]);
	const result = await harness.run(
		syncActivities,
		[
			{
				code: 1,
				id: 5001,
				email: 'rep@example.com',
				at: '2026-03-17T09:15:00',
			},
			{ code: '001', id: 'crm-2', email: 'rep@example.com', at: '2026-03-17' },
			{ code: 42, id: 'crm-3', email: 'rep@example.com', at: 'yesterday' },
			{ code: '1000', id: 'crm-4', email: 'rep@example.com' },
		],
		'continueErrorOutput',
	);
	const [stored, failed] = result.outputs;
	expect(pairedIndexes(stored)).toEqual([0, 1]);
	expect(pairedIndexes(failed)).toEqual([2, 3]);
	expect(errorOf(failed[0].json).message).toBe('occurred_at "yesterday" is not a date');
	expect(errorOf(failed[1].json).message).toBe('activity_code "1000" is not a code from 001 to 999');
	// The engine's workflows run in America/New_York (n8n's default time zone): EDT from 8 March 2026.
	expect(sentBodies().at(-1)!.activities).toEqual([
		{
			activity_code: '001',
			external_id: '5001',
			collaborator_email: 'rep@example.com',
			occurred_at: '2026-03-17T09:15:00-04:00',
		},
		{
			activity_code: '001',
			external_id: 'crm-2',
			collaborator_email: 'rep@example.com',
			occurred_at: '2026-03-17T00:00:00-04:00',
		},
	]);
	expect(storedCollaborators()[0].external_id).toBe('7');
	expect(storedActivities().map((activity) => activity.external_id)).toEqual(['5001', 'crm-2']);
});

describe('skipped activities: each item’s true outcome (point 4)', () => {
	beforeEach(async () => {
		const team = ['ana', 'bia', 'caio', 'duda', 'edu', 'fabi', 'gil'].map((name) => ({ id: name, name, email: `${name}@example.com` }));
		await harness.runOk(syncCollaborators, team);
		harness.sandbox.resetCounters();
	});

	const activity = (id: string, email: string) => ({
		code: '001',
		id,
		email: `${email}@example.com`,
		at: '2026-03-17T09:15:00-03:00',
	});

	it('stored, duplicate and skipped activities of one request each get their own outcome', async () => {
		await harness.runOk(syncActivities, [activity('a-1', 'ana')]);
		harness.sandbox.resetCounters();
		const input = [
			activity('a-1', 'ana'), // already stored: duplicate
			activity('a-2', 'bia'),
			activity('a-3', 'ghost'), // unknown collaborator: skipped
			activity('a-4', 'caio'),
			activity('a-5', 'ghost'),
		];
		const result = await harness.run(syncActivities, input, 'continueErrorOutput');
		const [stored, skipped] = result.outputs;
		expect(pairedIndexes(stored)).toEqual([0, 1, 3]);
		expect(pairedIndexes(skipped)).toEqual([2, 4]);
		expect(errorOf(skipped[0].json)).toMatchObject({
			message: 'SalesOS skipped this activity: Collaborator unknown: sync collaborators first',
			code: 'SKIPPED',
		});
		expect(stored[0].json.syncResult).toMatchObject({
			processed: 2,
			skipped: 2,
			duplicates: 1,
			outcome: 'processedOrDuplicate',
			probes: 3,
		});
		expect(
			storedActivities()
				.map((entry) => entry.external_id)
				.sort(),
		).toEqual(['a-1', 'a-2', 'a-4']);
		// The request, then replays of one activity per email: ana+bia (none unknown), ghost+caio (one), ghost (unknown).
		expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(1 + 3);
	});

	it.each([
		[1, 9],
		[2, 16],
	])('%d unknown among 200 emails: at most %d replays, as the README says', async (unknown, bound) => {
		const emails = Array.from({ length: 200 }, (_, index) => `rep${index}`);
		await harness.runOk(
			syncCollaborators,
			emails.slice(unknown).map((email) => ({ id: email, name: email, email: `${email}@example.com` })),
		);
		harness.sandbox.resetCounters();
		const input = emails.map((email) => activity(`${email}-a`, email));
		const result = await harness.run(syncActivities, input, 'continueErrorOutput');
		expect(pairedIndexes(result.outputs[1])).toEqual(Array.from({ length: unknown }, (_, index) => index));
		expect(result.outputs[0]).toHaveLength(200 - unknown);
		const replays = harness.sandbox.requestCount(DI_ROUTE) - 1;
		expect(replays).toBeLessThanOrEqual(bound);
		expect(replays).toBeLessThanOrEqual(2 + unknown * (Math.ceil(Math.log2(200)) - 1));
	});

	it('finds one unknown email among eight with 2 + u·(⌈log2 n⌉ − 1) = 4 replays', async () => {
		const emails = ['ana', 'bia', 'caio', 'duda', 'edu', 'fabi', 'gil', 'ghost'];
		const input = emails.flatMap((email) => [activity(`${email}-1`, email), activity(`${email}-2`, email)]);
		const result = await harness.run(syncActivities, input, 'continueErrorOutput');
		const [stored, skipped] = result.outputs;
		expect(pairedIndexes(skipped)).toEqual([14, 15]);
		expect(stored).toHaveLength(14);
		const replays = harness.sandbox.requestCount(DI_ROUTE) - 1;
		expect(replays).toBe(2 + 1 * (Math.ceil(Math.log2(8)) - 1));
		expect(storedActivities()).toHaveLength(14);
		// A replay sends one already-accepted activity per email: nothing new is stored or changed.
		for (const body of sentBodies()
			.filter((sent) => sent.action === 'sync_activities')
			.slice(1)) {
			const activities = body.activities as IDataObject[];
			expect(new Set(activities.map((entry) => entry.collaborator_email)).size).toBe(activities.length);
		}
	});
});

it('a replay that fails leaves the outcome open: no activity of that request is reported as stored or as skipped', async () => {
	const team = [{ id: 'ana', name: 'Ana', email: 'ana@example.com' }];
	await harness.runOk(syncCollaborators, team);
	harness.sandbox.updateSettings({ rateLimit: { limit: 1, windowMs: 60_000 } });
	const input = [
		{ code: '001', id: 'u-1', email: 'ana@example.com' },
		{ code: '001', id: 'u-2', email: 'ghost@example.com' },
	];
	const result = await harness.run({ ...syncActivities, options: { maxRetries: 0, maxWaitSeconds: 0 } }, input, 'continueErrorOutput');
	const [stored, failed] = result.outputs;
	expect(stored).toHaveLength(0);
	expect(pairedIndexes(failed)).toEqual([0, 1]);
	expect(errorOf(failed[0].json)).toMatchObject({
		message: expect.stringMatching(/^SalesOS skipped 1 of 2 activities of this request; the node could not find out which: /),
		code: 'SKIPPED_UNKNOWN',
	});
	expect(storedActivities().map((activity) => activity.external_id)).toEqual(['u-1']);
});

it('OAuth2 is refused before any request, naming the fix (point 2)', async () => {
	const result = await harness.run({ ...syncActivities, authentication: 'clientCredentials' }, [activity5001()]);
	expect(result.error?.message).toBe('Set Authentication to API Key to sync activities');
	expect(result.error?.description).toContain('accepts only an API key (sk_live_… or sk_test_…, scope default:sync)');
	expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(0);
	expect(harness.sandbox.counters().tokenRequests).toBe(0);
});

function activity5001() {
	return { code: '001', id: 'crm-5001', email: 'rep@example.com' };
}

it('syncs 2,500 activities in 3 requests, and a replay only counts duplicates', async () => {
	await harness.runOk(
		{
			authentication: 'apiKey',
			resource: 'collaborator',
			operation: 'sync',
			email: 'rep@example.com',
			name: 'Rep',
			externalId: 'rep-1',
		},
		[{}],
	);
	const activities = Array.from({ length: 2500 }, (_, index) => ({
		id: `act-${index}`,
		at: '2025-03-01T10:00:00Z',
	}));
	const parameters = {
		authentication: 'apiKey',
		resource: 'activity',
		operation: 'sync',
		activityCode: '007',
		externalId: '={{ $json.id }}',
		collaboratorEmail: 'rep@example.com',
		additionalFields: {
			occurredAt: '={{ $json.at }}',
			data: '={{ { "n": $itemIndex } }}',
		},
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
		syncResult: {
			request: 1,
			requests: 3,
			processed: 1000,
			skipped: 0,
			duplicates: 0,
			rejected: 0,
			total: 1000,
			outcome: 'processed',
		},
	});
	expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(3);
	expect(storedActivities()).toHaveLength(2500);

	await harness.runOk(parameters, activities);
	expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(6);
	expect(harness.sandbox.records('activities')).toHaveLength(2500);
});
