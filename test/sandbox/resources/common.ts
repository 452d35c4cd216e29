// What every resource service needs: state, events, write timestamps, duplicate checks.
import { ApiError, type FieldError } from '../http';
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
