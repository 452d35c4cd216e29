// Default Integration: sync_collaborators and sync_activities.
// Per-item problems: by default the call answers 200 and lists them in `errors` as strings that
// start with `items[<index>].<field>: ` so a client can pair them with its input; with the setting
// `defaultIntegrationStrict` the whole request is rejected with 400 details[{index, field, message}].
import { ApiError, objectBody, ok, type FieldError, type RequestContext } from '../http';
import type { Route } from '../router';
import type { Activity, Collaborator } from '../types';
import { isDateTime, isEmail, isString, validate, type Rule, type Schema } from '../validation';
import type { Domain } from './common';

const isActivityCode: Rule = (v) =>
	typeof v === 'string' && /^\d{3}$/.test(v) && v !== '000' ? undefined : 'must be a three-digit code from "001" to "999"';
const isNonEmptyString: Rule = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty string');

const collaboratorSchema: Schema = {
	email: { required: true, rules: [isString, isEmail] },
	external_id: { required: true, rules: [isNonEmptyString] },
	name: { required: true, rules: [isNonEmptyString] },
	phone: { rules: [isString] },
	document: { rules: [isString] },
	team: { rules: [isString] },
	role: { rules: [isString] },
};

const activitySchema: Schema = {
	activity_code: { required: true, rules: [isActivityCode] },
	external_id: { required: true, rules: [isNonEmptyString] },
	collaborator_email: { required: true, rules: [isString, isEmail] },
	occurred_at: { rules: [isDateTime] },
};

export const itemErrorText = (error: FieldError) => `items[${error.index}].${error.field}: ${error.message}`;

function badRequest(message: string, details: FieldError[]) {
	return new ApiError(400, 'VALIDATION_ERROR', message, details);
}

/** Validates every item; strict mode throws, lenient mode returns the bad indexes' errors. */
function checkItems(domain: Domain, field: string, items: unknown, schema: Schema, max: number) {
	if (!Array.isArray(items)) throw badRequest(`${field} must be an array`, [{ field, message: 'must be an array' }]);
	if (items.length > max) {
		throw badRequest(`At most ${max} ${field} per request (got ${items.length})`, [
			{ field, message: `must contain at most ${max} items; split the batch` },
		]);
	}
	const errors: FieldError[] = [];
	items.forEach((item, index) => {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) {
			errors.push({ index, field: '(item)', message: 'must be an object' });
			return;
		}
		for (const error of validate(item as Record<string, unknown>, schema, 'create')) errors.push({ index, ...error });
	});
	if (errors.length && domain.state.settings.defaultIntegrationStrict) {
		throw badRequest(`${new Set(errors.map((e) => e.index)).size} of ${items.length} ${field} are invalid`, errors);
	}
	return { items: items as Array<Record<string, unknown>>, errors, bad: new Set(errors.map((e) => e.index)) };
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

function syncCollaborators(domain: Domain, body: Record<string, unknown>) {
	const { state } = domain;
	const { items, errors, bad } = checkItems(domain, 'collaborators', body.collaborators, collaboratorSchema, state.settings.collaboratorsMaxPerRequest);
	let created = 0;
	let existing = 0;
	items.forEach((item, index) => {
		if (bad.has(index)) return;
		const key = String(item.email).toLowerCase();
		const now = new Date().toISOString();
		const current = state.collaborators.get(key);
		const fields = {
			external_id: text(item.external_id) ?? current?.external_id ?? null,
			name: text(item.name) ?? current?.name ?? null,
			email: String(item.email),
			phone: text(item.phone) ?? current?.phone ?? null,
			document: text(item.document) ?? current?.document ?? null,
			team: text(item.team) ?? current?.team ?? null,
			role: text(item.role) ?? current?.role ?? null,
			metadata: item.metadata ?? current?.metadata ?? null,
		};
		if (current) {
			existing++;
			Object.assign(current, fields, { updated_at: now });
		} else {
			created++;
			state.collaborators.set(key, { ...fields, created_at: now, updated_at: now } satisfies Collaborator);
		}
	});
	return { created, existing, errors: errors.map(itemErrorText), total: items.length };
}

/** Activities of unknown collaborators are `skipped`; a replayed external_id is a duplicate. */
function syncActivities(domain: Domain, body: Record<string, unknown>) {
	const { state } = domain;
	const { items, errors, bad } = checkItems(domain, 'activities', body.activities, activitySchema, state.settings.activitiesMaxPerRequest);
	let processed = 0;
	let skipped = 0;
	let duplicates = 0;
	items.forEach((item, index) => {
		if (bad.has(index)) return;
		const externalId = String(item.external_id);
		if (state.activities.has(externalId)) {
			duplicates++;
		} else if (!state.collaborators.has(String(item.collaborator_email).toLowerCase())) {
			skipped++;
		} else {
			processed++;
			const activity: Activity = {
				external_id: externalId,
				activity_code: String(item.activity_code),
				collaborator_email: String(item.collaborator_email),
				data: item.data ?? null,
				occurred_at: text(item.occurred_at),
				received_at: new Date().toISOString(),
			};
			state.activities.set(externalId, activity);
		}
	});
	return { processed, skipped, duplicates, errors: errors.map(itemErrorText), total: items.length };
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
				throw badRequest('Unknown action', [{ field: 'action', message: 'must be sync_collaborators or sync_activities' }]);
			},
		},
	];
}
