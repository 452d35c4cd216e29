/**
 * SalesOS node version 2: Lead and Deal are resource locators (From List / By ID / By URL);
 * version 1 keeps plain text IDs (the other action suites run version 1).
 */
import type { IDataObject } from 'n8n-workflow';

import { useActionHarness } from './action-support';
import type { Deal, Lead } from './sandbox';
import { AUTO_MAP } from './helpers/fieldMapping';

const harness = useActionHarness();
beforeEach(() => {
	harness.nodeVersion = 2;
});

const locator = (mode: 'list' | 'id' | 'url', value: string) => ({ __rl: true, mode, value });

function seedLeads(records: IDataObject[]): Lead[] {
	return harness.sandbox.seed({ resource: 'leads', records }).records as Lead[];
}

function seedDeal(fields: IDataObject): Deal {
	return harness.sandbox.seed({ resource: 'deals', records: [fields] }).records![0] as Deal;
}

describe('Lead and Deal locators (node version 2)', () => {
	it('gets a lead picked from the list, by ID and by link', async () => {
		const [lead] = seedLeads([{ name: 'Ana Souza', email: 'ana@acme.com' }]);
		for (const leadId of [
			locator('list', lead.id),
			locator('id', lead.id),
			locator('url', `https://app.play2sell.com/crm/leads/${lead.id}?tab=notes`),
			locator('id', '={{ $json.id }}'),
		]) {
			const [output] = await harness.runOk({ resource: 'lead', operation: 'get', leadId }, [{ id: lead.id }]);
			expect(output).toMatchObject({ id: lead.id, email: 'ana@acme.com' });
		}
	});

	it('moves and closes a deal given by link', async () => {
		const deal = seedDeal({ name: 'Acme renewal' });
		const dealId = locator('url', `https://api.play2sell.com/v1/deals/${deal.id}`);
		await harness.runOk({ resource: 'deal', operation: 'close', dealId, status: 'won' });
		expect(harness.sandbox.state.deals.get(deal.id)).toMatchObject({ status: 'won' });
	});

	it('names the problem when a link is not a link to that kind of record', async () => {
		const [lead] = seedLeads([{ name: 'Ana', email: 'ana@acme.com' }]);
		const leadLink = `https://app.play2sell.com/leads/${lead.id}`;
		// Typed in, n8n checks the link before running (the mode's validation).
		await expect(harness.run({ resource: 'deal', operation: 'get', dealId: locator('url', leadLink) })).rejects.toThrow(
			'Not a SalesOS deal link: it should end in /deals/<ID>',
		);
		// Mapped from an item, the node checks it, item by item.
		const mapped = await harness.run(
			{ resource: 'deal', operation: 'get', dealId: locator('url', '={{ $json.link }}') },
			[{ link: leadLink }],
			'continueRegularOutput',
		);
		expect(mapped.items[0].json.error).toMatchObject({
			message: `Not a link to a SalesOS deal: ${leadLink}`,
			description: 'A deal link ends in /deals/<ID>. Or pick the deal from the list, or enter its ID.',
		});
	});

	it('says what to do when an item has no lead ID', async () => {
		const result = await harness.run({ resource: 'lead', operation: 'delete', leadId: locator('id', '={{ $json.id }}') });
		expect(result.error?.message).toBe('Lead ID is empty');
		expect(result.error?.description).toMatch(/^Pick the lead from the list, or enter its ID or link/);
	});

	it('Create or Update matched on ID takes the locator', async () => {
		const [lead] = seedLeads([{ name: 'Ana', email: 'ana@acme.com' }]);
		const [output] = await harness.runOk(
			{
				resource: 'lead',
				operation: 'upsert',
				matchOn: 'id',
				leadId: locator('list', lead.id),
				columns: AUTO_MAP,
			},
			[{ name: 'Ana Souza', email: 'ana@acme.com' }],
		);
		expect(output).toMatchObject({ id: lead.id, operationResult: 'updated', name: 'Ana Souza' });
	});

	it('lists leads and deals, most recently changed first, searchable', async () => {
		const [older, newer] = seedLeads([
			{ name: 'Ana Souza', email: 'ana@acme.com', updated_at: '2026-01-01T00:00:00Z' },
			{ name: 'Bruno Lima', email: 'bruno@globex.com', updated_at: '2026-02-01T00:00:00Z' },
		]);
		expect((await harness.listSearch('searchLeads')).results).toEqual([
			{ name: 'Bruno Lima (bruno@globex.com)', value: newer.id },
			{ name: 'Ana Souza (ana@acme.com)', value: older.id },
		]);
		expect((await harness.listSearch('searchLeads', 'acme')).results.map((lead) => lead.value)).toEqual([older.id]);

		const deal = seedDeal({ name: 'Acme renewal', company: 'Acme' });
		expect((await harness.listSearch('searchDeals', 'renewal')).results).toEqual([
			{ name: 'Acme renewal – Acme', value: deal.id },
		]);
	});

	it('keeps only matching leads when SalesOS ignores the search', async () => {
		harness.sandbox.updateSettings({ ignoredListFilters: ['search'] });
		const [ana] = seedLeads([
			{ name: 'Ana Souza', email: 'ana@acme.com' },
			{ name: 'Bruno Lima', email: 'bruno@globex.com' },
		]);
		expect((await harness.listSearch('searchLeads', 'souza')).results.map((lead) => lead.value)).toEqual([ana.id]);
	});

	it('pages through long lists', async () => {
		harness.sandbox.seed({ resource: 'leads', count: 150, returnRecords: false });
		const first = await harness.listSearch('searchLeads');
		expect(first.results).toHaveLength(100);
		const second = await harness.listSearch('searchLeads', undefined, first.paginationToken);
		expect(second.results).toHaveLength(50);
		expect(second.paginationToken).toBeUndefined();
	});
});
