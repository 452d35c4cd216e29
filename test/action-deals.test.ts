/** SalesOS node: deals, stages, users, teams, webhooks and the owner/team/stage pickers. */
import type { IDataObject } from 'n8n-workflow';

import { customFields, rl, useActionHarness } from './action-support';
import { SEED_TEAMS, SEED_USERS, STAGES, type Deal } from './sandbox';

const harness = useActionHarness({ webhookAllowHttpLoopback: true });
const [, manager, rep] = SEED_USERS;
const [insideSales] = SEED_TEAMS;

function storedDeals(): Deal[] {
	return harness.sandbox.records('deals') as Deal[];
}

function seedDeal(fields: Record<string, unknown>): Deal {
	return harness.sandbox.seed({ resource: 'deals', records: [fields] }).records![0] as Deal;
}

describe('deal operations', () => {
	it('creates a deal with every field', async () => {
		const [output] = await harness.runOk({
			resource: 'deal',
			operation: 'create',
			name: 'Acme renewal',
			additionalFields: {
				value: 1200.5,
				stage: rl(STAGES[1].id),
				contactName: 'Ana',
				contactEmail: 'ana@acme.com',
				company: 'Acme',
				owner: rl(rep.id),
				team: rl(insideSales.id),
				expectedCloseDate: '2025-06-30T00:00:00',
				priority: 'high',
				customFields: customFields({ external_id: 'opp-1' }),
			},
		});
		expect(output.operationResult).toBe('created');
		expect(harness.sandbox.state.deals.get(String(output.id))).toMatchObject({
			name: 'Acme renewal',
			value: 1200.5,
			stage: { id: STAGES[1].id },
			contact_name: 'Ana',
			contact_email: 'ana@acme.com',
			company: 'Acme',
			owner_id: rep.id,
			team_id: insideSales.id,
			expected_close_date: '2025-06-30',
			priority: 'high',
			custom_fields: { external_id: 'opp-1' },
		});
	});

	it('gets, updates, moves, closes and deletes a deal', async () => {
		const deal = seedDeal({ name: 'D', value: 10 });
		const run = (operation: string, extra: IDataObject = {}) =>
			harness.runOk({ resource: 'deal', operation, dealId: deal.id, ...extra });

		expect((await run('get'))[0]).toMatchObject({ id: deal.id, name: 'D' });
		expect((await run('update', { updateFields: { value: 99, priority: 'low' } }))[0]).toMatchObject({
			value: 99,
			priority: 'low',
		});
		expect((await run('move', { stage: rl(STAGES[3].id) }))[0]).toMatchObject({ stage: { id: STAGES[3].id } });
		expect((await run('close', { status: 'lost', reason: 'Budget cut' }))[0]).toMatchObject({
			status: 'lost',
			close_reason: 'Budget cut',
		});
		expect(await run('delete')).toEqual([{ id: deal.id, deleted: true }]);
		expect(storedDeals()).toEqual([]);
	});

	it('lists deals with the deal filters', async () => {
		seedDeal({ name: 'Small', value: 5, stage_id: STAGES[0].id, expected_close_date: '2025-01-10' });
		const big = seedDeal({
			name: 'Big',
			value: 500,
			stage_id: STAGES[2].id,
			owner_id: manager.id,
			team_id: insideSales.id,
			expected_close_date: '2025-02-10',
			custom_fields: { external_id: 'b-1' },
		});
		const found = await harness.runOk({
			resource: 'deal',
			operation: 'getMany',
			returnAll: true,
			filters: {
				stage: rl(STAGES[2].id),
				owner: rl(manager.id),
				team: rl(insideSales.id),
				status: 'open',
				minValue: 100,
				maxValue: 1000,
				closeDateAfter: '2025-02-01T00:00:00',
				closeDateBefore: '2025-02-28T00:00:00',
				updatedAfter: '2000-01-01T00:00:00Z',
				search: 'big',
				customFields: customFields({ external_id: 'b-1' }),
			},
			options: { sortField: 'value', sortDirection: 'desc' },
		});
		expect(found.map((deal) => deal.id)).toEqual([big.id]);
	});

	it.each([true, false])('create on duplicate external_id resolves the existing deal (existing_id: %s)', async (withId) => {
		harness.sandbox.updateSettings({ conflictIncludesExistingId: withId });
		const deal = seedDeal({ name: 'Old', custom_fields: { external_id: 'opp-9' } });
		const parameters = (onDuplicate: string) => ({
			resource: 'deal',
			operation: 'create',
			name: 'New',
			additionalFields: { customFields: customFields({ external_id: 'opp-9' }) },
			options: { onDuplicate },
		});
		expect((await harness.runOk(parameters('returnExisting')))[0]).toMatchObject({
			id: deal.id,
			name: 'Old',
			operationResult: 'existing',
		});
		expect((await harness.runOk(parameters('update')))[0]).toMatchObject({
			id: deal.id,
			name: 'New',
			operationResult: 'updated',
		});
		const failed = await harness.run(parameters('error'), [{}], 'continueRegularOutput');
		expect(failed.items[0].json.error).toMatchObject({
			status: 409,
			code: 'CONFLICT',
			details: [{ field: 'custom_fields.external_id' }],
		});
		expect(storedDeals()).toHaveLength(1);
	});

	it('upserts on external id (created, updated, unchanged) and on SalesOS id', async () => {
		const parameters = (value: number) => ({
			resource: 'deal',
			operation: 'upsert',
			matchOn: 'externalId',
			externalId: 'opp-2',
			name: 'Deal two',
			additionalFields: { value, stage: rl(STAGES[1].id), expectedCloseDate: '2025-05-01' },
		});
		const results = [];
		for (const value of [10, 20, 20]) results.push((await harness.runOk(parameters(value)))[0]);
		expect(results.map((deal) => deal.operationResult)).toEqual(['created', 'updated', 'unchanged']);
		expect(new Set(results.map((deal) => deal.id)).size).toBe(1);
		expect(storedDeals()[0].custom_fields).toEqual({ external_id: 'opp-2' });

		const [byId] = await harness.runOk({
			resource: 'deal',
			operation: 'upsert',
			matchOn: 'id',
			dealId: results[0].id,
			name: 'Renamed',
		});
		expect(byId).toMatchObject({ id: results[0].id, name: 'Renamed', operationResult: 'updated' });
		expect(storedDeals()).toHaveLength(1);
	});
});

describe('stages, users and teams', () => {
	it('lists stages in order, teams, and users with filters; gets a user', async () => {
		const stages = await harness.runOk({ resource: 'stage', operation: 'getMany', returnAll: true });
		expect(stages.map((stage) => stage.id)).toEqual(STAGES.map((stage) => stage.id));
		const teams = await harness.runOk({ resource: 'team', operation: 'getMany', returnAll: false, limit: 1 });
		expect(teams).toEqual([expect.objectContaining({ id: SEED_TEAMS[0].id })]);

		const reps = await harness.runOk({
			resource: 'user',
			operation: 'getMany',
			returnAll: true,
			filters: { role: 'sales_rep', team: rl(insideSales.id), status: 'active', search: 'rita' },
		});
		expect(reps.map((user) => user.id)).toEqual([rep.id]);
		const [user] = await harness.runOk({ resource: 'user', operation: 'get', userId: manager.id });
		expect(user).toMatchObject({ id: manager.id, role: 'manager' });
	});

	it('offers owners, teams and stages in the pickers, searchable', async () => {
		const users = await harness.listSearch('searchUsers', 'rita');
		expect(users.results).toEqual([{ name: `${rep.name} (${rep.email})`, value: rep.id }]);
		const teams = await harness.listSearch('searchTeams');
		expect(teams.results.map((team) => team.value)).toEqual(SEED_TEAMS.map((team) => team.id));
		const stages = await harness.listSearch('searchStages', 'closed');
		expect(stages.results.map((stage) => stage.name)).toEqual(['Closed Won', 'Closed Lost']);
	});
});

describe('webhooks', () => {
	it('creates (All Events = every event), lists, updates and deletes a subscription', async () => {
		const [created] = await harness.runOk({
			resource: 'webhook',
			operation: 'create',
			url: 'http://127.0.0.1:9/hook',
			events: ['*'],
			additionalFields: { secret: 'whsec_test', description: 'n8n', active: false },
		});
		expect(created.events).toHaveLength(15);
		expect(created).toMatchObject({ url: 'http://127.0.0.1:9/hook', active: false, description: 'n8n' });
		expect(harness.sandbox.webhooks()[0].secret).toBe('whsec_test');

		const listed = await harness.runOk({ resource: 'webhook', operation: 'getMany', returnAll: true });
		expect(listed.map((webhook) => webhook.id)).toEqual([created.id]);

		const [updated] = await harness.runOk({
			resource: 'webhook',
			operation: 'update',
			webhookId: created.id,
			updateFields: { events: ['lead.created', 'deal.won'], active: true },
		});
		expect(updated).toMatchObject({ events: ['deal.won', 'lead.created'], active: true });

		expect(await harness.runOk({ resource: 'webhook', operation: 'delete', webhookId: created.id })).toEqual([
			{ id: created.id, deleted: true },
		]);
		expect(harness.sandbox.webhooks()).toEqual([]);
	});
});
