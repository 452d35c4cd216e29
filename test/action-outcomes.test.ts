/**
 * Issue 12: every outcome SalesOS reports is visible in the node's output, and what the node
 * reports is true — Default Integration results, list filters a SalesOS may ignore, faults that
 * make a create ambiguous, bad input, SalesOS's own messages, the users API, and observability.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';

import { useActionHarness } from './action-support';
import { PollRunner, type NodeRunResult } from './helpers/engine';

const harness = useActionHarness();
const DI_ROUTE = 'POST /functions/v1/default-integration';

function hintsOf(result: NodeRunResult): string[] {
	const runs = result.result.runData['Node Under Test'] ?? [];
	return runs.flatMap((run) => (run.hints ?? []).map((hint) => hint.message));
}

const errorOf = (json: IDataObject) => json.error as IDataObject;

describe('1. Default Integration results are visible', () => {
	const activities = (count: number, email: string) =>
		Array.from({ length: count }, (_, index) => ({ id: `act-${index}`, email }));
	const syncActivities = (options: IDataObject = {}) => ({
		authentication: 'apiKey',
		resource: 'activity',
		operation: 'sync',
		activityCode: '001',
		externalId: '={{ $json.id }}',
		collaboratorEmail: '={{ $json.email }}',
		options,
	});
	const syncCollaborator = {
		authentication: 'apiKey',
		resource: 'collaborator',
		operation: 'sync',
		email: '={{ $json.email }}',
		name: '={{ $json.name }}',
		externalId: '={{ $json.id }}',
	};

	it('1,001 activities of an unknown collaborator go to the error output with the reason, none as success', async () => {
		const result = await harness.run(syncActivities(), activities(1001, 'ghost@example.com'), 'continueErrorOutput');
		const [synced, failed] = result.outputs;
		expect(synced).toHaveLength(0);
		expect(failed).toHaveLength(1001);
		expect(errorOf(failed[0].json)).toMatchObject({
			message: 'SalesOS skipped this activity: Collaborator unknown: sync collaborators first',
			status: 200,
			code: 'SKIPPED',
		});
		expect(errorOf(failed[1000].json).message).toBe(errorOf(failed[0].json).message);
		// Every activity of both requests was skipped: no replay is needed to tell which.
		expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(2);
		expect(harness.sandbox.records('activities')).toHaveLength(0);
		// The run's totals as an execution hint (n8n shows it above the output).
		expect(hintsOf(result)[0]).toBe(
			'SalesOS sync_activities: 1,001 activities in 2 requests: 0 processed, 1,001 skipped, 0 duplicates, 0 rejected',
		);
	});

	it('a known collaborator: every item carries its request’s syncResult; replays count as duplicates', async () => {
		await harness.runOk(syncCollaborator, [{ id: 'rep-1', name: 'Rep', email: 'rep@example.com' }]);
		const first = await harness.run(syncActivities(), activities(3, 'rep@example.com'));
		expect(first.items.map((item) => item.json.syncResult)).toEqual(
			Array(3).fill({ request: 1, requests: 1, processed: 3, skipped: 0, duplicates: 0, rejected: 0, total: 3, outcome: 'processed' }),
		);
		const replay = await harness.runOk(syncActivities(), activities(3, 'rep@example.com'));
		expect(replay[0].syncResult).toMatchObject({ processed: 0, duplicates: 3, outcome: 'duplicate' });
	});

	it('Skipped Activities: Treat as Success (node versions 1 and 2) outputs skipped items marked skipped', async () => {
		const result = await harness.run(syncActivities({ skippedActivities: 'success' }), activities(2, 'ghost@example.com'));
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.syncResult)).toEqual(
			Array(2).fill({ request: 1, requests: 1, processed: 0, skipped: 2, duplicates: 0, rejected: 0, total: 2, outcome: 'skipped' }),
		);
		expect(hintsOf(result)[0]).toContain('2 skipped');
	});

	it('collaborators need External ID, Name and Email (the contract’s required fields): none is sent without them', async () => {
		// n8n refuses empty required parameters itself; expressions that come out empty reach the node.
		const result = await harness.run(
			syncCollaborator,
			[{ email: 'only@example.com' }],
			'continueErrorOutput',
		);
		expect(result.outputs[0]).toHaveLength(0);
		expect(errorOf(result.outputs[1][0].json).message).toBe('External ID is empty');
		expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(0);

		const synced = await harness.runOk(syncCollaborator, [{ id: 'c-1', name: 'Ana', email: 'ana@example.com' }]);
		expect(synced[0]).toMatchObject({ external_id: 'c-1', name: 'Ana', syncResult: { created: 1, existing: 0 } });
		expect(harness.sandbox.records('collaborators')).toHaveLength(1);
	});
});

describe('2. list filters the contract only assumes are checked', () => {
	/** 240 leads, each with a crm_id and an external_id; the target is number 200 (on page 3 of 100). */
	function seed240() {
		const records = Array.from({ length: 240 }, (_, index) => ({
			name: `Lead ${index}`,
			email: `lead${index}@example.com`,
			custom_fields: { crm_id: `crm-${index}`, external_id: `ext-${index}` },
		}));
		return harness.sandbox.seed({ resource: 'leads', records }).records!;
	}
	const leadCount = () => harness.sandbox.records('leads').length;

	beforeEach(() => harness.sandbox.updateSettings({ ignoredListFilters: ['custom_fields', 'search', 'updated_after'] }));

	it('Get Many → Custom Fields returns only the matching lead, and says it filtered itself', async () => {
		seed240();
		const result = await harness.run({
			resource: 'lead',
			operation: 'getMany',
			returnAll: true,
			filters: { customFields: { field: [{ key: 'crm_id', value: 'crm-200' }] } },
		});
		expect(result.items.map((item) => item.json.email)).toEqual(['lead200@example.com']);
		expect(hintsOf(result)[0]).toMatch(/^SalesOS ignored the filter custom_fields.crm_id .*filtered the leads itself/);
	});

	it('Get Many → Search and Updated After: only records that match', async () => {
		const [early] = seed240();
		const cutoff = new Date(Date.parse(String(early.updated_at)) + 1).toISOString();
		const searched = await harness.runOk({ resource: 'lead', operation: 'getMany', returnAll: true, filters: { search: 'LEAD23' } });
		expect(searched.map((lead) => lead.name).sort()).toEqual(['Lead 23', 'Lead 230', 'Lead 231', 'Lead 232', 'Lead 233', 'Lead 234', 'Lead 235', 'Lead 236', 'Lead 237', 'Lead 238', 'Lead 239']);
		const limited = await harness.runOk({ resource: 'lead', operation: 'getMany', limit: 3, filters: { updatedAfter: cutoff } });
		expect(limited.map((lead) => lead.name)).toEqual(['Lead 1', 'Lead 2', 'Lead 3']);
	});

	it('Create or Update by a custom key updates the right lead instead of creating a duplicate', async () => {
		seed240();
		const [written] = await harness.runOk(
			{ resource: 'lead', operation: 'upsert', matchOn: 'externalId', externalIdKey: 'crm_id', externalId: 'crm-200', name: 'Renamed', email: 'new200@example.com' },
			[{}],
		);
		expect(written).toMatchObject({ operationResult: 'updated', name: 'Renamed', email: 'new200@example.com', custom_fields: { crm_id: 'crm-200' } });
		expect(leadCount()).toBe(240);
	});

	it('Create with an existing external_id finds the lead the 409 meant, with status and code on the error', async () => {
		seed240();
		harness.sandbox.updateSettings({ conflictIncludesExistingId: false });
		const create = {
			resource: 'lead',
			operation: 'create',
			name: 'Again',
			email: 'again@example.com',
			additionalFields: { customFields: { field: [{ key: 'external_id', value: 'ext-230' }] } },
		};
		const [existing] = await harness.runOk({ ...create, options: { onDuplicate: 'returnExisting' } }, [{}]);
		expect(existing).toMatchObject({ operationResult: 'existing', email: 'lead230@example.com' });
		const failed = await harness.run(create, [{}], 'continueRegularOutput');
		expect(errorOf(failed.items[0].json)).toMatchObject({ status: 409, code: 'CONFLICT' });
		expect(leadCount()).toBe(240);
	});

	it('poll trigger: with updated_after ignored, a record older than the cursor is never emitted as a change', async () => {
		harness.sandbox.seed({ resource: 'leads', count: 5 });
		const poller = new PollRunner({
			node: { type: 'salesOsPollTrigger', parameters: { resource: 'lead', startFrom: 'allRecords', options: { lookbackSeconds: 0 } } },
			credentials: harness.credentials,
		});
		expect((await poller.poll())?.[0]).toHaveLength(5);
		await new Promise((resolve) => setTimeout(resolve, 20));
		const [changed] = harness.sandbox.seed({ resource: 'leads', records: [{ name: 'New One', email: 'new.one@example.com' }] }).records!;
		const emitted = (await poller.poll())?.[0].map((item) => item.json.id);
		expect(emitted).toEqual([changed.id]);
		expect(await poller.poll()).toBeNull();
	});

	it('stops with a clear message past 10,000 records rather than guess', async () => {
		harness.sandbox.seed({ resource: 'leads', count: 10_050, returnRecords: false });
		const result = await harness.run(
			{ resource: 'lead', operation: 'getMany', returnAll: true, filters: { customFields: { field: [{ key: 'crm_id', value: 'nope' }] } } },
			[{}],
			'continueRegularOutput',
		);
		expect(errorOf(result.items[0].json)).toMatchObject({
			message: 'SalesOS ignored the filter custom_fields.crm_id: it returned leads that do not match',
			status: 200,
			code: 'FILTER_NOT_SUPPORTED',
		});
		expect(harness.sandbox.requestCount('GET /v1/leads')).toBe(100);
	}, 60_000);
});

describe('3. what the node reports is true', () => {
	const createLead = (options: IDataObject = {}, additionalFields: IDataObject = {}) => ({
		resource: 'lead',
		operation: 'create',
		name: '={{ $json.name }}',
		email: '={{ $json.email }}',
		additionalFields,
		options,
	});

	it('502 then 409 for somebody else’s lead is a duplicate (On Duplicate: Fail), not "created"', async () => {
		harness.sandbox.seed({ resource: 'leads', records: [{ name: 'Old Owner', email: 'x@example.com', company: 'Old Co' }] });
		harness.sandbox.setFaults([{ route: '/v1/leads', method: 'POST', status: 502, count: 1 }]);
		const result = await harness.run(createLead(), [{ name: 'New Person', email: 'x@example.com' }], 'continueRegularOutput');
		expect(errorOf(result.items[0].json)).toMatchObject({ status: 409, code: 'CONFLICT' });
		expect(harness.sandbox.requestCount('POST /v1/leads', 502)).toBe(1);
	});

	it('a reset after SalesOS stored the lead, then 409: "created", since the lead holds what this item sent', async () => {
		harness.sandbox.setFaults([{ route: '/v1/leads', method: 'POST', reset: true, when: 'after', count: 1 }]);
		const [lead] = await harness.runOk(createLead(), [{ name: 'Mine', email: 'mine@example.com' }]);
		expect(lead).toMatchObject({ operationResult: 'created', name: 'Mine' });
	});

	it('a deal create whose answer is lost after storing is found and reported as created, not duplicated', async () => {
		harness.sandbox.setFaults([{ route: '/v1/deals', method: 'POST', reset: true, when: 'after', count: 1 }]);
		const [deal] = await harness.runOk({ resource: 'deal', operation: 'create', name: 'Big Deal', additionalFields: { value: 500 } }, [{}]);
		expect(deal).toMatchObject({ operationResult: 'created', name: 'Big Deal', value: 500 });
		expect(harness.sandbox.records('deals')).toHaveLength(1);
	});

	it('a deal create lost before storing says plainly it may not exist and how to check', async () => {
		harness.sandbox.setFaults([{ route: '/v1/deals', method: 'POST', status: 502, count: 1 }]);
		const result = await harness.run({ resource: 'deal', operation: 'create', name: 'Lost Deal' }, [{}], 'continueRegularOutput');
		const error = errorOf(result.items[0].json);
		expect(error.message).toBe('The answer to creating this deal was lost: SalesOS may or may not have stored it');
		expect(error.description).toMatch(/probably not stored.*Check in SalesOS/);
		expect(error).toMatchObject({ status: 502 });
		expect(harness.sandbox.records('deals')).toHaveLength(0);
	});

	it('tags that are objects are rejected naming the field; numbers become text', async () => {
		const failed = await harness.run(createLead({}, { tags: '={{ [{ vip: true }, "a"] }}' }), [{ name: 'T', email: 't@example.com' }], 'continueRegularOutput');
		expect(errorOf(failed.items[0].json).message).toBe('"Tags" must be text or a list of texts, got {"vip":true}');
		const [lead] = await harness.runOk(createLead({}, { tags: '={{ [7, "vip"] }}' }), [{ name: 'T', email: 't@example.com' }]);
		expect(lead.tags).toEqual(['7', 'vip']);
		expect(harness.sandbox.records('leads')).toHaveLength(1);
	});

	it('a 403 whose message ends in "Bearer token" keeps its message (redaction over values)', async () => {
		harness.sandbox.setFaults([
			{ route: '/v1/leads', status: 403, body: { error: { code: 'FORBIDDEN', message: 'Missing scope for Bearer token' } } },
		]);
		const result = await harness.run({ resource: 'lead', operation: 'getMany', limit: 5 }, [{}], 'continueRegularOutput');
		expect(errorOf(result.items[0].json)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
		expect(errorOf(result.items[0].json).description).toContain('SalesOS said: Missing scope for Bearer ***');
	});

	it.each([0, -5, 'ten'])('Limit %p is an error, not an empty result', async (limit) => {
		const result = await harness.run({ resource: 'lead', operation: 'getMany', limit }, [{}], 'continueRegularOutput');
		expect(errorOf(result.items[0].json).message).toBe(`Limit must be a whole number of at least 1, got ${JSON.stringify(limit)}`);
	});

	it('JSON fields (Metadata, Data) must hold an object: text, numbers and invalid JSON are errors', async () => {
		const sync = (metadata: string) => ({
			authentication: 'apiKey',
			resource: 'collaborator',
			operation: 'sync',
			email: 'm@example.com',
			name: 'M',
			externalId: 'm-1',
			additionalFields: { metadata },
		});
		const expected: Array<[string, string]> = [
			['={{ "vip" }}', '"Metadata" is not valid JSON'],
			['={{ 5 }}', '"Metadata" must be a JSON object, got 5'],
			['[1, 2]', '"Metadata" must be a JSON object, got [1,2]'],
		];
		for (const [metadata, message] of expected) {
			const result = await harness.run(sync(metadata), [{}], 'continueRegularOutput');
			expect(errorOf(result.items[0].json).message).toBe(message);
		}
		expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(0);
		const [synced] = await harness.runOk(sync('={{ { level: 2 } }}'), [{}]);
		expect(synced.metadata).toEqual({ level: 2 });
	});
});

describe('4. clear messages', () => {
	it('converting a converted lead keeps SalesOS’s message and names the deal', async () => {
		const [lead] = harness.sandbox.seed({ resource: 'leads', records: [{ name: 'Conv', email: 'conv@example.com' }] }).records!;
		const convert = { resource: 'lead', operation: 'convert', leadId: lead.id };
		const [deal] = await harness.runOk(convert, [{}]);
		const again = await harness.run(convert, [{}], 'continueRegularOutput');
		const error = errorOf(again.items[0].json);
		expect(error).toMatchObject({
			message: 'SalesOS did not convert the lead: Lead already converted (409)',
			status: 409,
			code: 'CONFLICT',
		});
		expect(error.description).toContain(`Its deal has the ID ${String(deal.id)}: use Deal → Get with it.`);
	});
});

describe('5. users: invite, update, deactivate', () => {
	const invite = (options: IDataObject = {}) => ({
		resource: 'user',
		operation: 'create',
		name: '={{ $json.name }}',
		email: '={{ $json.email }}',
		role: 'manager',
		additionalFields: { team: '7e1f0c52-0000-4000-8000-000000000001' },
		options,
	});

	it('invites a user, and a second invite for the same email follows On Duplicate like leads', async () => {
		const [invited] = await harness.runOk(invite(), [{ name: 'Nina', email: 'nina@example.com' }]);
		expect(invited).toMatchObject({ name: 'Nina', role: 'manager', status: 'invited', team_id: '7e1f0c52-0000-4000-8000-000000000001', operationResult: 'created' });

		const duplicate = await harness.run(invite(), [{ name: 'Nina Again', email: 'NINA@example.com' }], 'continueRegularOutput');
		expect(errorOf(duplicate.items[0].json)).toMatchObject({ status: 409, code: 'CONFLICT' });
		expect(String(errorOf(duplicate.items[0].json).description)).toContain('On Duplicate (409)');

		const [existing] = await harness.runOk(invite({ onDuplicate: 'returnExisting' }), [{ name: 'Nina Again', email: 'nina@example.com' }]);
		expect(existing).toMatchObject({ id: invited.id, operationResult: 'existing' });
		const [updated] = await harness.runOk(invite({ onDuplicate: 'update' }), [{ name: 'Nina Again', email: 'nina@example.com' }]);
		expect(updated).toMatchObject({ id: invited.id, name: 'Nina Again', operationResult: 'updated' });
	});

	it('updates and deactivates a user', async () => {
		const [invited] = await harness.runOk(invite(), [{ name: 'Otto', email: 'otto@example.com' }]);
		const [updated] = await harness.runOk({ resource: 'user', operation: 'update', userId: invited.id, updateFields: { role: 'admin' } }, [{}]);
		expect(updated).toMatchObject({ id: invited.id, role: 'admin' });
		const [deactivated] = await harness.runOk({ resource: 'user', operation: 'deactivate', userId: invited.id }, [{}]);
		expect(deactivated).toMatchObject({ id: invited.id, status: 'deactivated' });
		expect(harness.sandbox.requestCount('DELETE /v1/users/:id', 204)).toBe(1);
	});
});

describe('6. observability', () => {
	it('logs every API call at debug level: method, path, status, attempt, wait, request id — no query values, bodies or secrets', async () => {
		const debug = jest.spyOn(Container.get(Logger), 'debug');
		try {
			harness.sandbox.setFaults([{ route: '/v1/leads', method: 'POST', status: 503, count: 1 }]);
			await harness.runOk(
				{ resource: 'lead', operation: 'create', name: 'Log Me', email: 'secret.person@example.com', options: { maxRetries: 2 } },
				[{}],
			);
			await harness.runOk({ resource: 'lead', operation: 'getMany', limit: 5, filters: { search: 'secret.person' } }, [{}]);
			const calls = debug.mock.calls.filter(([message]) => String(message).startsWith('SalesOS API'));
			expect(calls.map(([message]) => message)).toEqual([
				'SalesOS API POST /leads → 503 (attempt 1)',
				'SalesOS API POST /leads → 201 (attempt 2)',
				'SalesOS API GET /leads → 200 (attempt 1)',
			]);
			expect(calls[0][1]).toMatchObject({ method: 'POST', path: '/leads', status: '503', attempt: 1, waitedSeconds: 0, retryInSeconds: expect.any(Number) });
			expect(calls[1][1]).toMatchObject({ status: 201, attempt: 2, requestId: expect.stringMatching(/.+/) });
			expect(calls[2][1]).toMatchObject({ queryParameters: ['search', 'page', 'per_page'] });
			const logged = JSON.stringify(calls);
			for (const secret of ['secret.person', 'Log Me', 'sandbox-secret', 'Bearer']) expect(logged).not.toContain(secret);
		} finally {
			debug.mockRestore();
		}
	});

	it('a run that waited or retried says so in its hints, with the rate-limit budget left', async () => {
		harness.sandbox.updateSettings({ rateLimit: { limit: 1000, windowMs: 60_000 } });
		harness.sandbox.setFaults([
			{ route: '/v1/leads', method: 'POST', status: 503, count: 2 },
			{ route: '/v1/leads', method: 'POST', status: 429, retryAfterSeconds: 1, count: 1 },
		]);
		const result = await harness.run(
			{ resource: 'lead', operation: 'create', name: '={{ $json.name }}', email: '={{ $json.email }}', options: { maxConcurrentRequests: 1 } },
			[{ name: 'A', email: 'a@example.com' }],
		);
		expect(result.error).toBeUndefined();
		const hints = hintsOf(result);
		expect(hints[0]).toMatch(/^SalesOS: waited \d+ s for SalesOS rate limits and retries over \d pauses?; 1 retry after 429; 2 retries after 503$/);
		expect(hints[1]).toMatch(/^SalesOS rate limit: 99\d of 1,000 requests left in the current window \(after 4 requests of this run\)$/);
	});
});
