import type { IDataObject } from 'n8n-workflow';

/**
 * What the Default Integration accepts, from Play2Sell's published OpenAPI file (SalesOS Default
 * Integration API 1.0.0): every record is checked here, per item, so one bad record never costs
 * a whole request (SalesOS rejects a request with a type or length error as a whole, with 400).
 */

/** Longest string SalesOS accepts per field. */
export const MAX_LENGTHS: Record<string, number> = {
	external_id: 255,
	name: 255,
	document: 20,
	team: 100,
	role: 50,
};

/** Fields SalesOS takes as strings; a number from a CRM export is sent as its digits. */
const STRING_FIELDS = ['external_id', 'name', 'email', 'phone', 'document', 'team', 'role', 'collaborator_email'];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An RFC 3339 date-time with offset, e.g. 2026-03-17T09:15:00-03:00. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
/** An ISO date or date-time without offset, as n8n's date picker stores it. */
const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** A value SalesOS would refuse: which field, what is wrong, what to do. */
export class RecordProblem extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly whatToDo: string,
	) {
		super(message);
	}
}

/** Numbers become their digits; other values are left for the checks to name. */
function asText(value: unknown): unknown {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
}

/** Strings for the string fields, lengths and email formats as SalesOS checks them. */
export function checkedRecord(record: IDataObject, emailField: 'email' | 'collaborator_email'): IDataObject {
	const checked: IDataObject = { ...record };
	if (String(checked.external_id ?? '').trim() === '') {
		throw new RecordProblem('external_id', 'external_id is empty', 'Map the record’s ID in your system, e.g. {{ $json.id }}.');
	}
	for (const field of STRING_FIELDS) {
		if (checked[field] === undefined) continue;
		const value = asText(checked[field]);
		if (typeof value !== 'string') {
			throw new RecordProblem(field, `${field} must be text, got ${JSON.stringify(value)}`, `Map ${field} to a text value.`);
		}
		checked[field] = value.trim();
		const max = MAX_LENGTHS[field];
		if (max !== undefined && value.trim().length > max) {
			throw new RecordProblem(
				field,
				`${field} is ${value.trim().length} characters long; SalesOS accepts at most ${max}`,
				`Shorten ${field} to ${max} characters or fewer.`,
			);
		}
	}
	const email = String(checked[emailField] ?? '');
	if (!EMAIL.test(email)) {
		throw new RecordProblem(emailField, `${emailField} "${email}" is not a valid email address`, 'Map a valid email such as name@example.com.');
	}
	return checked;
}

/**
 * The activity code as SalesOS takes it: three digits from "001" to "999". 1, "1" and "01"
 * become "001" (a CRM's numeric code); anything else is refused.
 */
export function activityCode(value: unknown): string {
	const text = String(asText(value) ?? '').trim();
	if (/^\d{1,3}$/.test(text) && Number(text) > 0) return text.padStart(3, '0');
	throw new RecordProblem(
		'activity_code',
		`activity_code ${JSON.stringify(value)} is not a code from 001 to 999`,
		'Use the activity’s number from 1 to 999 (1 is sent as "001"), as mapped to a mission in SalesOS.',
	);
}

function zoneOffsetMinutes(instantMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instantMs));
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	const wallAsUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return Math.round((wallAsUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

const pad = (value: number, length = 2) => String(Math.abs(value)).padStart(length, '0');

/** The instant as RFC 3339 in the time zone, e.g. 2026-03-17T09:15:00-03:00. */
function inZone(instantMs: number, timeZone: string): string {
	const offset = zoneOffsetMinutes(instantMs, timeZone);
	const wall = new Date(instantMs + offset * 60_000);
	const ms = wall.getUTCMilliseconds();
	const sign = offset < 0 ? '-' : '+';
	return (
		`${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
		`T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}` +
		`${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
	);
}

/** A wall-clock time in the zone → the instant (the later one when a clock change repeats it). */
function wallTimeIn(match: RegExpExecArray, timeZone: string): number {
	const [year, month, day, hour, minute, second, ms] = match.slice(1).map((part) => Number(part ?? 0));
	const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, Number(String(ms).padEnd(3, '0')));
	const check = new Date(wallAsUtc);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour || minute > 59 || second > 59) {
		return Number.NaN;
	}
	const first = wallAsUtc - zoneOffsetMinutes(wallAsUtc, timeZone) * 60_000;
	return wallAsUtc - zoneOffsetMinutes(first, timeZone) * 60_000;
}

const notADate = (value: unknown) =>
	new RecordProblem(
		'occurred_at',
		`occurred_at ${JSON.stringify(value)} is not a date`,
		'Use an ISO date such as 2026-03-17T09:15:00-03:00 (a value without offset is read in the workflow’s time zone), or leave it empty for now.',
	);

/**
 * occurred_at as RFC 3339 with offset. A value with an offset is sent as it is; one without
 * (2026-03-17, 2026-03-17T09:15:00) is read in `timeZone`, the workflow's; other date text
 * (e.g. String(new Date())) and Date values are sent in that zone too.
 */
export function occurredAt(value: unknown, timeZone: string): string {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw notADate(value);
		return inZone(value.getTime(), timeZone);
	}
	if (typeof value !== 'string') throw notADate(value);
	const text = value.trim();
	if (RFC3339.test(text) && !Number.isNaN(Date.parse(text))) return text;
	const local = LOCAL_ISO.exec(text);
	if (local) {
		const instant = wallTimeIn(local, timeZone);
		if (Number.isNaN(instant)) throw notADate(value);
		return inZone(instant, timeZone);
	}
	// Other text that names its zone, e.g. String(new Date()): "Tue Mar 17 2026 09:15:00 GMT-0300 (…)".
	const parsed = /\d{4}/.test(text) && /(GMT|UTC|Z\b|[+-]\d{2}:?\d{2}\b)/.test(text) ? Date.parse(text) : Number.NaN;
	if (Number.isNaN(parsed)) throw notADate(value);
	return inZone(parsed, timeZone);
}
