// Default Integration: sync_collaborators and sync_activities, answering as Play2Sell's published
// spec (SalesOS Default Integration API 1.0.0) and its examples do:
// - a request with a record of the wrong type, a missing field, a too long string, a bad
//   activity code or activity email is rejected as a whole: 400 VALIDATION_ERROR
//   "Invalid <records> payload", details[{index, field, message}];
// - a collaborator with a badly formed email is reported inside the 200, in `errors`, as
//   "Collaborator <external_id> (<email>): Invalid email format" (no index); with the setting
//   `defaultIntegrationStrict` it is rejected with the 400 instead ("Required valid email").
// - activities of an unknown collaborator email are counted as `skipped`, a known external_id
//   as `duplicates`, without naming them.
import { ApiError, isPlainObject, objectBody, ok, type FieldError, type RequestContext } from '../http';
import type { Route } from '../router';
import type { Activity, Collaborator } from '../types';
import type { Domain } from './common';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export const DI_MESSAGES = {
	invalidAction: 'Missing or invalid "action". Valid values: sync_collaborators, sync_activities',
	activityCode: 'Required 3-digit string (001-999), e.g. "001"',
	requiredEmail: 'Required valid email',
	emailFormat: 'Invalid email format',
	occurredAt: 'Must be an RFC 3339 date-time with offset, e.g. "2026-03-17T09:15:00-03:00"',
	object: 'Must be an object',
	string: 'Must be a string',
	requiredString: (max: number) => `Required string (at most ${max} characters)`,
	optionalString: (max: number) => `Must be a string of at most ${max} characters`,
	tooMany: (max: number) => `At most ${max} items per request`,
};

type Check = (value: unknown) => string | undefined;

const requiredString =
	(max: number): Check =>
	(v) =>
		typeof v === 'string' && v.trim() !== '' && v.length <= max ? undefined : DI_MESSAGES.requiredString(max);
const optionalString =
	(max?: number): Check =>
	(v) =>
		v === undefined || (typeof v === 'string' && (max === undefined || v.length <= max))
			? undefined
			: max === undefined
				? DI_MESSAGES.string
				: DI_MESSAGES.optionalString(max);
const optionalObject: Check = (v) => (v === undefined || isPlainObject(v) ? undefined : DI_MESSAGES.object);
const requiredEmail: Check = (v) => (typeof v === 'string' && EMAIL.test(v) ? undefined : DI_MESSAGES.requiredEmail);

const collaboratorChecks: Record<string, Check> = {
	external_id: requiredString(255),
	name: requiredString(255),
	email: (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : DI_MESSAGES.requiredEmail),
	phone: optionalString(),
	document: optionalString(20),
	team: optionalString(100),
	role: optionalString(50),
	metadata: optionalObject,
};

const activityChecks: Record<string, Check> = {
	activity_code: (v) => (typeof v === 'string' && /^\d{3}$/.test(v) && v !== '000' ? undefined : DI_MESSAGES.activityCode),
	external_id: requiredString(255),
	collaborator_email: requiredEmail,
	data: optionalObject,
	occurred_at: (v) => (v === undefined || (typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v))) ? undefined : DI_MESSAGES.occurredAt),
};

/** Every record checked; any problem rejects the whole request with 400 (as the spec's example). */
function checkRecords(field: 'collaborators' | 'activities', records: unknown, checks: Record<string, Check>, max: number, extra: (record: Record<string, unknown>) => FieldError[] = () => []) {
	const invalid = (details: FieldError[]) => new ApiError(400, 'VALIDATION_ERROR', `Invalid ${field} payload`, details);
	if (!Array.isArray(records)) throw invalid([{ field, message: 'Required array' }]);
	if (records.length > max) throw invalid([{ field, message: DI_MESSAGES.tooMany(max) }]);
	const details: FieldError[] = [];
	records.forEach((record, index) => {
		if (!isPlainObject(record)) {
			details.push({ index, field: '(item)', message: DI_MESSAGES.object });
			return;
		}
		for (const [name, check] of Object.entries(checks)) {
			const message = check(record[name]);
			if (message) details.push({ index, field: name, message });
		}
		for (const detail of extra(record)) details.push({ index, ...detail });
	});
	if (details.length) throw invalid(details);
	return records as Array<Record<string, unknown>>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

function syncCollaborators(domain: Domain, body: Record<string, unknown>) {
	const { state } = domain;
	const strict = state.settings.defaultIntegrationStrict;
	const strictEmail = (record: Record<string, unknown>): FieldError[] =>
		strict && !EMAIL.test(String(record.email)) ? [{ field: 'email', message: DI_MESSAGES.requiredEmail }] : [];
	const records = checkRecords('collaborators', body.collaborators, collaboratorChecks, state.settings.collaboratorsMaxPerRequest, strictEmail);
	let created = 0;
	let existing = 0;
	const errors: string[] = [];
	for (const record of records) {
		const email = String(record.email);
		if (!EMAIL.test(email)) {
			errors.push(`Collaborator ${String(record.external_id)} (${email}): ${DI_MESSAGES.emailFormat}`);
			continue;
		}
		const key = email.toLowerCase();
		const now = new Date().toISOString();
		const current = state.collaborators.get(key);
		const fields = {
			external_id: String(record.external_id),
			name: String(record.name),
			email,
			phone: text(record.phone) ?? current?.phone ?? null,
			document: text(record.document) ?? current?.document ?? null,
			team: text(record.team) ?? current?.team ?? null,
			role: text(record.role) ?? current?.role ?? null,
			metadata: record.metadata ?? current?.metadata ?? null,
		};
		if (current) {
			existing++;
			Object.assign(current, fields, { updated_at: now });
		} else {
			created++;
			state.collaborators.set(key, { ...fields, created_at: now, updated_at: now } satisfies Collaborator);
		}
	}
	return { created, existing, errors, total: records.length };
}

/** Activities of unknown collaborators are `skipped`; a known external_id is a duplicate. */
function syncActivities(domain: Domain, body: Record<string, unknown>) {
	const { state } = domain;
	const records = checkRecords('activities', body.activities, activityChecks, state.settings.activitiesMaxPerRequest);
	let processed = 0;
	let skipped = 0;
	let duplicates = 0;
	for (const record of records) {
		const externalId = String(record.external_id);
		if (state.activities.has(externalId)) {
			duplicates++;
		} else if (!state.collaborators.has(String(record.collaborator_email).toLowerCase())) {
			skipped++;
		} else {
			processed++;
			const activity: Activity = {
				external_id: externalId,
				activity_code: String(record.activity_code),
				collaborator_email: String(record.collaborator_email),
				data: record.data ?? null,
				occurred_at: text(record.occurred_at),
				received_at: new Date().toISOString(),
			};
			state.activities.set(externalId, activity);
		}
	}
	return { processed, skipped, duplicates, errors: [] as string[], total: records.length };
}

export function defaultIntegrationRoutes(domain: Domain): Route[] {
	return [
		{
			method: 'POST',
			pattern: '/functions/v1/default-integration',
			handler: (ctx: RequestContext) => {
				const body = objectBody(ctx);
				if (body.action === 'sync_collaborators') return ok(ctx, syncCollaborators(domain, body));
				if (body.action === 'sync_activities') return ok(ctx, syncActivities(domain, body));
				throw new ApiError(400, 'VALIDATION_ERROR', DI_MESSAGES.invalidAction, null);
			},
		},
	];
}
