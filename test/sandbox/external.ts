// External-system stand-in (an ERP, a chat, a form backend): records what n8n pushes to it and can
// post form submissions or changes to a URL (an n8n webhook). Faults apply to /external/* too.
import { randomUUID } from 'node:crypto';
import { isPlainObject, type RequestContext, type SandboxResponse } from './http';
import { httpExchange, parseMaybeJson } from './outbound';
import type { Route } from './router';
import type { SandboxState } from './state';
import type { ExternalReceived, ExternalSendOptions, HttpExchangeResult } from './types';

function parseBody(ctx: RequestContext): unknown {
	const text = ctx.rawBody.toString('utf8');
	const contentType = String(ctx.req.headers['content-type'] ?? '');
	if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
	return parseMaybeJson(text);
}

function idempotencyKeyOf(ctx: RequestContext, body: unknown): string | null {
	const header = ctx.req.headers['idempotency-key'];
	if (typeof header === 'string' && header) return header;
	if (isPlainObject(body)) {
		const key = body.idempotency_key ?? body.idempotencyKey;
		if (typeof key === 'string' || typeof key === 'number') return String(key);
	}
	return null;
}

export function receiveExternal(state: SandboxState, ctx: RequestContext): SandboxResponse {
	const path = ctx.params['*'];
	const collection = path.split('/')[0];
	const body = parseBody(ctx);
	const idempotencyKey = idempotencyKeyOf(ctx, body);
	const dedupeKey = idempotencyKey === null ? undefined : `${collection}\n${idempotencyKey}`;
	const seenId = dedupeKey && state.externalKeys.get(dedupeKey);
	if (seenId) return { status: 200, body: { ok: true, id: seenId, duplicate: true } };
	const record: ExternalReceived = {
		id: randomUUID(),
		collection,
		method: ctx.method,
		path: `/${path}`,
		headers: ctx.req.headers,
		body,
		idempotencyKey,
		receivedAt: new Date().toISOString(),
	};
	state.external.push(record);
	if (dedupeKey) state.externalKeys.set(dedupeKey, record.id);
	return { status: 200, body: { ok: true, id: record.id } };
}

/** Received records, optionally of one collection, oldest first. */
export function externalReceived(state: SandboxState, collection?: string): ExternalReceived[] {
	return collection ? state.external.filter((record) => record.collection === collection) : [...state.external];
}

export function externalSend(options: ExternalSendOptions): Promise<HttpExchangeResult> {
	const form = options.encoding === 'form';
	const body =
		options.body === undefined
			? undefined
			: form
				? new URLSearchParams(Object.entries(options.body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString()
				: JSON.stringify(options.body);
	return httpExchange({
		url: options.url,
		method: options.method ?? 'POST',
		headers: {
			'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
			...options.headers,
		},
		body,
		timeoutMs: options.timeoutMs ?? 30_000,
	});
}

export function externalRoutes(state: SandboxState): Route[] {
	const receive = (ctx: RequestContext) => receiveExternal(state, ctx);
	return [
		{ method: 'POST', pattern: '/external/*', handler: receive },
		{ method: 'PUT', pattern: '/external/*', handler: receive },
		{ method: 'PATCH', pattern: '/external/*', handler: receive },
		{
			method: 'GET',
			pattern: '/external/:collection',
			handler: (ctx) => ({ status: 200, body: { data: externalReceived(state, ctx.params.collection) } }),
		},
	];
}
