import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { TOKEN_ERROR_NAME } from './tokenError';

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Total seconds one request may spend waiting between attempts. */
	maxWaitSeconds: number;
	/** First backoff step in seconds (doubles per retry, full jitter). Tests shrink it. */
	backoffBaseSeconds?: number;
}

export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
	maxRetries: 5,
	maxWaitSeconds: 300,
	backoffBaseSeconds: 1,
};

const BACKOFF_CAP_SECONDS = 60;

/** What went wrong with one attempt, read from the error n8n's request helper threw. */
export type AttemptFailure =
	| { kind: 'http'; status: number; headers: IDataObject; body: unknown }
	| { kind: 'network'; code: string; message: string }
	| { kind: 'token'; message: string; retryable: boolean }
	| { kind: 'other'; message: string };

/** Node's and axios's codes for a connection that failed or broke before a response arrived. */
const CONNECTION_NEVER_MADE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECTION_BROKEN = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

function* errorChain(error: unknown): Generator<Record<string, unknown>> {
	const seen = new Set<unknown>();
	let current = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		yield current as Record<string, unknown>;
		current = (current as { cause?: unknown }).cause;
	}
}

/**
 * httpRequestWithAuthentication wraps every failure in a NodeApiError whose `cause` is the
 * original error: an AxiosError (`response.status/headers/data` for HTTP errors, `code` such as
 * ECONNRESET/ECONNREFUSED/ETIMEDOUT/ECONNABORTED or the message "socket hang up" for network
 * failures), or whatever the credential's preAuthentication threw. Walk the cause chain.
 */
export function classifyFailure(error: unknown): AttemptFailure {
	for (const link of errorChain(error)) {
		if (link.name === TOKEN_ERROR_NAME) {
			return { kind: 'token', message: String(link.message), retryable: link.retryable === true };
		}
		const response = link.response as { status?: unknown; headers?: unknown; data?: unknown } | undefined;
		if (response && typeof response.status === 'number') {
			return {
				kind: 'http',
				status: response.status,
				headers: normaliseHeaders(response.headers),
				body: response.data,
			};
		}
		const code = typeof link.code === 'string' ? link.code : '';
		if (CONNECTION_NEVER_MADE.has(code) || CONNECTION_BROKEN.has(code)) {
			return { kind: 'network', code, message: String(link.message ?? code) };
		}
		if (typeof link.message === 'string' && /socket hang up/i.test(link.message)) {
			return { kind: 'network', code: 'ECONNRESET', message: link.message };
		}
	}
	const message = error instanceof Error ? error.message : String(error);
	return { kind: 'other', message };
}

export function normaliseHeaders(headers: unknown): IDataObject {
	const result: IDataObject = {};
	if (!headers || typeof headers !== 'object') return result;
	// AxiosHeaders and plain objects both enumerate their own header names.
	for (const [name, value] of Object.entries(headers as IDataObject)) {
		if (typeof value === 'string' || typeof value === 'number') result[name.toLowerCase()] = value;
	}
	return result;
}

/**
 * Whether a failed attempt may be repeated, and whether the request may already have been
 * processed by SalesOS ("ambiguous").
 *
 * Idempotent methods (GET, PUT, PATCH, DELETE) are retried on 429, 500, 502, 503, 504 and
 * network failures. A POST creates something, so it is retried only when the failure proves
 * SalesOS did not process it:
 * - 429: the rate limiter rejects before the request is handled (contract section 3);
 * - 503: "currently unable to handle the request" (RFC 9110): refused, not half-done;
 * - the connection was never made (ECONNREFUSED, DNS failure), or the access token could not
 *   be fetched, so nothing was sent.
 * A reset, a timeout, 500, 502 and 504 may hit after SalesOS stored the record. A POST is
 * retried after those only with `retrySafe` (the caller knows a duplicate comes back as 409,
 * or the endpoint deduplicates, as the Default Integration does by email / external_id), and
 * the result says so (`retriedAfterAmbiguousFailure`) so a 409 on the retry resolves to
 * "created by our first attempt".
 * 400, 401 (n8n has already refreshed the token and retried once), 403, 404, 409 and 422 are
 * answers, not accidents: never retried.
 */
export function retryDecision(
	failure: AttemptFailure,
	method: IHttpRequestMethods,
	retrySafe: boolean,
): { retry: boolean; ambiguous: boolean } {
	const idempotent = method !== 'POST';
	const provenUnprocessed = { retry: true, ambiguous: false };
	const maybeProcessed = { retry: idempotent || retrySafe, ambiguous: true };
	switch (failure.kind) {
		case 'http':
			if (failure.status === 429 || failure.status === 503) return provenUnprocessed;
			if ([500, 502, 504].includes(failure.status)) return maybeProcessed;
			return { retry: false, ambiguous: false };
		case 'network':
			return CONNECTION_NEVER_MADE.has(failure.code) ? provenUnprocessed : maybeProcessed;
		case 'token':
			return { retry: failure.retryable, ambiguous: false };
		default:
			return { retry: false, ambiguous: false };
	}
}

export function headerNumber(headers: IDataObject, name: string): number | undefined {
	const value = headers[name];
	if (value === undefined || value === '') return undefined;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Seconds SalesOS asked us to wait, from the first hint present: `Retry-After` (seconds or an
 * HTTP date), `error.retry_after` in the body (seconds), `X-RateLimit-Reset` (Unix seconds; a
 * small value is read as seconds from now, as some gateways send it).
 */
export function waitHintSeconds(failure: AttemptFailure, now = Date.now()): number | undefined {
	if (failure.kind !== 'http') return undefined;
	const { headers } = failure;
	const retryAfter = headers['retry-after'];
	if (retryAfter !== undefined && retryAfter !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds);
		const date = Date.parse(String(retryAfter));
		if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
	}
	const bodyHint = (failure.body as { error?: { retry_after?: unknown } } | undefined)?.error?.retry_after;
	if (bodyHint !== undefined && Number.isFinite(Number(bodyHint))) return Math.max(0, Number(bodyHint));
	return rateLimitResetSeconds(headers, now);
}

/** Seconds until the rate-limit window resets, from `X-RateLimit-Reset` (Unix seconds, or seconds from now). */
export function rateLimitResetSeconds(headers: IDataObject, now = Date.now()): number | undefined {
	const reset = headerNumber(headers, 'x-ratelimit-reset');
	if (reset === undefined) return undefined;
	const isUnixTime = reset > 1_000_000_000;
	return Math.max(0, isUnixTime ? reset - now / 1000 : reset);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(retry-1))]. */
export function backoffSeconds(retryNumber: number, baseSeconds: number): number {
	const ceiling = Math.min(BACKOFF_CAP_SECONDS, baseSeconds * 2 ** (retryNumber - 1));
	return Math.random() * ceiling;
}
