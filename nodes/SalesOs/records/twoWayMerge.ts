import type { IDataObject } from 'n8n-workflow';

import { fingerprint, normalisedValue, SYNC_WRITE_TIME, type SyncBase } from './syncBase';

/**
 * A three-way merge of one lead with the other system's record against their base: per synced
 * field, the side whose value moved since the base wins; when both moved to different values the
 * conflict policy decides. Pure, so both paths of a two-way sync (started by SalesOS or by the other
 * system) reach the same decision from the same state, and a run that finds both sides at the base
 * decides nothing.
 */

export type ConflictPolicy = 'salesOsWins' | 'otherWins' | 'newestWins' | 'flag';

export type Side = 'salesOs' | 'otherSystem';

export interface Conflict {
	field: string;
	salesOs: unknown;
	otherSystem: unknown;
	/** The side whose value both systems get, or `flagged` (nothing written for this field). */
	resolution: Side | 'flagged';
	reason: string;
}

export interface MergeInput {
	fields: string[];
	/** The lead now; undefined when SalesOS has none for this record. */
	salesOs: IDataObject | undefined;
	/** The other system's record, values named after the lead fields; undefined when it has none. */
	other: IDataObject | undefined;
	base: SyncBase | undefined;
	policy: ConflictPolicy;
	/** Newest change wins: change times closer than this count as simultaneous (SalesOS wins them). */
	clockSkewMs: number;
	salesOsChangedAt?: string;
	otherChangedAt?: string;
	/** Whether an emptied value in the other system empties the SalesOS field (otherwise SalesOS keeps it). */
	emptyClears: boolean;
}

export interface MergeResult {
	/** Fields to PATCH on the lead (null empties a field). */
	toSalesOs: IDataObject;
	/** Fields the other system must be updated with (null empties a field). */
	toOther: IDataObject;
	conflicts: Conflict[];
	/** Fields changed on each side since the base. */
	changedInSalesOs: string[];
	changedInOther: string[];
	/**
	 * The base to store with this merge's SalesOS write: fields both systems now hold move to that
	 * value; fields the other system still has to get, and flagged ones, keep their old base.
	 */
	base: SyncBase;
}

const asWritten = (field: string, value: unknown) => (normalisedValue(field, value) === '' ? null : (value as IDataObject[string]));

/** Which side's value a conflict ends with, and why. */
function resolveConflict(input: MergeInput, field: string, otherIsEmpty: boolean): Pick<Conflict, 'resolution' | 'reason'> {
	const keepSalesOs = 'the other system’s value is empty and empty values do not clear SalesOS fields';
	switch (input.policy) {
		case 'salesOsWins':
			return { resolution: 'salesOs', reason: 'SalesOS wins' };
		case 'otherWins':
			return otherIsEmpty && !input.emptyClears
				? { resolution: 'salesOs', reason: keepSalesOs }
				: { resolution: 'otherSystem', reason: 'the other system wins' };
		case 'flag':
			return { resolution: 'flagged', reason: `both systems changed ${field}: left for a person to decide` };
		case 'newestWins': {
			const salesOsAt = salesOsChangeTime(input);
			const otherAt = Date.parse(input.otherChangedAt ?? '');
			if (Number.isNaN(salesOsAt) || Number.isNaN(otherAt)) {
				return { resolution: 'salesOs', reason: 'a change time is missing, so SalesOS wins' };
			}
			if (otherAt - salesOsAt > input.clockSkewMs) {
				return otherIsEmpty && !input.emptyClears
					? { resolution: 'salesOs', reason: keepSalesOs }
					: { resolution: 'otherSystem', reason: 'the other system’s change is newer' };
			}
			if (salesOsAt - otherAt > input.clockSkewMs) return { resolution: 'salesOs', reason: 'the SalesOS change is newer' };
			return { resolution: 'salesOs', reason: 'both changed within the clock-skew tolerance, so SalesOS wins' };
		}
	}
}

/**
 * When SalesOS's side of a conflict changed. SalesOS gives one `updated_at` per record, which the
 * sync's own writes move too: when the lead's last change is the sync's last write (its time is
 * kept in the base), SalesOS's change is older than that write, so the write's time stands for it.
 */
function salesOsChangeTime(input: MergeInput): number {
	const updatedAt = Date.parse(input.salesOsChangedAt ?? '');
	const writtenAt = Date.parse(input.base?.[SYNC_WRITE_TIME] ?? '');
	if (!Number.isNaN(writtenAt) && !Number.isNaN(updatedAt) && updatedAt <= writtenAt + input.clockSkewMs) return writtenAt - input.clockSkewMs - 1;
	return updatedAt;
}

export function mergeRecords(input: MergeInput): MergeResult {
	const result: MergeResult = { toSalesOs: {}, toOther: {}, conflicts: [], changedInSalesOs: [], changedInOther: [], base: {} };
	for (const field of input.fields) {
		const salesOsValue = input.salesOs?.[field];
		const otherValue = input.other?.[field];
		const salesOsPrint = fingerprint(field, salesOsValue);
		const otherPrint = fingerprint(field, otherValue);
		const basePrint = input.base?.[field];
		const salesOsChanged = input.salesOs !== undefined && salesOsPrint !== basePrint;
		const otherChanged = input.other !== undefined && otherPrint !== basePrint;
		if (salesOsChanged) result.changedInSalesOs.push(field);
		if (otherChanged) result.changedInOther.push(field);

		// The base moves to a value only once both systems hold it: a value the other system still
		// has to get keeps the old base, so a run that reads the other system before that write
		// lands sees SalesOS's change again instead of taking the old value for the other side's.
		const takeSalesOs = () => {
			if (otherPrint === salesOsPrint) result.base[field] = salesOsPrint;
			else {
				result.toOther[field] = asWritten(field, salesOsValue);
				if (basePrint !== undefined) result.base[field] = basePrint;
			}
		};
		const takeOther = () => {
			if (otherPrint !== salesOsPrint) result.toSalesOs[field] = asWritten(field, otherValue);
			result.base[field] = otherPrint;
		};
		const otherIsEmpty = otherPrint === '';

		if (input.other === undefined || salesOsPrint === otherPrint) takeSalesOs();
		else if (input.salesOs === undefined) takeOther();
		else if (otherChanged && !salesOsChanged) {
			// An emptied field in the other system does not erase SalesOS's value: SalesOS's goes back.
			if (otherIsEmpty && !input.emptyClears) takeSalesOs();
			else takeOther();
		} else if (salesOsChanged && !otherChanged) takeSalesOs();
		else {
			const { resolution, reason } = resolveConflict(input, field, otherIsEmpty);
			result.conflicts.push({ field, salesOs: salesOsValue ?? null, otherSystem: otherValue ?? null, resolution, reason });
			if (resolution === 'salesOs') takeSalesOs();
			else if (resolution === 'otherSystem') takeOther();
			else if (basePrint !== undefined) result.base[field] = basePrint;
		}
	}
	return result;
}
