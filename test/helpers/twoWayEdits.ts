// The randomized two-way sync driver's edits and its oracle, shared by the randomized e2e
// (test/e2e/two-way-sync.e2e.ts) and bench scenario 8: edits of random fields of random linked
// records on random sides, and which final values a converged pair may hold.

export const SYNCED_FIELDS = ['name', 'email', 'phone', 'company'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

export interface Edit {
	at: number;
	side: 'salesOs' | 'contact';
	record: number;
	field: SyncedField;
	value: string;
}

/** Edits of one side within this time of the other side's last edit count as simultaneous. */
export const SIMULTANEOUS_MS = 2000;

/** The next edit: side, record and field drawn from `next` (a seeded generator), the value from `valueFor`. */
export function randomEdit(next: () => number, records: number, valueFor: (field: SyncedField) => string): Edit {
	const side = next() < 0.5 ? 'salesOs' : 'contact';
	const record = Math.floor(next() * records);
	const field = SYNCED_FIELDS[Math.floor(next() * SYNCED_FIELDS.length)];
	return { at: Date.now(), side, record, field, value: valueFor(field) };
}

/**
 * The values one field may end with, given its edits in order: the latest edit; when the other
 * side edited it too within SIMULTANEOUS_MS, the policy may pick that one instead (newest change
 * wins: SalesOS wins changes within the 2 s clock-skew tolerance, and which of the two a run sees
 * first depends on timing). No edit: the value it started with.
 */
export function allowedFinal(edits: Edit[], start: string): string[] {
	if (edits.length === 0) return [start];
	const latest = edits[edits.length - 1];
	const otherSide = edits.filter((edit) => edit.side !== latest.side).pop();
	return otherSide && latest.at - otherSide.at <= SIMULTANEOUS_MS ? [latest.value, otherSide.value] : [latest.value];
}
