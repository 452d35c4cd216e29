// What every resource service needs: state, events, write timestamps, duplicate checks, CRUD routes.
import { ApiError, noContent, objectBody, ok, type FieldError } from '../http';
import { listResponse, type ListSpec } from '../listQuery';
import type { Route } from '../router';
import type { RecordStore, SandboxState } from '../state';
import type { WebhookDispatcher } from '../webhookDelivery';

export interface Domain {
	state: SandboxState;
	events: WebhookDispatcher;
}

export interface WriteOptions {
	/** Skip validation and duplicate checks (control API). */
	force?: boolean;
	/** Store this updated_at instead of the clock's. */
	updatedAt?: string;
}

/** The updated_at of a write to `resource` (leads, deals, users). */
export function writeTime(domain: Domain, resource: string, options: WriteOptions = {}): string {
	if (options.updatedAt) {
		const iso = new Date(options.updatedAt).toISOString();
		domain.state.clock.observe(iso, resource);
		return iso;
	}
	return domain.state.clock.now(resource);
}

export interface UniqueCheck {
	/** Index name in the RecordStore. */
	index: string;
	/** Field reported in details. */
	field: string;
}

/** 409 CONFLICT when `candidate` would duplicate another record on any unique key. */
export function assertNoConflict<T extends { id: string }>(
	domain: Domain,
	store: RecordStore<T>,
	what: string,
	candidate: T,
	checks: UniqueCheck[],
) {
	const details: FieldError[] = [];
	let existingId: string | undefined;
	for (const check of checks) {
		const key = store.keyOf(check.index, candidate);
		const id = store.findId(check.index, key);
		if (id === undefined || id === candidate.id) continue;
		details.push({ field: check.field, message: `a ${what} with this ${check.field} (${key}) already exists` });
		existingId ??= id;
	}
	if (!details.length) return;
	const extra = domain.state.settings.conflictIncludesExistingId ? { existing_id: existingId } : {};
	throw new ApiError(409, 'CONFLICT', `A ${what} with the same ${details.map((d) => d.field).join(' and ')} already exists`, details, extra);
}

/** How the routes of a plain record collection read and write its records. */
export interface RecordService<T extends { id: string }> {
	store: RecordStore<T>;
	list: ListSpec<T>;
	get(id: string): T;
	create(input: Record<string, unknown>): T;
	update(record: T, input: Record<string, unknown>): T;
	remove(record: T): void;
}

/** List, create, get, update and delete under `collectionPath` (e.g. /v1/leads). */
export function recordRoutes<T extends { id: string }>(
	domain: Domain,
	collectionPath: string,
	service: RecordService<T>,
): Route[] {
	const itemPath = `${collectionPath}/:id`;
	return [
		{ method: 'GET', pattern: collectionPath, handler: (ctx) => listResponse(ctx, service.store.values(), service.list, domain.state.settings) },
		{ method: 'POST', pattern: collectionPath, handler: (ctx) => ok(ctx, service.create(objectBody(ctx)), 201) },
		{ method: 'GET', pattern: itemPath, handler: (ctx) => ok(ctx, service.get(ctx.params.id)) },
		{ method: 'PATCH', pattern: itemPath, handler: (ctx) => ok(ctx, service.update(service.get(ctx.params.id), objectBody(ctx))) },
		{
			method: 'DELETE',
			pattern: itemPath,
			handler: (ctx) => {
				service.remove(service.get(ctx.params.id));
				return noContent();
			},
		},
	];
}
