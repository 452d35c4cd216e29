// The other system of a two-way sync: a plain, typical contact API under /external/contacts, as
// most CRMs, ERPs and help desks offer one. GET /contacts/:id gives the contact with its updated_at;
// PUT replaces it, PATCH changes only the fields sent, both answer the stored contact itself (no
// envelope); DELETE removes it. After EVERY stored change (its own users' edits and the API
// writes of an integration alike) it posts the whole contact to a webhook URL, with contact_id,
// updated_at and updated_by. No ETag/If-Match: like most real systems, it offers no conditional write.
import { isPlainObject, type RequestContext, type SandboxResponse } from './http';
import { httpExchange } from './outbound';
import type { Route } from './router';

export interface Contact {
	contact_id: string;
	updated_at: string;
	updated_by: string;
	[field: string]: unknown;
}

export type ContactChangeKind = 'created' | 'updated' | 'deleted';

/** One stored change, in order, as the test driver and the deliveries see it. */
export interface ContactChange {
	kind: ContactChangeKind;
	contact: Contact;
	/** The fields this change set (all of them for a create or a PUT). */
	fields: string[];
}

export interface ContactWebhookDelivery {
	contactId: string;
	kind: ContactChangeKind;
	status: number | null;
	attempt: number;
}

/** Who API writes are attributed to when the request does not say (header X-User or body updated_by). */
export const API_USER = 'api-client';

const RETRY_DELAYS_MS = [300, 1000, 3000];

export class ContactSystem {
	/** The n8n webhook every change is posted to; none → changes are stored, not reported. */
	webhookUrl: string | undefined;
	readonly changes: ContactChange[] = [];
	readonly deliveries: ContactWebhookDelivery[] = [];
	private readonly contacts = new Map<string, Contact>();
	private lastStamp = 0;
	private pending = 0;

	reset() {
		this.contacts.clear();
		this.changes.length = 0;
		this.deliveries.length = 0;
		this.webhookUrl = undefined;
	}

	get(id: string): Contact | undefined {
		const contact = this.contacts.get(id);
		return contact && { ...contact };
	}

	all(): Contact[] {
		return [...this.contacts.values()].map((contact) => ({ ...contact }));
	}

	/** Deliveries still being sent or retried. */
	get deliveriesPending(): number {
		return this.pending;
	}

	/** Creates or replaces a contact (PUT semantics). */
	put(id: string, fields: Record<string, unknown>, by: string): Contact {
		const existed = this.contacts.has(id);
		const contact = this.stamp({ ...withoutSystemFields(fields), contact_id: id }, by);
		this.contacts.set(id, contact);
		this.record(existed ? 'updated' : 'created', contact, Object.keys(withoutSystemFields(fields)));
		return { ...contact };
	}

	/** Changes only the fields given (PATCH semantics); undefined when there is no such contact. */
	patch(id: string, fields: Record<string, unknown>, by: string): Contact | undefined {
		const current = this.contacts.get(id);
		if (!current) return undefined;
		const changes = withoutSystemFields(fields);
		const contact = this.stamp({ ...current, ...changes }, by);
		this.contacts.set(id, contact);
		this.record('updated', contact, Object.keys(changes));
		return { ...contact };
	}

	delete(id: string, by: string): boolean {
		const current = this.contacts.get(id);
		if (!current) return false;
		this.contacts.delete(id);
		this.record('deleted', this.stamp({ ...current, deleted: true }, by), []);
		return true;
	}

	/** updated_at strictly increases, so two changes in one millisecond stay ordered. */
	private stamp(contact: Record<string, unknown>, by: string): Contact {
		this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
		return { ...contact, updated_at: new Date(this.lastStamp).toISOString(), updated_by: by } as Contact;
	}

	private record(kind: ContactChangeKind, contact: Contact, fields: string[]) {
		this.changes.push({ kind, contact: { ...contact }, fields });
		if (this.webhookUrl) void this.deliver(this.webhookUrl, kind, contact);
	}

	/** Posts the whole contact; a failed post is retried a few times, as real systems do. */
	private async deliver(url: string, kind: ContactChangeKind, contact: Contact) {
		this.pending++;
		try {
			const body = JSON.stringify({ ...contact, change: kind });
			for (let attempt = 1; ; attempt++) {
				const result = await httpExchange({ url, method: 'POST', headers: { 'Content-Type': 'application/json' }, body, timeoutMs: 10_000 });
				this.deliveries.push({ contactId: contact.contact_id, kind, status: result.status, attempt });
				const delay = RETRY_DELAYS_MS[attempt - 1];
				if ((result.status !== null && result.status < 300) || delay === undefined) return;
				await new Promise((resolve) => setTimeout(resolve, delay));
			}
		} finally {
			this.pending--;
		}
	}
}

function withoutSystemFields(fields: Record<string, unknown>): Record<string, unknown> {
	const { contact_id: _id, updated_at: _at, updated_by: _by, change: _change, deleted: _deleted, ...rest } = fields;
	return rest;
}

const notFound = (id: string): SandboxResponse => ({ status: 404, body: { error: 'not_found', message: `No contact ${id}` } });

function writer(ctx: RequestContext, body: Record<string, unknown> = {}): string {
	const header = ctx.req.headers['x-user'];
	if (typeof header === 'string' && header) return header;
	return typeof body.updated_by === 'string' && body.updated_by ? body.updated_by : API_USER;
}

function jsonBody(ctx: RequestContext): Record<string, unknown> | SandboxResponse {
	try {
		const body: unknown = JSON.parse(ctx.rawBody.toString('utf8') || '{}');
		if (isPlainObject(body)) return body;
	} catch {
		// Answered below like any other body that is not an object.
	}
	return { status: 400, body: { error: 'bad_request', message: 'Expected a JSON object' } };
}

const isResponse = (value: unknown): value is SandboxResponse => isPlainObject(value) && typeof value.status === 'number' && !('contact_id' in value);

export function contactRoutes(contacts: ContactSystem): Route[] {
	const write = (apply: (id: string, body: Record<string, unknown>, by: string) => Contact | undefined) => (ctx: RequestContext): SandboxResponse => {
		const body = jsonBody(ctx);
		if (isResponse(body)) return body;
		const contact = apply(ctx.params.id, body, writer(ctx, body));
		return contact ? { status: 200, body: contact } : notFound(ctx.params.id);
	};
	return [
		{
			method: 'GET',
			pattern: '/external/contacts/:id',
			handler: (ctx) => {
				const contact = contacts.get(ctx.params.id);
				return contact ? { status: 200, body: contact } : notFound(ctx.params.id);
			},
		},
		{ method: 'PUT', pattern: '/external/contacts/:id', handler: write((id, body, by) => contacts.put(id, body, by)) },
		{ method: 'PATCH', pattern: '/external/contacts/:id', handler: write((id, body, by) => contacts.patch(id, body, by)) },
		{
			method: 'DELETE',
			pattern: '/external/contacts/:id',
			handler: (ctx) => (contacts.delete(ctx.params.id, writer(ctx)) ? { status: 204 } : notFound(ctx.params.id)),
		},
	];
}
