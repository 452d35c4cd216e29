import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The sync base: what a two-way sync's last reconciliation left both systems agreeing on, kept in
 * the lead itself (a custom field, default `sync_base`), because n8n gives a community node no
 * per-record store. It holds one fingerprint per synced field (a hash, so the lead carries no
 * second copy of personal data and the field stays short). A synced field whose current value has
 * another fingerprint changed since then; when none did, the change is the sync's own write (or
 * touched nothing synced): an echo recognised by content, at any moment, with no time window.
 */
export type SyncBase = Record<string, string>;

export interface SyncBaseSettings {
	key: string;
	fields: string[];
}

export const DEFAULT_SYNC_BASE_KEY = 'sync_base';
/** Key of the base entry holding when the sync last wrote the lead (not a field). */
export const SYNC_WRITE_TIME = '@written';
export const DEFAULT_SYNCED_FIELDS = ['name', 'email', 'phone', 'company'];

/** Leads' fields a two-way sync can keep equal (scalar values SalesOS and a contact system share). */
export const SYNCABLE_FIELDS = ['name', 'email', 'phone', 'company', 'position', 'source', 'status'];

/** The value as compared: absent, null and blank are all empty; emails compare case-insensitively. */
export function normalisedValue(field: string, value: unknown): string {
	if (value === undefined || value === null) return '';
	const text = (typeof value === 'object' ? JSON.stringify(value) : String(value)).trim();
	return field === 'email' ? text.toLowerCase() : text;
}

/** Empty values have the empty fingerprint, so a base shows which fields were agreed empty. */
export function fingerprint(field: string, value: unknown): string {
	const text = normalisedValue(field, value);
	return text === '' ? '' : createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The base stored in the record, or undefined when it has none (never synced) or it is unreadable. */
export function readSyncBase(record: IDataObject | undefined, key: string): SyncBase | undefined {
	const stored = (record?.custom_fields as IDataObject | undefined)?.[key];
	if (typeof stored !== 'string' || stored === '') return undefined;
	try {
		const parsed: unknown = JSON.parse(stored);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
		return Object.fromEntries(Object.entries(parsed).map(([field, print]) => [field, String(print)]));
	} catch {
		return undefined;
	}
}

/** Sorted keys: the same base always serialises the same, so "base unchanged" needs no write. */
export function serialiseSyncBase(base: SyncBase): string {
	return JSON.stringify(Object.fromEntries(Object.keys(base).sort().map((field) => [field, base[field]])));
}

/** Synced fields whose value differs from the base (all of them when the record has no base). */
export function changedSinceBase(record: IDataObject, settings: SyncBaseSettings): string[] {
	const base = readSyncBase(record, settings.key);
	return settings.fields.filter((field) => base?.[field] === undefined || base[field] !== fingerprint(field, record[field]));
}
