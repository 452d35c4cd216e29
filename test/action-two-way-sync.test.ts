/** SalesOS node, lead → Two-Way Sync With Other Record: what it reads and writes in SalesOS. */
import type { IDataObject } from 'n8n-workflow';

import { fingerprint, readSyncBase } from '../nodes/SalesOs/records/syncBase';
import { useActionHarness } from './action-support';
import type { Lead } from './sandbox';

const harness = useActionHarness();
const FIELDS = ['name', 'email', 'phone', 'company'];

const sync = (other: IDataObject, extra: IDataObject = {}) => ({
	resource: 'lead',
	operation: 'twoWaySync',
	matchOn: 'externalId',
	externalIdKey: 'external_id',
	externalId: 'crm-1',
	otherRecord: other,
	syncedFields: FIELDS,
	conflictPolicy: 'flag',
	...extra,
});

const contact = { name: 'Ana Lima', email: 'ana@example.com', phone: '+5511900000001', company: 'Acme' };
const storedLead = () => (harness.sandbox.records('leads') as Lead[])[0];
const writes = () => {
	const requests = harness.sandbox.counters().requests;
	return Object.entries(requests)
		.filter(([route]) => /^(POST|PATCH) \/v1\/leads/.test(route))
		.reduce((sum, [, statuses]) => sum + Object.values(statuses).reduce((a, b) => a + b, 0), 0);
};

test('a record new to SalesOS creates the lead with the external ID and the base; a second run writes nothing', async () => {
	const [first] = await harness.runOk(sync(contact));
	expect(first).toMatchObject({ operationResult: 'created', writtenToSalesOs: contact, otherSystemUpdate: {}, otherSystemNeedsUpdate: false });
	expect(storedLead()).toMatchObject({ ...contact, custom_fields: { external_id: 'crm-1', sync_base: expect.any(String) } });
	expect(readSyncBase(storedLead() as unknown as IDataObject, 'sync_base')).toEqual({
		...Object.fromEntries(FIELDS.map((field) => [field, fingerprint(field, (contact as IDataObject)[field])])),
		'@written': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
	});
	const before = writes();
	const [second] = await harness.runOk(sync(contact));
	expect(second).toMatchObject({ operationResult: 'unchanged', writtenToSalesOs: {}, otherSystemUpdate: {} });
	expect(writes()).toBe(before);
});

test('edits on both sides to different fields: SalesOS is PATCHed with only the other side’s field and the new base; the output names what the other system needs', async () => {
	await harness.runOk(sync(contact));
	const lead = storedLead();
	harness.sandbox.mutate({ resource: 'leads', id: lead.id, changes: { phone: '+5511900000002' } });
	const [result] = await harness.runOk(sync({ ...contact, company: 'Beta' }));
	expect(result).toMatchObject({
		operationResult: 'updated',
		writtenToSalesOs: { company: 'Beta' },
		otherSystemUpdate: { phone: '+5511900000002' },
		otherSystemNeedsUpdate: true,
		changedInSalesOs: ['phone'],
		changedInOtherSystem: ['company'],
	});
	expect(storedLead()).toMatchObject({ phone: '+5511900000002', company: 'Beta' });
	// The base holds the company both systems now agree on; the phone's moves once the other system has it.
	const base = readSyncBase(storedLead() as unknown as IDataObject, 'sync_base')!;
	expect(base.company).toBe(fingerprint('company', 'Beta'));
	expect(base.phone).toBe(fingerprint('phone', '+5511900000001'));
	const [confirmed] = await harness.runOk(sync({ ...contact, company: 'Beta', phone: '+5511900000002' }));
	expect(confirmed).toMatchObject({ operationResult: 'updated', writtenToSalesOs: {}, otherSystemUpdate: {} });
	expect(readSyncBase(storedLead() as unknown as IDataObject, 'sync_base')!.phone).toBe(fingerprint('phone', '+5511900000002'));
});

test('a same-field conflict under Flag It writes nothing for it and reports it; SalesOS Wins resolves it toward the other system', async () => {
	await harness.runOk(sync(contact));
	harness.sandbox.mutate({ resource: 'leads', id: storedLead().id, changes: { company: 'From SalesOS' } });
	const [flagged] = await harness.runOk(sync({ ...contact, company: 'From Other' }));
	expect(flagged).toMatchObject({
		hasFlaggedConflicts: true,
		conflicts: [{ field: 'company', salesOs: 'From SalesOS', otherSystem: 'From Other', resolution: 'flagged' }],
		writtenToSalesOs: {},
		otherSystemUpdate: {},
	});
	expect(storedLead().company).toBe('From SalesOS');
	const [resolved] = await harness.runOk(sync({ ...contact, company: 'From Other' }, { conflictPolicy: 'salesOsWins' }));
	expect(resolved).toMatchObject({ hasFlaggedConflicts: false, otherSystemUpdate: { company: 'From SalesOS' } });
});

test('found by SalesOS ID with no record in the other system: the output carries every synced value for creating it there; the lead stores the other system’s ID', async () => {
	const [lead] = harness.sandbox.seed({ resource: 'leads', records: [{ ...contact, custom_fields: {} }] }).records as Lead[];
	const [result] = await harness.runOk({ ...sync({}), matchOn: 'id', salesOsLeadId: lead.id, externalId: `salesos-${lead.id}` });
	expect(result).toMatchObject({ operationResult: 'updated', otherSystemUpdate: contact, otherSystemHasRecord: false, externalId: `salesos-${lead.id}` });
	expect(storedLead().custom_fields).toEqual({ external_id: `salesos-${lead.id}`, sync_base: expect.any(String) });
});

test('an external ID or an Other System’s Record that is not an object fails the item with the parameter named', async () => {
	const result = await harness.run(sync(contact, { externalId: ' ' }));
	expect(result.error?.message).toBe('External ID is empty');
	const notObject = await harness.run(sync(contact, { otherRecord: '[1, 2]' }));
	expect(notObject.error?.message).toBe('Other System’s Record is not an object');
});
