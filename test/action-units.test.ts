import type { INode } from 'n8n-workflow';

import { mapWithConcurrency } from '../nodes/SalesOs/execution/concurrency';
import { changedFields } from '../nodes/SalesOs/records/changes';
import { buildBody, buildQuery, normalizeTags } from '../nodes/SalesOs/records/serialisation';
import { DEAL, LEAD } from '../nodes/SalesOs/records/specs';

const node: INode = {
	id: 'n',
	name: 'SalesOS',
	type: 'n8n-nodes-salesos.salesOs',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const leadSpecs = [...LEAD.requiredFields, ...LEAD.optionalFields];
const dealSpecs = [...DEAL.requiredFields, ...DEAL.optionalFields];

describe('mapWithConcurrency', () => {
	it('keeps input order, never exceeds the limit and uses it fully', async () => {
		let running = 0;
		let peak = 0;
		const results = await mapWithConcurrency(40, 7, async (index) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((resolve) => setTimeout(resolve, (index * 7) % 5));
			running--;
			return index * 2;
		});
		expect(results).toEqual(Array.from({ length: 40 }, (_, index) => index * 2));
		expect(peak).toBe(7);
	});

	it('stops starting tasks after a failure and rejects with the lowest failing index', async () => {
		const started: number[] = [];
		const failing = mapWithConcurrency(100, 3, async (index) => {
			started.push(index);
			await new Promise((resolve) => setTimeout(resolve, index === 4 ? 5 : 1));
			if (index === 4 || index === 5) throw new Error(`failed ${index}`);
			return index;
		});
		await expect(failing).rejects.toThrow('failed 4');
		expect(started.length).toBeLessThan(15);
	});
});

describe('field values', () => {
	it('accepts tags as comma-separated text or a list, trimmed and de-duplicated', () => {
		expect(normalizeTags('vip, inbound ,vip,', node)).toEqual(['vip', 'inbound']);
		expect(normalizeTags(['a', 'b, c'], node)).toEqual(['a', 'b', 'c']);
	});

	it('builds a lead body: locators, custom fields, tags, blanks left out', () => {
		const body = buildBody(
			leadSpecs,
			{
				name: 'Ana',
				email: ' ana@example.com ',
				phone: '',
				owner: { __rl: true, mode: 'list', value: 'usr_1' },
				team: 'team_2',
				tags: 'a,b',
				customFields: { field: [{ key: 'external_id', value: 'crm-1' }] },
			},
			node,
		);
		expect(body).toEqual({
			name: 'Ana',
			email: 'ana@example.com',
			owner_id: 'usr_1',
			team_id: 'team_2',
			tags: ['a', 'b'],
			custom_fields: { external_id: 'crm-1' },
		});
	});

	it('names the field when a value has the wrong type', () => {
		expect(() => buildBody(dealSpecs, { name: 'D', value: 'lots' }, node)).toThrow('"Value" must be a number');
		expect(() => buildBody(dealSpecs, { name: 'D', expectedCloseDate: 'soon' }, node)).toThrow(
			'"Expected Close Date" is not a valid date',
		);
		expect(() => buildBody(leadSpecs, { customFields: { field: [{ key: ' ', value: 'x' }] } }, node)).toThrow(
			'"Custom Fields" has an empty key',
		);
	});

	it('turns custom field filters into custom_fields.<key> query parameters', () => {
		const qs = buildQuery(
			LEAD.filters,
			{ updatedAfter: '2025-01-01T00:00:00Z', customFields: { field: [{ key: 'external_id', value: 'x-1' }] } },
			node,
		);
		expect(qs).toEqual({ updated_after: '2025-01-01T00:00:00Z', 'custom_fields.external_id': 'x-1' });
	});
});

describe('changedFields', () => {
	const deal = {
		id: 'd1',
		name: 'Deal',
		value: 100,
		stage: { id: 'stg_1', name: 'Prospecting' },
		expected_close_date: '2025-03-31',
		custom_fields: { external_id: 'e1', other: 'keep', sync_marker: 'n8n@2020-01-01T00:00:00.000Z' },
	};

	it('finds nothing when the record already has the values (stage read from stage.id)', () => {
		const body = buildBody(
			dealSpecs,
			{
				name: 'Deal',
				value: '100',
				stage: 'stg_1',
				expectedCloseDate: '2025-03-31T00:00:00',
				customFields: { field: [{ key: 'external_id', value: 'e1' }, { key: 'sync_marker', value: 'n8n@now' }] },
			},
			node,
		);
		expect(changedFields(dealSpecs, body, deal, ['sync_marker'])).toEqual({});
	});

	it('returns only what differs, custom fields key by key', () => {
		const body = { name: 'Deal', value: 150, custom_fields: { external_id: 'e1', region: 'south' } };
		expect(changedFields(dealSpecs, body, deal)).toEqual({ value: 150, custom_fields: { region: 'south' } });
	});

	it('compares emails case-insensitively and tags as sets', () => {
		const lead = { email: 'Ana@Example.com', tags: ['b', 'a'] };
		expect(changedFields(leadSpecs, { email: 'ana@example.com', tags: ['a', 'b'] }, lead)).toEqual({});
		expect(changedFields(leadSpecs, { tags: ['a'] }, lead)).toEqual({ tags: ['a'] });
	});
});
