import type { IDataObject } from 'n8n-workflow';

/**
 * A sync marker lets a two-way sync recognise its own writes when SalesOS echoes them back.
 * Writes stamp `custom_fields[key]` with `<value>@<ISO time of the write>`. SalesOS sets
 * `updated_at` when it stores that write, so an event whose record still carries our marker and
 * whose `updated_at` falls within the echo window after the marker time is our own echo; a later
 * edit by a SalesOS user leaves the custom field alone but moves `updated_at` past the window.
 */
export interface SyncMarkerSettings {
	key: string;
	value: string;
	echoWindowSeconds: number;
}

export const DEFAULT_SYNC_MARKER: SyncMarkerSettings = {
	key: 'sync_marker',
	value: 'n8n',
	echoWindowSeconds: 10,
};

/** The key and value a write stamps. */
export type SyncMarker = Pick<SyncMarkerSettings, 'key' | 'value'>;

/** The marker with this key and value; an empty one takes the default. */
export function syncMarkerWith(key: unknown, value: unknown): SyncMarker {
	return {
		key: String(key ?? '').trim() || DEFAULT_SYNC_MARKER.key,
		value: String(value ?? '').trim() || DEFAULT_SYNC_MARKER.value,
	};
}

export function syncMarkerStamp(value: string, now: Date = new Date()): string {
	return `${value}@${now.toISOString()}`;
}

/** Returns the record's custom fields with the marker stamped, leaving the input untouched. */
export function withSyncMarker(
	customFields: IDataObject | undefined,
	marker: SyncMarker,
	now?: Date,
): IDataObject {
	return { ...(customFields ?? {}), [marker.key]: syncMarkerStamp(marker.value, now) };
}

/** True when the record's latest change is the echo of a write stamped by this integration. */
export function isOwnEcho(record: IDataObject, marker: SyncMarkerSettings): boolean {
	const customFields = record.custom_fields as IDataObject | undefined;
	const stamp = customFields?.[marker.key];
	if (typeof stamp !== 'string' || !stamp.startsWith(`${marker.value}@`)) return false;
	const markedAt = Date.parse(stamp.slice(marker.value.length + 1));
	const updatedAt = Date.parse(String(record.updated_at ?? ''));
	if (Number.isNaN(markedAt)) return false;
	// Without updated_at there is nothing newer than our write to tell apart: treat it as the echo.
	if (Number.isNaN(updatedAt)) return true;
	return updatedAt <= markedAt + marker.echoWindowSeconds * 1000;
}
