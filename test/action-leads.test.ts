/** SalesOS node, lead resource: every operation, duplicates (409) and upsert on each key. */
import type { IDataObject } from 'n8n-workflow';

import { customFields, pairedIndexes, rl, useActionHarness } from './action-support';
import { SEED_TEAMS, SEED_USERS, STAGES, type Lead } from './sandbox';

const harness = useActionHarness();
const [owner] = SEED_USERS;
const [team] = SEED_TEAMS;

function storedLeads(): Lead[] {
	return harness.sandbox.records('leads') as Lead[];
}

function seedLead(fields: Record<string, unknown>): Lead {
	return harness.sandbox.seed({ resource: 'leads', records: [fields] }).records![0] as Lead;
}

const create = (email: string, extra: IDataObject = {}) => ({
	resource: 'lead',
	operation: 'create',
	name: 'Ana Lima',
	email,
	...extra,
});

describe('lead create, get, update, delete, convert', () => {
	it('creates a lead with every field', async () => {
		const [output] = await harness.runOk(
			create('ana@example.com', {
				additionalFields: {
					phone: '+5511999999999',
					company: 'Acme',
					position: 'CTO',
					source: 'website',
					status: 'qualified',
					owner: rl(owner.id),
					team: { __rl: true, mode: 'list', value: team.id, cachedResultName: team.name },
					tags: 'vip, inbound',
					customFields: customFields({ external_id: 'crm-1', region: 'south' }),
				},
			}),
		);
		expect(output.operationResult).toBe('created');
		expect(storedLeads()).toHaveLength(1);
		expect(storedLeads()[0]).toMatchObject({
			id: output.id,
			name: 'Ana Lima',
			email: 'ana@example.com',
			phone: '+5511999999999',
			company: 'Acme',
			position: 'CTO',
			source: 'website',
			status: 'qualified',
			owner_id: owner.id,
			team_id: team.id,
			tags: ['vip', 'inbound'],
			custom_fields: { external_id: 'crm-1', region: 'south' },
		});
	});

	it('takes tags from an expression returning a list', async () => {
		await harness.runOk(create('={{ $json.email }}', { additionalFields: { tags: '={{ $json.tags }}' } }), [
			{ email: 'x@example.com', tags: ['a', 'b, c'] },
		]);
		expect(storedLeads()[0].tags).toEqual(['a', 'b', 'c']);
	});

	it('gets, updates (merging custom fields), and deletes leads per item', async () => {
		const lead = seedLead({ name: 'Old', email: 'old@example.com', custom_fields: { keep: 'me' }, tags: ['x'] });
		const [got] = await harness.runOk({ resource: 'lead', operation: 'get', leadId: lead.id });
		expect(got).toMatchObject({ id: lead.id, email: 'old@example.com' });

		const [updated] = await harness.runOk({
			resource: 'lead',
			operation: 'update',
			leadId: lead.id,
			updateFields: { name: 'New', status: 'contacted', tags: 'y', customFields: customFields({ added: '1' }) },
		});
		expect(updated).toMatchObject({ id: lead.id, name: 'New', status: 'contacted', tags: ['y'] });
		expect(harness.sandbox.state.leads.get(lead.id)?.custom_fields).toEqual({ keep: 'me', added: '1' });

		const deleted = await harness.runOk({ resource: 'lead', operation: 'delete', leadId: '={{ $json.id }}' }, [
			{ id: lead.id },
		]);
		expect(deleted).toEqual([{ id: lead.id, deleted: true }]);
		expect(harness.sandbox.state.leads.get(lead.id)).toBeUndefined();
	});

	it('an update can carry only the sync marker', async () => {
		const lead = seedLead({ name: 'A', email: 'a@example.com', custom_fields: { keep: 'me' } });
		await harness.runOk({
			resource: 'lead',
			operation: 'update',
			leadId: lead.id,
			updateFields: {},
			options: { syncMarker: true },
		});
		const stored = harness.sandbox.state.leads.get(lead.id)?.custom_fields;
		expect(stored).toEqual({ keep: 'me', sync_marker: expect.stringMatching(/^n8n@\d{4}-/) });
	});

	it('refuses an update with nothing to change, naming what to do', async () => {
		const lead = seedLead({ name: 'A', email: 'a@example.com' });
		const result = await harness.run({ resource: 'lead', operation: 'update', leadId: lead.id, updateFields: {} });
		expect(result.error?.message).toBe('Nothing to update');
		expect(result.error?.description).toContain('Update Fields');
		expect(harness.sandbox.requestCount('PATCH /v1/leads/:id')).toBe(0);
	});

	it('converts a lead into a deal', async () => {
		const lead = seedLead({ name: 'Buyer', email: 'buyer@example.com', status: 'qualified' });
		const [deal] = await harness.runOk({
			resource: 'lead',
			operation: 'convert',
			leadId: lead.id,
			additionalFields: { dealName: 'Big deal', value: 5000, stage: rl(STAGES[2].id) },
		});
		expect(deal).toMatchObject({ name: 'Big deal', value: 5000, lead_id: lead.id, stage: { id: STAGES[2].id } });
		expect(harness.sandbox.state.leads.get(lead.id)?.status).toBe('converted');
	});
});

describe('writes that SalesOS stored before the connection dropped', () => {
	it('delete: the retry’s 404 counts as deleted', async () => {
		const lead = seedLead({ name: 'Gone', email: 'gone@example.com' });
		harness.sandbox.setFaults([{ route: '/v1/leads/:id', method: 'DELETE', reset: true, when: 'after', count: 1 }]);
		expect(await harness.runOk({ resource: 'lead', operation: 'delete', leadId: lead.id })).toEqual([
			{ id: lead.id, deleted: true },
		]);
		expect(harness.sandbox.requestCount('DELETE /v1/leads/:id', 404)).toBe(1);
	});

	it('convert: the retry’s 409 resolves to the deal the first attempt created', async () => {
		const lead = seedLead({ name: 'Buyer', email: 'buyer@example.com' });
		harness.sandbox.setFaults([{ route: '/v1/leads/:id/convert', method: 'POST', reset: true, when: 'after', count: 1 }]);
		const [deal] = await harness.runOk({ resource: 'lead', operation: 'convert', leadId: lead.id });
		expect(deal).toMatchObject({ lead_id: lead.id });
		expect(harness.sandbox.records('deals')).toEqual([expect.objectContaining({ id: deal.id })]);
		expect(harness.sandbox.requestCount('POST /v1/leads/:id/convert', 409)).toBe(1);
	});
});

describe('lead get many', () => {
	it('applies every filter, custom field filters and sort; one item per record', async () => {
		harness.sandbox.seed({ resource: 'leads', count: 5, fields: { status: 'new' } });
		const match = seedLead({
			name: 'Zed Match',
			email: 'zed@match.com',
			status: 'qualified',
			source: 'fair',
			owner_id: owner.id,
			team_id: team.id,
			custom_fields: { external_id: 'ext-7' },
		});
		seedLead({ name: 'Yan Match', email: 'yan@match.com', status: 'qualified', source: 'fair', owner_id: owner.id, team_id: team.id });

		const filtered = await harness.runOk({
			resource: 'lead',
			operation: 'getMany',
			returnAll: true,
			filters: {
				status: 'qualified',
				source: 'fair',
				owner: rl(owner.id),
				team: rl(team.id),
				search: 'match.com',
				createdAfter: '2000-01-01T00:00:00Z',
				createdBefore: '2100-01-01T00:00:00Z',
				updatedAfter: '2000-01-01T00:00:00Z',
				customFields: customFields({ external_id: 'ext-7' }),
			},
		});
		expect(filtered.map((lead) => lead.id)).toEqual([match.id]);

		const sorted = await harness.runOk({
			resource: 'lead',
			operation: 'getMany',
			returnAll: true,
			filters: { search: 'match.com' },
			options: { sortField: 'name', sortDirection: 'desc' },
		});
		expect(sorted.map((lead) => lead.name)).toEqual(['Zed Match', 'Yan Match']);

		const future = await harness.runOk({
			resource: 'lead',
			operation: 'getMany',
			returnAll: true,
			filters: { updatedAfter: '2100-01-01T00:00:00Z' },
		});
		expect(future).toEqual([]);
	});

	it('stops paging at the limit: 150 of 400 leads in 2 page requests', async () => {
		harness.sandbox.seed({ resource: 'leads', count: 400, returnRecords: false });
		const result = await harness.run({ resource: 'lead', operation: 'getMany', returnAll: false, limit: 150 });
		expect(result.items).toHaveLength(150);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(150);
		expect(harness.sandbox.requestCount('GET /v1/leads')).toBe(2);
		expect(pairedIndexes(result.items).every((index) => index === 0)).toBe(true);
	});

	it('returns all of 1,050 leads', async () => {
		harness.sandbox.seed({ resource: 'leads', count: 1050, returnRecords: false });
		const leads = await harness.runOk({ resource: 'lead', operation: 'getMany', returnAll: true });
		expect(leads).toHaveLength(1050);
		expect(new Set(leads.map((lead) => lead.id)).size).toBe(1050);
		expect(harness.sandbox.requestCount('GET /v1/leads')).toBe(11);
	});
});

describe.each([true, false])('lead create on duplicate (409 carries existing_id: %s)', (withExistingId) => {
	beforeEach(() => harness.sandbox.updateSettings({ conflictIncludesExistingId: withExistingId }));

	const existing = () =>
		seedLead({ name: 'Ana', email: 'ana@example.com', company: 'Old Co', custom_fields: { external_id: 'crm-1' } });

	it('error (default): the item fails with the 409 and its field', async () => {
		existing();
		const result = await harness.run(create('ANA@example.com'), [{ in: 1 }], 'continueErrorOutput');
		expect(result.outputs[0]).toEqual([]);
		expect(result.outputs[1]).toHaveLength(1);
		expect(result.outputs[1][0].json).toMatchObject({
			in: 1,
			error: { status: 409, code: 'CONFLICT', details: [{ field: 'email' }] },
		});
		expect(storedLeads()).toHaveLength(1);
	});

	it('returnExisting: outputs the existing lead untouched', async () => {
		const lead = existing();
		const [output] = await harness.runOk(
			create('ana@example.com', { additionalFields: { company: 'New Co' }, options: { onDuplicate: 'returnExisting' } }),
		);
		expect(output).toMatchObject({ id: lead.id, company: 'Old Co', operationResult: 'existing' });
		expect(harness.sandbox.requestCount('PATCH /v1/leads/:id')).toBe(0);
	});

	it('update: writes the new values to the existing lead, or reports unchanged without a PATCH', async () => {
		const lead = existing();
		const options = { onDuplicate: 'update' };
		const [updated] = await harness.runOk(create('ana@example.com', { additionalFields: { company: 'New Co' }, options }));
		expect(updated).toMatchObject({ id: lead.id, company: 'New Co', operationResult: 'updated' });
		expect(harness.sandbox.state.leads.get(lead.id)?.company).toBe('New Co');

		const [again] = await harness.runOk(create('ana@example.com', { additionalFields: { company: 'New Co' }, options }));
		expect(again).toMatchObject({ id: lead.id, operationResult: 'unchanged' });
		expect(harness.sandbox.requestCount('PATCH /v1/leads/:id')).toBe(1);
		expect(storedLeads()).toHaveLength(1);
	});

	it('update: finds a duplicate by custom_fields.external_id too', async () => {
		const lead = existing();
		const [output] = await harness.runOk(
			create('other@example.com', {
				name: 'Renamed',
				additionalFields: { customFields: customFields({ external_id: 'crm-1' }) },
				options: { onDuplicate: 'update' },
			}),
		);
		expect(output).toMatchObject({ id: lead.id, name: 'Renamed', email: 'other@example.com', operationResult: 'updated' });
		expect(storedLeads()).toHaveLength(1);
	});
});

describe('lead upsert', () => {
	const upsert = (extra: IDataObject) => ({ resource: 'lead', operation: 'upsert', name: 'Ana', ...extra });

	it('matches on email: created, then updated, then unchanged (no PATCH)', async () => {
		const parameters = (company: string) =>
			upsert({ matchOn: 'email', email: 'ana@example.com', additionalFields: { company, tags: 'a,b' } });
		const [created] = await harness.runOk(parameters('One'));
		const [updated] = await harness.runOk({ ...parameters('Two'), email: 'ANA@example.com' });
		const [unchanged] = await harness.runOk(parameters('Two'));
		expect([created.operationResult, updated.operationResult, unchanged.operationResult]).toEqual([
			'created',
			'updated',
			'unchanged',
		]);
		expect(updated.id).toBe(created.id);
		expect(unchanged).toMatchObject({ id: created.id, company: 'Two' });
		expect(storedLeads()).toHaveLength(1);
		expect(harness.sandbox.requestCount('PATCH /v1/leads/:id')).toBe(1);
	});

	it('matches on an external id in a custom field of the user’s choice', async () => {
		const parameters = (name: string) =>
			upsert({ name, matchOn: 'externalId', externalIdKey: 'crm_id', externalId: 'C-9', email: 'c9@example.com' });
		const [created] = await harness.runOk(parameters('First'));
		expect(created).toMatchObject({ operationResult: 'created', custom_fields: { crm_id: 'C-9' } });
		const [updated] = await harness.runOk(parameters('Second'));
		expect(updated).toMatchObject({ id: created.id, name: 'Second', operationResult: 'updated' });
		const [unchanged] = await harness.runOk(parameters('Second'));
		expect(unchanged).toMatchObject({ id: created.id, operationResult: 'unchanged' });
		expect(storedLeads()).toHaveLength(1);
	});

	it('matches on the SalesOS id; an unknown id creates a new lead', async () => {
		const lead = seedLead({ name: 'Ana', email: 'ana@example.com' });
		const [updated] = await harness.runOk(
			upsert({ matchOn: 'id', leadId: lead.id, email: 'ana@example.com', additionalFields: { position: 'CEO' } }),
		);
		expect(updated).toMatchObject({ id: lead.id, position: 'CEO', operationResult: 'updated' });
		const [unchanged] = await harness.runOk(
			upsert({ matchOn: 'id', leadId: lead.id, email: 'ana@example.com', additionalFields: { position: 'CEO' } }),
		);
		expect(unchanged.operationResult).toBe('unchanged');
		const [created] = await harness.runOk(
			upsert({ matchOn: 'id', leadId: '00000000-0000-4000-8000-00000000dead', email: 'new@example.com' }),
		);
		expect(created.operationResult).toBe('created');
		expect(storedLeads()).toHaveLength(2);
	});

	it('stamps the sync marker on writes but ignores it when deciding "unchanged"', async () => {
		const parameters = upsert({
			matchOn: 'email',
			email: 'ana@example.com',
			options: { syncMarker: true, syncMarkerKey: 'origin', syncMarkerValue: 'hub' },
		});
		const [created] = await harness.runOk(parameters);
		const stamp = harness.sandbox.state.leads.get(String(created.id))?.custom_fields.origin;
		expect(stamp).toMatch(/^hub@\d{4}-\d{2}-\d{2}T/);
		const [again] = await harness.runOk(parameters);
		expect(again.operationResult).toBe('unchanged');
		expect(harness.sandbox.requestCount('PATCH /v1/leads/:id')).toBe(0);
	});

	describe('Existing Record Check', () => {
		const input = Array.from({ length: 30 }, (_, index) => ({ name: `Bulk ${index}`, email: `bulk${index}@example.com` }));
		const bulk = (options: IDataObject, company = 'Acme') =>
			upsert({
				name: '={{ $json.name }}',
				matchOn: 'email',
				email: '={{ $json.email }}',
				additionalFields: { company },
				options: { maxConcurrentRequests: 1, ...options },
			});
		const requests = () => ({
			lookups: harness.sandbox.requestCount('GET /v1/leads'),
			creates: harness.sandbox.requestCount('POST /v1/leads', 201),
			conflicts: harness.sandbox.requestCount('POST /v1/leads', 409),
			updates: harness.sandbox.requestCount('PATCH /v1/leads/:id'),
		});

		it('Automatic creates first once new leads dominate the run, and keeps looking up while existing ones do', async () => {
			const created = await harness.runOk(bulk({}), input);
			expect(created.every((lead) => lead.operationResult === 'created')).toBe(true);
			// Only the first lead is looked up; after it, new leads outnumber existing ones.
			expect(requests()).toEqual({ lookups: 1, creates: 30, conflicts: 0, updates: 0 });

			harness.sandbox.resetCounters();
			const updated = await harness.runOk(bulk({}, 'Globex'), input);
			expect(updated.every((lead) => lead.operationResult === 'updated')).toBe(true);
			expect(requests()).toEqual({ lookups: 30, creates: 0, conflicts: 0, updates: 30 });
			expect(storedLeads()).toHaveLength(30);
		});

		it('Look Up First looks every lead up; Create First updates existing leads through the 409', async () => {
			await harness.runOk(bulk({ upsertLookup: 'lookUpFirst' }), input.slice(0, 5));
			expect(requests()).toEqual({ lookups: 5, creates: 5, conflicts: 0, updates: 0 });

			harness.sandbox.resetCounters();
			const results = await harness.runOk(bulk({ upsertLookup: 'createFirst' }, 'Globex'), input.slice(0, 10));
			expect(results.map((lead) => lead.operationResult)).toEqual([...Array(5).fill('updated'), ...Array(5).fill('created')]);
			expect(results.every((lead) => lead.company === 'Globex')).toBe(true);
			expect(requests()).toMatchObject({ creates: 5, conflicts: 5, updates: 5 });
			expect(storedLeads()).toHaveLength(10);
		});

		it('Create First on a custom field SalesOS does not keep unique still looks up, so no duplicate is created', async () => {
			const parameters = upsert({
				matchOn: 'externalId',
				externalIdKey: 'crm_id',
				externalId: 'C-1',
				email: '={{ $json.email }}',
				options: { upsertLookup: 'createFirst' },
			});
			await harness.runOk(parameters, [{ email: 'one@example.com' }]);
			const [second] = await harness.runOk(parameters, [{ email: 'two@example.com' }]);
			expect(second.operationResult).toBe('updated');
			expect(storedLeads()).toHaveLength(1);
			expect(harness.sandbox.requestCount('GET /v1/leads')).toBe(2);
		});
	});

	it('explains an empty match value instead of matching everything', async () => {
		const result = await harness.run(upsert({ matchOn: 'email', email: '={{ $json.email }}' }), [{ email: ' ' }]);
		expect(result.error?.message).toBe('Email is empty');
		expect(harness.sandbox.requestCount('GET /v1/leads')).toBe(0);
	});
});
