import type { AxiosInstance } from 'axios';
import { SEED_TEAMS, SEED_USERS, startSandbox, type Sandbox } from './index';
import { rawClient, restClient } from './testing';

describe('sandbox REST API', () => {
	let sandbox: Sandbox;
	let api: AxiosInstance;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = await restClient(sandbox);
	});

	describe('envelope and pagination', () => {
		it('wraps records in {data, meta} and pages lists', async () => {
			sandbox.seed({ resource: 'leads', count: 30 });
			const first = await api.get('/leads');
			expect(first.status).toBe(200);
			expect(first.data.data).toHaveLength(25);
			expect(first.data.meta).toEqual({
				request_id: expect.stringMatching(/^req_/),
				timestamp: expect.any(String),
				total: 30,
				page: 1,
				per_page: 25,
				total_pages: 2,
			});
			const second = await api.get('/leads', { params: { page: 2 } });
			expect(second.data.data).toHaveLength(5);
			const ids = [...first.data.data, ...second.data.data].map((lead: { id: string }) => lead.id);
			expect(new Set(ids).size).toBe(30);
			const one = await api.get(`/leads/${ids[0]}`);
			expect(one.data.data.id).toBe(ids[0]);
			expect(one.data.meta.request_id).toMatch(/^req_/);
		});

		it('clamps per_page to 100, or rejects it when configured', async () => {
			sandbox.seed({ resource: 'leads', count: 120, returnRecords: false });
			const clamped = await api.get('/leads', { params: { per_page: 500 } });
			expect(clamped.data.meta.per_page).toBe(100);
			expect(clamped.data.data).toHaveLength(100);
			sandbox.updateSettings({ perPageOverMax: 'reject' });
			const rejected = await api.get('/leads', { params: { per_page: 500 } });
			expect(rejected.status).toBe(422);
			expect(rejected.data.error.details).toEqual([{ field: 'per_page', message: 'must be at most 100' }]);
		});

		it('sorts ascending and descending and rejects unknown sort fields', async () => {
			sandbox.seed({ resource: 'leads', records: [{ name: 'Bravo' }, { name: 'alpha' }, { name: 'Charlie' }] });
			const asc = await api.get('/leads', { params: { sort: 'name' } });
			expect(asc.data.data.map((lead: { name: string }) => lead.name)).toEqual(['Bravo', 'Charlie', 'alpha']);
			const desc = await api.get('/leads', { params: { sort: '-created_at' } });
			expect(desc.data.data.map((lead: { name: string }) => lead.name)).toEqual(['Charlie', 'alpha', 'Bravo']);
			const bad = await api.get('/leads', { params: { sort: 'password' } });
			expect(bad.status).toBe(422);
			expect(bad.data.error.details[0].field).toBe('sort');
		});

		it('answers 404 NOT_FOUND and 400 to malformed JSON', async () => {
			const missing = await api.get('/leads/00000000-0000-4000-8000-000000000000');
			expect(missing.status).toBe(404);
			expect(missing.data.error).toMatchObject({ code: 'NOT_FOUND', details: [] });
			expect(missing.data.meta.request_id).toMatch(/^req_/);
			const malformed = await api.post('/leads', '{"name": ', { headers: { 'Content-Type': 'application/json' } });
			expect(malformed.status).toBe(400);
			expect(malformed.data.error.code).toBe('BAD_REQUEST');
			expect((await api.get('/nothing-here')).status).toBe(404);
			const wrongMethod = await api.put('/leads', {});
			expect(wrongMethod.status).toBe(405);
			expect(wrongMethod.data.error.code).toBe('METHOD_NOT_ALLOWED');
		});
	});

	describe('leads', () => {
		it('reports every bad field in one 422', async () => {
			const response = await api.post('/leads', {
				email: 'not-an-email',
				phone: '11 9999-9999',
				status: 'hot',
				tags: 'vip',
				custom_fields: [],
				owner_id: 'nobody',
			});
			expect(response.status).toBe(422);
			expect(response.data.error.code).toBe('VALIDATION_ERROR');
			expect(response.data.error.details.map((d: { field: string }) => d.field)).toEqual([
				'name',
				'email',
				'phone',
				'status',
				'owner_id',
				'tags',
				'custom_fields',
			]);
			expect(response.data.error.details[0]).toEqual({ field: 'name', message: 'is required' });
			expect(response.data.error.message).toContain('email must be a valid email address');
		});

		it('answers 409 on a duplicate email (any case) or external id, with and without existing_id', async () => {
			const created = await api.post('/leads', { name: 'Ana', email: 'ana@example.com', custom_fields: { external_id: 'crm-1' } });
			expect(created.status).toBe(201);
			const byEmail = await api.post('/leads', { name: 'Ana 2', email: 'ANA@example.com' });
			expect(byEmail.status).toBe(409);
			expect(byEmail.data.error).toMatchObject({ code: 'CONFLICT', existing_id: created.data.data.id });
			expect(byEmail.data.error.details).toEqual([{ field: 'email', message: expect.any(String) }]);
			const byExternalId = await api.post('/leads', { name: 'Other', email: 'other@example.com', custom_fields: { external_id: 'crm-1' } });
			expect(byExternalId.status).toBe(409);
			expect(byExternalId.data.error.details[0].field).toBe('custom_fields.external_id');

			sandbox.updateSettings({ conflictIncludesExistingId: false });
			const withoutId = await api.post('/leads', { name: 'Ana 3', email: 'ana@example.com' });
			expect(withoutId.status).toBe(409);
			expect(withoutId.data.error).not.toHaveProperty('existing_id');
			expect(sandbox.state.leads.size).toBe(1);
		});

		it('filters by custom_fields.<key>, status, search and updated_after', async () => {
			const [a, b] = sandbox.seed({
				resource: 'leads',
				records: [
					{ name: 'Ana Lima', status: 'new', company: 'Acme', custom_fields: { external_id: 'crm-1', score: 7 } },
					{ name: 'Bia Reis', status: 'qualified', company: 'Globex', custom_fields: { external_id: 'crm-2' } },
					{ name: 'Caio Dias', status: 'new', company: 'ACME Brasil' },
				],
			}).records!;
			const byExternalId = await api.get('/leads', { params: { 'custom_fields.external_id': 'crm-2' } });
			expect(byExternalId.data.data.map((l: { id: string }) => l.id)).toEqual([b.id]);
			const byNumber = await api.get('/leads?custom_fields[score]=7');
			expect(byNumber.data.data.map((l: { id: string }) => l.id)).toEqual([a.id]);
			const search = await api.get('/leads', { params: { search: 'acme', status: 'new' } });
			expect(search.data.meta.total).toBe(2);
			const badStatus = await api.get('/leads', { params: { status: 'hot' } });
			expect(badStatus.status).toBe(422);

			// Seeds are stamped 1 ms apart after the latest write, so start just after the last one.
			const since = new Date(Date.parse(sandbox.state.clock.now()) + 1).toISOString();
			const patched = await api.patch(`/leads/${a.id}`, { company: 'Acme Corp' });
			expect(patched.data.data.updated_at >= since).toBe(true);
			const changed = await api.get('/leads', { params: { updated_after: since } });
			expect(changed.data.data.map((l: { id: string }) => l.id)).toEqual([a.id]);
			// updated_after is inclusive (>=).
			const inclusive = await api.get('/leads', { params: { updated_after: patched.data.data.updated_at } });
			expect(inclusive.data.meta.total).toBe(1);
		});

		it('can give many records the same updated_at and keeps later writes strictly increasing', async () => {
			const tie = '2026-01-01T00:00:00.000Z';
			sandbox.seed({ resource: 'leads', count: 5, sameUpdatedAt: tie });
			const tied = await api.get('/leads', { params: { updated_after: tie, sort: 'updated_at' } });
			expect(tied.data.data.map((l: { updated_at: string }) => l.updated_at)).toEqual(Array(5).fill(tie));
			const stamps: string[] = [];
			for (let i = 0; i < 5; i++) {
				const created = await api.post('/leads', { name: `L${i}`, email: `l${i}@example.com` });
				stamps.push(created.data.data.updated_at);
			}
			expect(stamps.every((stamp, i) => i === 0 || stamp > stamps[i - 1])).toBe(true);
			expect(stamps[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		});

		it('merges custom_fields on PATCH, bumps updated_at, and 409s a duplicating patch', async () => {
			const [a, b] = sandbox.seed({
				resource: 'leads',
				records: [{ custom_fields: { external_id: 'x-1', keep: 'yes', drop: 'me' } }, {}],
			}).records!;
			const patched = await api.patch(`/leads/${a.id}`, { custom_fields: { sync_marker: 'n8n@now', drop: null } });
			expect(patched.status).toBe(200);
			expect(patched.data.data.custom_fields).toEqual({ external_id: 'x-1', keep: 'yes', sync_marker: 'n8n@now' });
			expect(patched.data.data.updated_at > a.created_at).toBe(true);
			const duplicate = await api.patch(`/leads/${b.id}`, { email: (a as { email: string }).email.toUpperCase() });
			expect(duplicate.status).toBe(409);
			const empty = await api.patch(`/leads/${b.id}`, { name: '' });
			expect(empty.status).toBe(422);
			expect(empty.data.error.details).toEqual([{ field: 'name', message: 'cannot be empty' }]);
			expect((await api.delete(`/leads/${b.id}`)).status).toBe(204);
			expect((await api.get(`/leads/${b.id}`)).status).toBe(404);
		});

		it('converts a lead into a deal once', async () => {
			const lead = (await api.post('/leads', { name: 'Ana', email: 'ana@example.com', company: 'Acme' })).data.data;
			const converted = await api.post(`/leads/${lead.id}/convert`, { value: 1200, stage_id: 'stg_proposal' });
			expect(converted.status).toBe(201);
			expect(converted.data.data).toMatchObject({
				name: 'Ana - Acme',
				value: 1200,
				lead_id: lead.id,
				contact_email: 'ana@example.com',
				stage: { id: 'stg_proposal', name: 'Proposal', probability: 50 },
				status: 'open',
			});
			expect((await api.get(`/leads/${lead.id}`)).data.data.status).toBe('converted');
			const again = await api.post(`/leads/${lead.id}/convert`, {});
			expect(again.status).toBe(409);
			expect(again.data.error.existing_id).toBe(converted.data.data.id);
			expect(sandbox.emittedEvents().map((e) => e.type)).toEqual([
				'lead.created',
				'deal.created',
				'lead.updated',
				'lead.status_changed',
				'lead.converted',
			]);
		});
	});

	describe('deals, stages, users, teams', () => {
		it('validates deals and defaults to the first stage', async () => {
			const bad = await api.post('/deals', { value: -5, stage_id: 'stg_nope', expected_close_date: '2026-02-30' });
			expect(bad.status).toBe(422);
			expect(bad.data.error.details.map((d: { field: string }) => d.field)).toEqual(['name', 'value', 'stage_id', 'expected_close_date']);
			const deal = await api.post('/deals', { name: 'Big deal', value: 5000, custom_fields: { external_id: 'erp-9' } });
			expect(deal.status).toBe(201);
			expect(deal.data.data).toMatchObject({ status: 'open', stage: { id: 'stg_prospecting', name: 'Prospecting', probability: 10 } });
			const duplicate = await api.post('/deals', { name: 'Copy', custom_fields: { external_id: 'erp-9' } });
			expect(duplicate.status).toBe(409);
			expect(duplicate.data.error.details[0].field).toBe('custom_fields.external_id');
		});

		it('moves and closes deals with the matching events', async () => {
			const deal = (await api.post('/deals', { name: 'D', value: 10 })).data.data;
			const moved = await api.post(`/deals/${deal.id}/move`, { stage_id: 'stg_negotiation' });
			expect(moved.data.data.stage.name).toBe('Negotiation');
			const badClose = await api.post(`/deals/${deal.id}/close`, { status: 'maybe' });
			expect(badClose.status).toBe(422);
			expect(badClose.data.error.details[0].field).toBe('status');
			const won = await api.post(`/deals/${deal.id}/close`, { status: 'won', reason: 'price' });
			expect(won.data.data).toMatchObject({ status: 'won', stage: { id: 'stg_closed_won' }, close_reason: 'price' });
			expect(sandbox.emittedEvents().map((e) => e.type)).toEqual([
				'deal.created',
				'deal.updated',
				'deal.stage_changed',
				'deal.updated',
				'deal.stage_changed',
				'deal.won',
			]);
			const stages = await api.get('/stages');
			expect(stages.data.data.map((s: { name: string }) => s.name)).toEqual([
				'Prospecting',
				'Qualification',
				'Proposal',
				'Negotiation',
				'Closed Won',
				'Closed Lost',
			]);
		});

		it('filters deals by value, close date and custom field', async () => {
			sandbox.seed({
				resource: 'deals',
				records: [
					{ name: 'Small', value: 100, expected_close_date: '2026-03-01' },
					{ name: 'Mid', value: 1000, expected_close_date: '2026-04-01', custom_fields: { region: 'south' } },
					{ name: 'Large', value: 10000, expected_close_date: '2026-05-01' },
				],
			});
			const names = async (params: Record<string, string>) =>
				(await api.get('/deals', { params })).data.data.map((d: { name: string }) => d.name);
			expect(await names({ min_value: '500', max_value: '10000' })).toEqual(['Mid', 'Large']);
			expect(await names({ close_date_after: '2026-03-15', close_date_before: '2026-04-01' })).toEqual(['Mid']);
			expect(await names({ 'custom_fields.region': 'south' })).toEqual(['Mid']);
			expect(await names({ sort: '-value', per_page: '2' })).toEqual(['Large', 'Mid']);
			expect((await api.get('/deals', { params: { min_value: 'lots' } })).status).toBe(422);
		});

		it('invites, updates, filters and deactivates users; lists teams', async () => {
			const invited = await api.post('/users', { name: 'New Rep', email: 'rep@example.com', role: 'sales_rep', team_id: SEED_TEAMS[0].id });
			expect(invited.status).toBe(201);
			expect(invited.data.data.status).toBe('invited');
			expect((await api.post('/users', { name: 'Dup', email: SEED_USERS[0].email })).status).toBe(409);
			const activated = await api.patch(`/users/${invited.data.data.id}`, { status: 'active' });
			expect(activated.data.data.status).toBe('active');
			const reps = await api.get('/users', { params: { role: 'sales_rep', team_id: SEED_TEAMS[0].id } });
			expect(reps.data.data.map((u: { email: string }) => u.email)).toEqual([SEED_USERS[2].email, 'rep@example.com']);
			expect((await api.delete(`/users/${invited.data.data.id}`)).status).toBe(204);
			expect((await api.get(`/users/${invited.data.data.id}`)).data.data.status).toBe('deactivated');
			expect(sandbox.emittedEvents().map((e) => e.type)).toEqual([
				'user.created',
				'user.updated',
				'user.activated',
				'user.updated',
				'user.deactivated',
			]);
			const teams = await api.get('/teams');
			expect(teams.data.data.map((t: { name: string }) => t.name)).toEqual(SEED_TEAMS.map((t) => t.name));
		});
	});

	it('changes records through the control API like a SalesOS user', async () => {
		const lead = sandbox.seed({ resource: 'leads', count: 1 }).records![0];
		const seededAt = lead.updated_at;
		const http = rawClient(sandbox);
		const mutated = await http.post('/__sandbox/mutate', { resource: 'leads', id: lead.id, changes: { status: 'qualified' } });
		expect(mutated.status).toBe(200);
		expect(mutated.data.data.status).toBe('qualified');
		expect(mutated.data.data.updated_at > seededAt).toBe(true);
		expect(sandbox.emittedEvents().map((e) => e.type)).toEqual(['lead.updated', 'lead.status_changed']);
		const invalid = await http.post('/__sandbox/mutate', { resource: 'leads', id: lead.id, changes: { email: 'nope' } });
		expect(invalid.status).toBe(422);
		const deleted = await http.post('/__sandbox/mutate', { resource: 'leads', id: lead.id, op: 'delete' });
		expect(deleted.data.data).toEqual({ id: lead.id, deleted: true });
		expect(sandbox.state.leads.size).toBe(0);
	});
});
