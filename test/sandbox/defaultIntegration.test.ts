import axios, { type AxiosInstance } from 'axios';
import { startSandbox, type Sandbox } from './index';

describe('sandbox Default Integration', () => {
	let sandbox: Sandbox;
	let di: AxiosInstance;
	const call = (body: unknown) => di.post('/functions/v1/default-integration', body);
	beforeAll(async () => {
		sandbox = await startSandbox();
		di = axios.create({ baseURL: sandbox.url, headers: { Authorization: 'Bearer sk_test_sandbox' }, validateStatus: () => true });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('syncs collaborators by email, idempotently, reporting bad items by index', async () => {
		const collaborators = [
			{ external_id: 'c1', name: 'Ana', email: 'ana@example.com', role: 'seller' },
			{ external_id: 'c2', name: 'No Email' },
			{ external_id: 'c3', name: 'Bia', email: 'bia@example' },
			{ external_id: 'c4', name: 'Caio', email: 'caio@example.com' },
		];
		const first = await call({ action: 'sync_collaborators', collaborators });
		expect(first.status).toBe(200);
		expect(first.data.data).toEqual({
			created: 2,
			existing: 0,
			errors: ['items[1].email: is required', 'items[2].email: must be a valid email address'],
			total: 4,
		});
		const again = await call({ action: 'sync_collaborators', collaborators: [{ ...collaborators[0], email: 'ANA@example.com', name: 'Ana Maria' }] });
		expect(again.data.data).toMatchObject({ created: 0, existing: 1, errors: [] });
		expect(sandbox.state.collaborators.size).toBe(2);
		expect(sandbox.state.collaborators.get('ana@example.com')!.name).toBe('Ana Maria');
	});

	it('requires external_id, name and email of every collaborator (contract section 8)', async () => {
		const response = await call({ action: 'sync_collaborators', collaborators: [{ email: 'only@example.com' }] });
		expect(response.data.data).toEqual({
			created: 0,
			existing: 0,
			errors: ['items[0].external_id: is required', 'items[0].name: is required'],
			total: 1,
		});
	});

	it('rejects oversized batches with 400 VALIDATION_ERROR', async () => {
		const collaborators = Array.from({ length: 501 }, (_, i) => ({ external_id: `c${i}`, name: `C ${i}`, email: `c${i}@example.com` }));
		const tooMany = await call({ action: 'sync_collaborators', collaborators });
		expect(tooMany.status).toBe(400);
		expect(tooMany.data.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'collaborators', message: expect.stringContaining('500') }] });
		expect((await call({ action: 'sync_collaborators', collaborators: collaborators.slice(0, 500) })).data.data.created).toBe(500);
		const activities = Array.from({ length: 1001 }, (_, i) => ({ activity_code: '001', external_id: `a${i}`, collaborator_email: 'x@example.com' }));
		expect((await call({ action: 'sync_activities', activities })).status).toBe(400);
		expect((await call({ action: 'dance' })).status).toBe(400);
	});

	it('syncs activities: duplicates by external_id, unknown collaborators skipped, bad codes reported', async () => {
		await call({ action: 'sync_collaborators', collaborators: [{ external_id: 'c1', name: 'Ana', email: 'ana@example.com' }] });
		const activities = [
			{ activity_code: '001', external_id: 'a1', collaborator_email: 'ana@example.com', data: { calls: 3 }, occurred_at: '2026-03-01T10:00:00Z' },
			{ activity_code: '000', external_id: 'a2', collaborator_email: 'ana@example.com' },
			{ activity_code: '042', external_id: 'a3', collaborator_email: 'nobody@example.com' },
		];
		const first = await call({ action: 'sync_activities', activities });
		expect(first.data.data).toEqual({
			processed: 1,
			skipped: 1,
			duplicates: 0,
			errors: ['items[1].activity_code: must be a three-digit code from "001" to "999"'],
			total: 3,
		});
		const replay = await call({ action: 'sync_activities', activities: [activities[0]] });
		expect(replay.data.data).toMatchObject({ processed: 0, duplicates: 1 });
		expect([...sandbox.state.activities.keys()]).toEqual(['a1']);
	});

	it('rejects the whole batch with indexed details in strict mode', async () => {
		sandbox.updateSettings({ defaultIntegrationStrict: true });
		const response = await call({ action: 'sync_collaborators', collaborators: [{ external_id: 'c1', name: 'Ok', email: 'ok@example.com' }, { external_id: 'c2', name: 'Bad', email: 'bad' }] });
		expect(response.status).toBe(400);
		expect(response.data.error.details).toEqual([{ index: 1, field: 'email', message: 'must be a valid email address' }]);
		expect(sandbox.state.collaborators.size).toBe(0);
	});

	it('rate limits per API key with RATE_LIMITED and retry_after', async () => {
		sandbox.updateSettings({ rateLimit: { limit: 1, windowMs: 2000 }, rateLimitHint: 'body' });
		expect((await call({ action: 'sync_collaborators', collaborators: [] })).status).toBe(200);
		const limited = await call({ action: 'sync_collaborators', collaborators: [] });
		expect(limited.status).toBe(429);
		expect(limited.data.error).toMatchObject({ code: 'RATE_LIMITED', retry_after: 2 });
	});
});
