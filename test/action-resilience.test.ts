/**
 * SalesOS node under bad input and a hostile network: per-item errors (error output, regular
 * output, failing node), concurrency with exact ordering, and a 500-lead create through a 429
 * storm plus injected 503s and connection resets (some after SalesOS stored the lead).
 */
import type { IDataObject } from 'n8n-workflow';

import { pairedIndexes, useActionHarness } from './action-support';
import type { Lead } from './sandbox';

const harness = useActionHarness();

const createFromInput = (options: IDataObject = {}) => ({
	resource: 'lead',
	operation: 'create',
	name: '={{ $json.name }}',
	email: '={{ $json.email }}',
	options,
});

/** 100 leads; every 10th (index 3, 13, …) has an invalid email. */
const batchWithInvalid = Array.from({ length: 100 }, (_, index) => ({
	row: index,
	name: `Lead ${index}`,
	email: index % 10 === 3 ? `not-an-email-${index}` : `lead${index}@example.com`,
}));
const invalidRows = batchWithInvalid.filter((row) => !row.email.includes('@')).map((row) => row.row);

function storedEmails(): string[] {
	return (harness.sandbox.records('leads') as Lead[]).map((lead) => lead.email).sort();
}

describe('per-item errors', () => {
	it('error output: 90 leads written, the 10 invalid items on output 1 with their field errors', async () => {
		const result = await harness.run(createFromInput({ maxConcurrentRequests: 8 }), batchWithInvalid, 'continueErrorOutput');
		const [written, failed] = result.outputs;

		expect(written).toHaveLength(90);
		expect(pairedIndexes(written)).toEqual(batchWithInvalid.filter((row) => !invalidRows.includes(row.row)).map((row) => row.row));
		expect(written.map((item) => item.json.email)).toEqual(pairedIndexes(written).map((row) => `lead${row}@example.com`));

		expect(failed).toHaveLength(10);
		expect(pairedIndexes(failed)).toEqual(invalidRows);
		for (const item of failed) {
			const row = batchWithInvalid[pairedIndexes([item])[0]];
			expect(item.json).toMatchObject({
				row: row.row,
				email: row.email,
				error: {
					status: 422,
					code: 'VALIDATION_ERROR',
					details: [{ field: 'email', message: 'must be a valid email address' }],
				},
			});
			expect(String((item.json.error as IDataObject).message)).toContain('email');
		}

		const expected = batchWithInvalid.filter((row) => !invalidRows.includes(row.row)).map((row) => row.email);
		expect(storedEmails()).toEqual(expected.sort());
	});

	it('regular output: every item in input order, the invalid ones carrying the error', async () => {
		const input = batchWithInvalid.slice(0, 20);
		const result = await harness.run(createFromInput(), input, 'continueRegularOutput');
		expect(result.outputs).toHaveLength(1);
		expect(pairedIndexes(result.items)).toEqual(input.map((row) => row.row));
		const failed = result.items.filter((item) => item.json.error);
		expect(failed.map((item) => item.json.row)).toEqual([3, 13]);
		expect(failed[0].json.error).toMatchObject({ status: 422, details: [{ field: 'email' }] });
		expect(storedEmails()).toHaveLength(18);
	});

	it('without "continue": the node fails naming the field and the item', async () => {
		const result = await harness.run(createFromInput({ maxConcurrentRequests: 1 }), batchWithInvalid.slice(0, 10));
		expect(result.error?.message).toContain('email: must be a valid email address');
		expect((result.error as unknown as { context: IDataObject }).context.itemIndex).toBe(3);
		// Items after the failing one were not started (one request at a time).
		expect(storedEmails()).toHaveLength(3);
	});
});

describe('retry options reach the transport', () => {
	it('Max Retries 0 gives up on the first 503; the default retries it', async () => {
		harness.sandbox.setFaults([{ route: '/v1/leads', method: 'POST', status: 503, count: 1 }]);
		const failed = await harness.run(createFromInput({ maxRetries: 0 }), [batchWithInvalid[0]], 'continueRegularOutput');
		expect(failed.items[0].json.error).toMatchObject({ status: 503 });

		harness.sandbox.setFaults([{ route: '/v1/leads', method: 'POST', status: 503, count: 1 }]);
		const [created] = await harness.runOk(createFromInput(), [batchWithInvalid[0]]);
		expect(created.operationResult).toBe('created');
		expect(harness.sandbox.requestCount('POST /v1/leads', 503)).toBe(2);
	});

	it('Max Total Wait stops before waiting longer than allowed', async () => {
		harness.sandbox.setFaults([
			{ route: '/v1/leads', method: 'POST', status: 429, retryAfterSeconds: 30, count: 1 },
		]);
		const result = await harness.run(createFromInput({ maxWaitSeconds: 5 }), [batchWithInvalid[0]]);
		expect(result.error?.message).toContain('429');
		expect(result.error?.description).toContain('maximum total wait of 5 s');
		expect(harness.sandbox.requestCount('POST /v1/leads')).toBe(1);
	});
});

describe('a 500-lead create through rate limiting and faults', () => {
	it('writes every lead exactly once and keeps output order and pairing', async () => {
		harness.sandbox.updateSettings({ rateLimit: { limit: 100, windowMs: 1000 }, rateLimitHint: 'all' });
		const rules = harness.sandbox.setFaults([
			{ route: '/v1/leads', method: 'POST', status: 429, retryAfterSeconds: 0.2, probability: 0.02 },
			{ route: '/v1/leads', method: 'POST', status: 503, probability: 0.1 },
			{ route: '/v1/leads', method: 'POST', reset: true, probability: 0.05 },
			{ route: '/v1/leads', method: 'POST', reset: true, when: 'after', probability: 0.05 },
		]);
		const input = Array.from({ length: 500 }, (_, index) => ({ name: `Bulk ${index}`, email: `bulk${index}@example.com` }));

		const result = await harness.run(createFromInput({ maxConcurrentRequests: 20, maxRetries: 10 }), input);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(500);
		expect(pairedIndexes(result.items)).toEqual(input.map((_, index) => index));
		expect(result.items.map((item) => item.json.email)).toEqual(input.map((row) => row.email));
		expect(result.items.every((item) => item.json.operationResult === 'created')).toBe(true);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(500);
		expect(storedEmails()).toEqual(input.map((row) => row.email).sort());

		// The storm really happened: 429s, 503s, resets before and after the lead was stored.
		expect(harness.sandbox.requestCount('POST /v1/leads', 429)).toBeGreaterThan(0);
		expect(harness.sandbox.requestCount('POST /v1/leads', 503)).toBeGreaterThan(0);
		const applied = harness.sandbox.setFaults([], true).map((rule) => rule.applied);
		expect(applied.every((count) => count > 0)).toBe(true);
		expect(rules).toHaveLength(4);
		// A retry after a reset that followed the write got 409 and was resolved to the stored lead
		// (a retry may itself be reset after processing, so there are at most as many 409s).
		const conflicts = harness.sandbox.requestCount('POST /v1/leads', 409);
		expect(conflicts).toBeGreaterThan(0);
		expect(conflicts).toBeLessThanOrEqual(applied[3]);
		expect(harness.sandbox.requestCount('GET /v1/leads/:id', 200)).toBe(conflicts);
	}, 60_000);
});
