/** Default Integration records as Play2Sell's spec wants them, and its error strings paired exactly. */
import type { IDataObject } from 'n8n-workflow';

import { pairErrors, type BatchSync } from '../nodes/SalesOs/execution/batchSync';
import { activityCode, checkedRecord, occurredAt, RecordProblem } from '../nodes/SalesOs/records/defaultIntegrationValues';

const collaborators = { errorLabel: 'Collaborator', emailKey: 'email' } as BatchSync;
const activities = { errorLabel: 'Activity', emailKey: 'collaborator_email' } as BatchSync;

describe('pairing data.errors strings (spec form "Collaborator <external_id> (<email>): <message>")', () => {
	const sent = [
		{ external_id: 'emp-1', email: 'a@example.com' },
		{ external_id: 'emp-110', email: 'invalid-email' },
		{ external_id: 'emp-11', email: 'c@example.com' },
	];

	it('pairs by exact external ID and email, never by substring', () => {
		const { paired, unpaired } = pairErrors(['Collaborator emp-110 (invalid-email): Invalid email format'], sent, collaborators);
		expect([...paired.entries()]).toEqual([[1, [{ field: '', message: 'Invalid email format', index: 1 }]]]);
		expect(unpaired).toEqual([]);
	});

	it('leaves unpaired what matches no record or several', () => {
		const twice = [...sent, { external_id: 'emp-1', email: 'a@example.com' }];
		const errors = [
			'Collaborator emp-1 (a@example.com): Duplicate in batch',
			'Collaborator emp-2 (b@example.com): Unknown',
			'Something failed',
			'Collaborator emp-1 (invalid-email): Invalid email format',
		];
		const { paired, unpaired } = pairErrors(errors, twice, collaborators);
		expect(paired.size).toBe(0);
		expect(unpaired).toEqual(errors);
	});

	it('reads activity strings by external ID and collaborator email', () => {
		const { paired } = pairErrors(
			['Activity 5001 (rep@example.com): Unknown activity code'],
			[
				{ external_id: '500', collaborator_email: 'rep@example.com' },
				{ external_id: '5001', collaborator_email: 'rep@example.com' },
			],
			activities,
		);
		expect([...paired.keys()]).toEqual([1]);
	});
});

describe('values', () => {
	it('sends every occurred_at as RFC 3339 with offset, reading values without one in the workflow time zone', () => {
		expect(occurredAt('2026-03-17T09:15:00', 'America/Sao_Paulo')).toBe('2026-03-17T09:15:00-03:00');
		expect(occurredAt('2026-03-17', 'America/Sao_Paulo')).toBe('2026-03-17T00:00:00-03:00');
		expect(occurredAt('2026-07-01T12:00:00.250', 'Europe/Berlin')).toBe('2026-07-01T12:00:00.250+02:00');
		expect(occurredAt('2026-01-01 08:30', 'Asia/Kolkata')).toBe('2026-01-01T08:30:00+05:30');
		expect(occurredAt('2026-03-17T09:15:00-03:00', 'Europe/Berlin')).toBe('2026-03-17T09:15:00-03:00');
		expect(occurredAt('2026-03-17T12:15:00Z', 'UTC')).toBe('2026-03-17T12:15:00Z');
		expect(occurredAt('Tue Mar 17 2026 09:15:00 GMT-0300 (Brasilia Standard Time)', 'America/Sao_Paulo')).toBe(
			'2026-03-17T09:15:00-03:00',
		);
		expect(occurredAt(new Date('2026-03-17T12:15:00Z'), 'America/Sao_Paulo')).toBe('2026-03-17T09:15:00-03:00');
	});

	it.each([['yesterday'], ['2026-02-30'], ['2026-03-17T25:00:00'], [1773749700000], ['17/03/2026'], [{}]])(
		'fails an occurred_at that is not a date, naming the field: %p',
		(value) => {
			expect(() => occurredAt(value, 'UTC')).toThrow(RecordProblem);
			expect(() => occurredAt(value, 'UTC')).toThrow(/^occurred_at .* is not a date$/);
		},
	);

	it('sends activity codes as three-digit strings: 1 becomes "001"', () => {
		expect(activityCode(1)).toBe('001');
		expect(activityCode('7')).toBe('007');
		expect(activityCode('042')).toBe('042');
		expect(activityCode(999)).toBe('999');
		for (const bad of [0, '000', 1000, '1a', '', 1.5, null]) expect(() => activityCode(bad)).toThrow(/activity_code .* is not a code from 001 to 999/);
	});

	it('sends IDs as strings and checks the spec lengths and email per record', () => {
		expect(checkedRecord({ external_id: 5001, name: 'Ana', email: 'ana@example.com', document: 12345678901 }, 'email')).toEqual({
			external_id: '5001',
			name: 'Ana',
			email: 'ana@example.com',
			document: '12345678901',
		});
		const base = { external_id: 'e1', name: 'Ana', email: 'ana@example.com' };
		const problem = (record: IDataObject) => {
			try {
				checkedRecord(record, 'email');
			} catch (error) {
				return (error as RecordProblem).message;
			}
			return 'no problem';
		};
		expect(problem({ ...base, name: 'x'.repeat(256) })).toBe('name is 256 characters long; SalesOS accepts at most 255');
		expect(problem({ ...base, external_id: 'x'.repeat(256) })).toMatch(/^external_id is 256/);
		expect(problem({ ...base, document: 'x'.repeat(21) })).toMatch(/^document is 21 characters long; SalesOS accepts at most 20/);
		expect(problem({ ...base, team: 'x'.repeat(101) })).toMatch(/^team is 101/);
		expect(problem({ ...base, role: 'x'.repeat(51) })).toMatch(/^role is 51/);
		expect(problem({ ...base, role: 'x'.repeat(50) })).toBe('no problem');
		expect(problem({ ...base, email: 'invalid-email' })).toBe('email "invalid-email" is not a valid email address');
		expect(problem({ ...base, external_id: '' })).toBe('external_id is empty');
	});
});
