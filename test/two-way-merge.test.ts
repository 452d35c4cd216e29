// The three-way merge and the sync base (pure): every branch a two-way sync run can take.
import type { IDataObject } from 'n8n-workflow';

import { changedSinceBase, fingerprint, readSyncBase, serialiseSyncBase, SYNC_WRITE_TIME, type SyncBase } from '../nodes/SalesOs/records/syncBase';
import { mergeRecords, type MergeInput } from '../nodes/SalesOs/records/twoWayMerge';

const FIELDS = ['name', 'phone', 'company'];
const agreed = { name: 'Ana', phone: '+5511900000001', company: 'Acme' };
const baseOf = (values: IDataObject): SyncBase =>
	Object.fromEntries(FIELDS.map((field) => [field, fingerprint(field, values[field])]));

const merge = (salesOs: IDataObject | undefined, other: IDataObject | undefined, extra: Partial<MergeInput> = {}) =>
	mergeRecords({
		fields: FIELDS,
		salesOs,
		other,
		base: baseOf(agreed),
		policy: 'flag',
		clockSkewMs: 2000,
		emptyClears: false,
		...extra,
	});

describe('three-way merge', () => {
	test('both sides at the base: nothing to write, the base stays', () => {
		const result = merge(agreed, agreed);
		expect(result).toMatchObject({ toSalesOs: {}, toOther: {}, conflicts: [], changedInSalesOs: [], changedInOther: [] });
		expect(result.base).toEqual(baseOf(agreed));
	});

	test('only SalesOS changed a field: the other system gets exactly that field', () => {
		const result = merge({ ...agreed, phone: '+5511900000002' }, agreed);
		expect(result).toMatchObject({ toSalesOs: {}, toOther: { phone: '+5511900000002' }, changedInSalesOs: ['phone'], changedInOther: [] });
		// Until the other system has it, the base stays: a run that reads the other system before
		// the write lands still sees a SalesOS change, not an old value on the other side.
		expect(result.base.phone).toBe(fingerprint('phone', '+5511900000001'));
	});

	test('only the other system changed a field: SalesOS gets exactly that field', () => {
		const result = merge(agreed, { ...agreed, company: 'Beta' });
		expect(result).toMatchObject({ toSalesOs: { company: 'Beta' }, toOther: {}, changedInOther: ['company'] });
	});

	test('different fields changed on each side: both edits survive, each sent to the other side only', () => {
		const result = merge({ ...agreed, phone: '+5511900000002' }, { ...agreed, company: 'Beta' });
		expect(result).toMatchObject({ toSalesOs: { company: 'Beta' }, toOther: { phone: '+5511900000002' }, conflicts: [] });
		expect(result.base).toEqual(baseOf({ ...agreed, company: 'Beta' }));
	});

	test('both made the same edit: no write, only the base moves', () => {
		const result = merge({ ...agreed, company: 'Beta' }, { ...agreed, company: 'Beta' });
		expect(result).toMatchObject({ toSalesOs: {}, toOther: {}, conflicts: [] });
		expect(result.base.company).toBe(fingerprint('company', 'Beta'));
	});

	describe('both changed the same field differently', () => {
		const salesOs = { ...agreed, company: 'From SalesOS' };
		const other = { ...agreed, company: 'From Other' };

		test('SalesOS wins', () => {
			const result = merge(salesOs, other, { policy: 'salesOsWins' });
			expect(result).toMatchObject({ toSalesOs: {}, toOther: { company: 'From SalesOS' } });
			expect(result.conflicts).toEqual([
				{ field: 'company', salesOs: 'From SalesOS', otherSystem: 'From Other', resolution: 'salesOs', reason: 'SalesOS wins' },
			]);
		});

		test('the other system wins', () => {
			const result = merge(salesOs, other, { policy: 'otherWins' });
			expect(result).toMatchObject({ toSalesOs: { company: 'From Other' }, toOther: {} });
			expect(result.conflicts[0].resolution).toBe('otherSystem');
		});

		test.each([
			['the other change is newer', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:05.000Z', 'otherSystem'],
			['the SalesOS change is newer', '2026-01-01T10:00:05.000Z', '2026-01-01T10:00:00.000Z', 'salesOs'],
			['within the clock-skew tolerance, SalesOS wins', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:01.500Z', 'salesOs'],
			['a change time is missing, SalesOS wins', '2026-01-01T10:00:00.000Z', '', 'salesOs'],
		])('newest change wins: %s', (_, salesOsChangedAt, otherChangedAt, resolution) => {
			const result = merge(salesOs, other, { policy: 'newestWins', salesOsChangedAt, otherChangedAt });
			expect(result.conflicts[0].resolution).toBe(resolution);
			// The other system's value is in SalesOS with this write; SalesOS's reaches the other system later.
			expect(result.base.company).toBe(fingerprint('company', resolution === 'salesOs' ? 'Acme' : 'From Other'));
		});

		test('newest change wins: a lead whose last change is the sync’s own write counts as changed before that write', () => {
			// The sync wrote at 10:00:10 (the lead's updated_at moved with it); the contact changed at 10:00:13.
			const base = { ...baseOf(agreed), [SYNC_WRITE_TIME]: '2026-01-01T10:00:10.000Z' };
			const result = merge(salesOs, other, { policy: 'newestWins', base, salesOsChangedAt: '2026-01-01T10:00:10.300Z', otherChangedAt: '2026-01-01T10:00:13.000Z' });
			expect(result.conflicts[0]).toMatchObject({ resolution: 'otherSystem', reason: 'the other system’s change is newer' });
			const userEditAfter = merge(salesOs, other, { policy: 'newestWins', base, salesOsChangedAt: '2026-01-01T10:00:20.000Z', otherChangedAt: '2026-01-01T10:00:13.000Z' });
			expect(userEditAfter.conflicts[0].resolution).toBe('salesOs');
		});

		test('flag it: nothing written for that field, its base kept, other fields still merged', () => {
			const result = merge({ ...salesOs, phone: '+5511900000002' }, other, { policy: 'flag' });
			expect(result).toMatchObject({ toSalesOs: {}, toOther: { phone: '+5511900000002' } });
			expect(result.conflicts).toEqual([expect.objectContaining({ field: 'company', resolution: 'flagged' })]);
			expect(result.base.company).toBe(fingerprint('company', 'Acme'));
		});
	});

	test('an emptied value in the other system does not erase SalesOS’s: SalesOS’s goes back to it', () => {
		const result = merge(agreed, { ...agreed, phone: '' });
		expect(result).toMatchObject({ toSalesOs: {}, toOther: { phone: '+5511900000001' } });
	});

	test('with Empty Values Clear SalesOS Fields, the emptied value empties the SalesOS field', () => {
		const result = merge(agreed, { ...agreed, phone: null }, { emptyClears: true });
		expect(result).toMatchObject({ toSalesOs: { phone: null }, toOther: {} });
		expect(result.base.phone).toBe('');
	});

	test('no base yet (never synced): a difference is a conflict for the policy; equal values are agreed', () => {
		const result = merge({ ...agreed, company: 'X' }, { ...agreed, company: 'Y' }, { base: undefined, policy: 'otherWins' });
		expect(result.toSalesOs).toEqual({ company: 'Y' });
		expect(result.conflicts.map((conflict) => conflict.field)).toEqual(['company']);
		expect(result.base).toEqual({ ...baseOf(agreed), company: fingerprint('company', 'Y') });
	});

	test('no record in the other system: it gets every non-empty SalesOS value; no lead: SalesOS gets every value', () => {
		expect(merge(agreed, undefined).toOther).toEqual(agreed);
		expect(merge(undefined, agreed).toSalesOs).toEqual(agreed);
	});

	test('emails compare case-insensitively; blank and missing values are equal', () => {
		const result = mergeRecords({
			fields: ['email', 'company'],
			salesOs: { email: 'Ana@Example.com', company: null },
			other: { email: 'ana@example.com', company: '  ' },
			base: undefined,
			policy: 'flag',
			clockSkewMs: 0,
			emptyClears: false,
		});
		expect(result).toMatchObject({ toSalesOs: {}, toOther: {}, conflicts: [] });
	});
});

describe('sync base', () => {
	const settings = { key: 'sync_base', fields: FIELDS };
	const withBase = (values: IDataObject, base: SyncBase) => ({ ...values, custom_fields: { sync_base: serialiseSyncBase(base) } });

	test('round-trips through the custom field; serialises the same whatever the key order', () => {
		const base = baseOf(agreed);
		expect(readSyncBase(withBase(agreed, base), 'sync_base')).toEqual(base);
		const reversed = Object.fromEntries(Object.entries(base).reverse());
		expect(serialiseSyncBase(reversed)).toBe(serialiseSyncBase(base));
	});

	test('a record at its base changed nothing (the sync’s own write); a user edit names its field', () => {
		expect(changedSinceBase(withBase(agreed, baseOf(agreed)), settings)).toEqual([]);
		expect(changedSinceBase(withBase({ ...agreed, phone: '+5511900000009' }, baseOf(agreed)), settings)).toEqual(['phone']);
	});

	test('no base or an unreadable one: every synced field counts as changed', () => {
		expect(changedSinceBase({ ...agreed, custom_fields: {} }, settings)).toEqual(FIELDS);
		expect(changedSinceBase({ ...agreed, custom_fields: { sync_base: '{not json' } }, settings)).toEqual(FIELDS);
	});

	test('the base holds fingerprints, not the values', () => {
		expect(serialiseSyncBase(baseOf(agreed))).not.toContain('Acme');
	});
});
