// Webhook events: emitted on every record change, delivered signed to matching subscriptions,
// retried per the schedule with the same event id and the same bytes.
import { createHmac, randomUUID } from 'node:crypto';
import { httpExchange } from './outbound';
import type { SandboxState } from './state';
import type {
	DeliverOptions,
	DeliverResult,
	DeliveryAttempt,
	SignatureDefect,
	WebhookEvent,
	WebhookSubscription,
} from './types';

export const WEBHOOK_EVENT_TYPES = [
	'deal.created',
	'deal.updated',
	'deal.stage_changed',
	'deal.won',
	'deal.lost',
	'deal.deleted',
	'lead.created',
	'lead.updated',
	'lead.status_changed',
	'lead.converted',
	'lead.deleted',
	'user.created',
	'user.activated',
	'user.updated',
	'user.deactivated',
] as const;

export function webhookSignature(secret: string, body: Buffer | string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface PendingRetry {
	timer: NodeJS.Timeout;
	eventId: string;
	webhookId: string;
	attempt: number;
}

export class WebhookDispatcher {
	/** Exact bytes of each event, reused by every retry. */
	private readonly bodies = new Map<string, Buffer>();
	private readonly pending = new Map<string, PendingRetry>();
	private inFlight = 0;
	private stopped = false;
	private muted = false;

	constructor(private readonly state: SandboxState) {}

	/** Runs `write` without recording or delivering events (bulk seeding). */
	withoutEvents<T>(write: () => T): T {
		this.muted = true;
		try {
			return write();
		} finally {
			this.muted = false;
		}
	}

	/** Records the event and delivers it asynchronously to every active subscription for its type. */
	emit(type: string, data: unknown): WebhookEvent | undefined {
		if (this.muted) return undefined;
		const event: WebhookEvent = {
			id: `evt_${randomUUID()}`,
			type,
			version: '1',
			ts: new Date().toISOString(),
			tenant: this.state.settings.tenant,
			data,
		};
		const body = Buffer.from(JSON.stringify(event));
		// A snapshot: `data` is a live record that later writes change.
		const snapshot = JSON.parse(body.toString('utf8')) as WebhookEvent;
		this.state.events.push(snapshot);
		this.bodies.set(event.id, body);
		for (const subscription of this.state.webhooks.values()) {
			if (subscription.active && subscription.events.includes(type)) {
				setImmediate(() => void this.attempt(snapshot, subscription.id, 1));
			}
		}
		return snapshot;
	}

	get pendingCount(): number {
		return this.pending.size + this.inFlight;
	}

	/**
	 * Delivers the event again now: a scheduled retry runs early; otherwise each subscription that
	 * got it is sent the same bytes again (a duplicate delivery). Returns how many were sent.
	 */
	retryEvent(eventId: string): number {
		const due = [...this.pending.values()].filter((retry) => retry.eventId === eventId);
		for (const retry of due) this.runPending(retry);
		if (due.length) return due.length;
		const event = this.state.events.find((candidate) => candidate.id === eventId);
		if (!event) return 0;
		const webhookIds = new Set(
			this.state.deliveries.filter((d) => d.eventId === eventId && d.webhookId).map((d) => d.webhookId!),
		);
		for (const webhookId of webhookIds) {
			const attempts = this.state.deliveries.filter((d) => d.eventId === eventId && d.webhookId === webhookId).length;
			void this.attempt(event, webhookId, attempts + 1);
		}
		return webhookIds.size;
	}

	/** Runs every scheduled retry now. */
	flushRetries(): number {
		const due = [...this.pending.values()];
		for (const retry of due) this.runPending(retry);
		return due.length;
	}

	cancelFor(webhookId: string) {
		for (const [key, retry] of this.pending) {
			if (retry.webhookId === webhookId) {
				clearTimeout(retry.timer);
				this.pending.delete(key);
			}
		}
	}

	/** Drops pending retries and stored bodies (reset). */
	clear() {
		for (const retry of this.pending.values()) clearTimeout(retry.timer);
		this.pending.clear();
		this.bodies.clear();
	}

	stop() {
		this.stopped = true;
		this.clear();
	}

	/** One delivery now, with a chosen signature defect; not tied to a subscription. */
	async deliverOnce(options: DeliverOptions): Promise<DeliverResult> {
		const event: WebhookEvent = {
			id: `evt_${randomUUID()}`,
			type: 'lead.created',
			version: '1',
			ts: new Date().toISOString(),
			tenant: this.state.settings.tenant,
			data: sampleLead(),
			...options.event,
		};
		const signedBody = options.rawBody ?? options.body ?? JSON.stringify(event);
		const { sentBody, signatureHeader } = applyDefect(options.signature ?? 'valid', options.secret, signedBody);
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			'User-Agent': 'SalesOS-Webhooks/1.0 (sandbox)',
			'X-SalesOS-Event': event.type,
			'X-SalesOS-Event-Id': event.id,
			...(signatureHeader === null ? {} : { 'X-SalesOS-Signature': signatureHeader }),
			...options.headers,
		};
		const result = await httpExchange({
			url: options.url,
			headers,
			body: sentBody,
			timeoutMs: options.timeoutMs ?? this.state.settings.webhookTimeoutMs,
		});
		this.record({ eventId: event.id, type: event.type, webhookId: null, url: options.url, attempt: 1, result });
		return { ...result, eventId: event.id, sentBody, signatureHeader };
	}

	private runPending(retry: PendingRetry) {
		clearTimeout(retry.timer);
		this.pending.delete(pendingKey(retry.eventId, retry.webhookId));
		const event = this.state.events.find((candidate) => candidate.id === retry.eventId);
		if (event) void this.attempt(event, retry.webhookId, retry.attempt);
	}

	private async attempt(event: WebhookEvent, webhookId: string, attempt: number) {
		const subscription = this.state.webhooks.get(webhookId);
		const body = this.bodies.get(event.id);
		if (this.stopped || !subscription || !subscription.active || !body) return;
		this.inFlight++;
		let result;
		try {
			result = await httpExchange({
				url: subscription.url,
				headers: {
					'Content-Type': 'application/json',
					'User-Agent': 'SalesOS-Webhooks/1.0 (sandbox)',
					'X-SalesOS-Event': event.type,
					'X-SalesOS-Event-Id': event.id,
					'X-SalesOS-Signature': webhookSignature(subscription.secret, body),
				},
				body,
				timeoutMs: this.state.settings.webhookTimeoutMs,
			});
		} finally {
			this.inFlight--;
		}
		if (this.stopped) return;
		const ok = result.status !== null && result.status >= 200 && result.status < 300;
		const deactivated = ok ? false : this.countFailure(subscription);
		this.record({ eventId: event.id, type: event.type, webhookId, url: subscription.url, attempt, result, deactivated });
		const delays = this.state.settings.webhookRetryDelaysMs;
		if (!ok && subscription.active && attempt <= delays.length) {
			const timer = setTimeout(() => this.runPending(retry), delays[attempt - 1]);
			timer.unref();
			const retry: PendingRetry = { timer, eventId: event.id, webhookId, attempt: attempt + 1 };
			this.pending.set(pendingKey(event.id, webhookId), retry);
		}
	}

	/** Returns true when this failure deactivated the subscription. */
	private countFailure(subscription: WebhookSubscription): boolean {
		subscription.consecutive_failures++;
		if (subscription.consecutive_failures < this.state.settings.webhookMaxConsecutiveFailures) return false;
		subscription.active = false;
		this.cancelFor(subscription.id);
		return true;
	}

	private record(entry: {
		eventId: string;
		type: string;
		webhookId: string | null;
		url: string;
		attempt: number;
		result: { status: number | null; error?: string; durationMs: number; body?: unknown };
		deactivated?: boolean;
	}) {
		const { result } = entry;
		const ok = result.status !== null && result.status >= 200 && result.status < 300;
		if (ok && entry.webhookId) {
			const subscription = this.state.webhooks.get(entry.webhookId);
			if (subscription) subscription.consecutive_failures = 0;
		}
		const attempt: DeliveryAttempt = {
			eventId: entry.eventId,
			type: entry.type,
			webhookId: entry.webhookId,
			url: entry.url,
			attempt: entry.attempt,
			status: result.status,
			ok,
			...(result.error ? { error: result.error } : {}),
			...(result.body === undefined || result.body === null ? {} : { response: result.body }),
			durationMs: result.durationMs,
			at: new Date().toISOString(),
			...(entry.deactivated ? { deactivated: true } : {}),
		};
		this.state.deliveries.push(attempt);
	}
}

const pendingKey = (eventId: string, webhookId: string) => `${eventId}\n${webhookId}`;

function applyDefect(defect: SignatureDefect, secret: string, body: string) {
	const valid = webhookSignature(secret, body);
	switch (defect) {
		case 'valid':
			return { sentBody: body, signatureHeader: valid };
		case 'none':
			return { sentBody: body, signatureHeader: null };
		case 'wrong-secret':
		case 'wrong':
			return { sentBody: body, signatureHeader: webhookSignature(`${secret}-wrong`, body) };
		case 'tampered-body':
			return { sentBody: tamper(body), signatureHeader: valid };
		case 'truncated':
			return { sentBody: body, signatureHeader: valid.slice(0, 'sha256='.length + 32) };
		case 'wrong-prefix':
			return { sentBody: body, signatureHeader: valid.replace('sha256=', 'sha1=') };
		case 'reformatted':
			// Same JSON, different bytes: passes only a verifier that (wrongly) re-serialises.
			return { sentBody: reformat(body), signatureHeader: valid };
	}
}

function tamper(body: string): string {
	try {
		const parsed = JSON.parse(body);
		if (parsed && typeof parsed === 'object') return JSON.stringify({ ...parsed, tampered: true });
	} catch {
		// not JSON: change the bytes directly
	}
	return `${body} `;
}

function reformat(body: string): string {
	try {
		return JSON.stringify(JSON.parse(body), null, 2);
	} catch {
		return `${body}\n`;
	}
}

function sampleLead() {
	const now = new Date().toISOString();
	return {
		id: randomUUID(),
		name: 'Sample Lead',
		email: 'sample.lead@example.com',
		phone: '+5511999999999',
		company: 'Sample Co',
		position: null,
		source: 'website',
		status: 'new',
		owner_id: null,
		team_id: null,
		tags: [],
		custom_fields: {},
		created_at: now,
		updated_at: now,
	};
}
