/**
 * The sandbox's Default Integration answers as Play2Sell's published spec and its examples do
 * (SalesOS Default Integration API 1.0.0): status codes, error codes and messages, the `errors`
 * string form inside a 200, 400 details[{index, field, message}].
 */
import axios, { type AxiosInstance } from 'axios';
import { startSandbox, type Sandbox } from './index';

describe('sandbox Default Integration (as the spec)', () => {
	let sandbox: Sandbox;
	let di: AxiosInstance;
	const call = (body: unknown, authorization = 'Bearer sk_test_sandbox') =>
		di.post('/functions/v1/default-integration', body, { headers: { Authorization: authorization } });
	beforeAll(async () => {
		sandbox = await startSandbox();
		di = axios.create({ baseURL: sandbox.url, validateStatus: () => true });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const collaborator = (id: string, email: string) => ({ external_id: id, name: `Name ${id}`, email });

	it('syncs collaborators by email; a bad email is a string "Collaborator <external_id> (<email>): Invalid email format"', async () => {
		const first = await call({
			action: 'sync_collaborators',
			collaborators: [collaborator('emp-1', 'a@example.com'), collaborator('emp-110', 'invalid-email'), collaborator('emp-11', 'c@example.com')],
		});
		expect(first.status).toBe(200);
		expect(first.data.data).toEqual({
			created: 2,
			existing: 0,
			errors: ['Collaborator emp-110 (invalid-email): Invalid email format'],
			total: 3,
		});
		expect(first.data.meta).toEqual({ request_id: expect.any(String), timestamp: expect.any(String) });
		const again = await call({ action: 'sync_collaborators', collaborators: [{ ...collaborator('emp-1', 'A@example.com'), name: 'Ana' }] });
		expect(again.data.data).toEqual({ created: 0, existing: 1, errors: [], total: 1 });
		expect(sandbox.state.collaborators.get('a@example.com')!.name).toBe('Ana');
		const empty = await call({ action: 'sync_collaborators', collaborators: [] });
		expect(empty.data.data).toEqual({ created: 0, existing: 0, errors: [], total: 0 });
	});

	it('rejects a request with a record of the wrong type or length as a whole: 400 with details[{index, field, message}]', async () => {
		const response = await call({
			action: 'sync_collaborators',
			collaborators: [collaborator('ok', 'ok@example.com'), { external_id: 5001, name: 'N', email: 'n@example.com', document: 'x'.repeat(21) }],
		});
		expect(response.status).toBe(400);
		expect(response.data.error).toEqual({
			code: 'VALIDATION_ERROR',
			message: 'Invalid collaborators payload',
			details: [
				{ index: 1, field: 'external_id', message: 'Required string (at most 255 characters)' },
				{ index: 1, field: 'document', message: 'Must be a string of at most 20 characters' },
			],
		});
		expect(sandbox.state.collaborators.size).toBe(0);
	});

	it('activities: the spec example of an invalid payload, word for word', async () => {
		const response = await call({
			action: 'sync_activities',
			activities: [
				{ activity_code: 1, external_id: 'a1', collaborator_email: 'maria@yourcompany.com' },
				{ activity_code: '001', external_id: 'a2', collaborator_email: 'maria' },
			],
		});
		expect(response.status).toBe(400);
		expect(response.data.error).toEqual({
			code: 'VALIDATION_ERROR',
			message: 'Invalid activities payload',
			details: [
				{ index: 0, field: 'activity_code', message: 'Required 3-digit string (001-999), e.g. "001"' },
				{ index: 1, field: 'collaborator_email', message: 'Required valid email' },
			],
		});
		const noOffset = await call({
			action: 'sync_activities',
			activities: [{ activity_code: '001', external_id: 'a3', collaborator_email: 'm@example.com', occurred_at: '2026-03-17T09:15:00' }],
		});
		expect(noOffset.data.error.details).toEqual([{ index: 0, field: 'occurred_at', message: expect.stringContaining('RFC 3339') }]);
	});

	it('activities: unknown collaborators are skipped, known external IDs are duplicates, neither named', async () => {
		await call({ action: 'sync_collaborators', collaborators: [collaborator('c1', 'ana@example.com')] });
		const activities = [
			{
				activity_code: '001',
				external_id: 'a1',
				collaborator_email: 'ana@example.com',
				data: { calls: 3 },
				occurred_at: '2026-03-17T09:15:00-03:00',
			},
			{ activity_code: '042', external_id: 'a2', collaborator_email: 'nobody@example.com' },
		];
		const first = await call({ action: 'sync_activities', activities });
		expect(first.data.data).toEqual({ processed: 1, skipped: 1, duplicates: 0, errors: [], total: 2 });
		const replay = await call({ action: 'sync_activities', activities });
		expect(replay.data.data).toEqual({ processed: 0, skipped: 1, duplicates: 1, errors: [], total: 2 });
		expect([...sandbox.state.activities.keys()]).toEqual(['a1']);
	});

	it('answers a missing or unknown action, oversized batches and the strict email setting with 400', async () => {
		const noAction = await call({ collaborators: [] });
		expect(noAction.status).toBe(400);
		expect(noAction.data.error).toEqual({
			code: 'VALIDATION_ERROR',
			message: 'Missing or invalid "action". Valid values: sync_collaborators, sync_activities',
		});
		const many = Array.from({ length: 501 }, (_, i) => collaborator(`c${i}`, `c${i}@example.com`));
		expect((await call({ action: 'sync_collaborators', collaborators: many })).data.error.details).toEqual([
			{ field: 'collaborators', message: 'At most 500 items per request' },
		]);
		sandbox.updateSettings({ defaultIntegrationStrict: true });
		const strict = await call({ action: 'sync_collaborators', collaborators: [collaborator('c1', 'ok@example.com'), collaborator('c2', 'bad')] });
		expect(strict.status).toBe(400);
		expect(strict.data.error.details).toEqual([{ index: 1, field: 'email', message: 'Required valid email' }]);
	});

	it.each([
		['no header', undefined, 401, 'UNAUTHORIZED', 'Missing or malformed Authorization header. Expected: Bearer sk_live_xxx'],
		['a P2S-SIGN-V1 header', 'P2S-SIGN-V1 sk_test_sandbox:1:abc', 401, 'UNAUTHORIZED', 'Missing or malformed Authorization header. Expected: Bearer sk_live_xxx'],
		['an OAuth token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x', 401, 'UNAUTHORIZED', 'Invalid API key prefix. Expected sk_live_ or sk_test_'],
		['an unknown key', 'Bearer sk_live_nope', 401, 'UNAUTHORIZED', 'Invalid or expired API key'],
		['a key without default:sync', 'Bearer sk_test_no_scope', 403, 'FORBIDDEN', 'API key missing required scopes: default:sync'],
	])('authentication with %s (%s) → %s %s', async (_, authorization, status, code, message) => {
		const response = await di.post(
			'/functions/v1/default-integration',
			{ action: 'sync_collaborators', collaborators: [] },
			{ headers: authorization ? { Authorization: authorization } : {} },
		);
		expect(response.status).toBe(status);
		expect(response.data.error).toEqual({ code, message });
	});

	it('rate limits per API key: 429 RATE_LIMITED "Rate limit exceeded" with retry_after', async () => {
		sandbox.updateSettings({ rateLimit: { limit: 1, windowMs: 2000 }, rateLimitHint: 'reset' });
		expect((await call({ action: 'sync_collaborators', collaborators: [] })).status).toBe(200);
		const limited = await call({ action: 'sync_collaborators', collaborators: [] });
		expect(limited.status).toBe(429);
		expect(limited.data.error).toEqual({ code: 'RATE_LIMITED', message: 'Rate limit exceeded', retry_after: expect.any(Number) });
	});

	it('keeps every request it received (the Authorization scheme, never the key, and the body)', async () => {
		await call({ action: 'sync_collaborators', collaborators: [] });
		expect(sandbox.state.defaultIntegrationRequests).toEqual([
			{ authorization: 'Bearer', body: { action: 'sync_collaborators', collaborators: [] } },
		]);
	});
});
