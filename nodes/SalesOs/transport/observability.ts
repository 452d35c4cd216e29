import type { IDataObject, Logger } from 'n8n-workflow';

import { headerNumber } from './retry';

/**
 * What a node run's requests went through, for the logs and the execution's hints. Every
 * attempt is logged at debug level through n8n's logger (method, path, status, attempt, wait,
 * SalesOS's request id) — never a query value, body, header or credential, since those may hold
 * secrets or personal data. Waits are kept as time intervals, so requests that wait out the same
 * rate-limit pause together count it once.
 */
export interface RunActivity {
	requests: number;
	/** Retries by cause, e.g. `{"503": 2, "429": 1, "ECONNRESET": 1}`. */
	retries: Record<string, number>;
	/** Merged wait intervals [startMs, endMs] of the run's requests. */
	waits: Array<[number, number]>;
	/** `X-RateLimit-Remaining` / `-Limit` of the latest response that had them. */
	rateLimitRemaining?: number;
	rateLimitLimit?: number;
}

const activityByContext = new WeakMap<object, RunActivity>();

function runActivity(context: object): RunActivity {
	let activity = activityByContext.get(context);
	if (!activity) {
		activity = { requests: 0, retries: {}, waits: [] };
		activityByContext.set(context, activity);
	}
	return activity;
}

/** Adds a wait that ended now; overlapping waits (a shared pause) merge into one. */
export function recordWait(context: object, seconds: number, now = Date.now()): void {
	if (seconds <= 0) return;
	const { waits } = runActivity(context);
	let start = now - seconds * 1000;
	let end = now;
	const kept: Array<[number, number]> = [];
	for (const [waitStart, waitEnd] of waits) {
		if (waitEnd < start || waitStart > end) kept.push([waitStart, waitEnd]);
		else {
			start = Math.min(start, waitStart);
			end = Math.max(end, waitEnd);
		}
	}
	kept.push([start, end]);
	runActivity(context).waits = kept.sort((a, b) => a[0] - b[0]);
}

export function recordRetry(context: object, cause: string): void {
	const { retries } = runActivity(context);
	retries[cause] = (retries[cause] ?? 0) + 1;
}

export function recordResponse(context: object, headers: IDataObject): void {
	const activity = runActivity(context);
	activity.requests++;
	const remaining = headerNumber(headers, 'x-ratelimit-remaining');
	if (remaining === undefined) return;
	activity.rateLimitRemaining = remaining;
	activity.rateLimitLimit = headerNumber(headers, 'x-ratelimit-limit');
}

export interface AttemptLog {
	method: string;
	path: string;
	/** HTTP status, or the network error code when no response arrived. */
	status: number | string;
	attempt: number;
	/** Seconds this request had waited before the attempt (rate-limit pauses and backoff). */
	waitedSeconds: number;
	/** Seconds until the next attempt, when there is one. */
	retryInSeconds?: number;
	durationMs: number;
	requestId?: string;
	/** Names (not values) of the query parameters. */
	queryParameters: string[];
}

export function logAttempt(context: object, entry: AttemptLog): void {
	const logger = (context as { logger?: Logger }).logger;
	const { method, path, status, attempt } = entry;
	logger?.debug(`SalesOS API ${method} ${path} → ${status} (attempt ${attempt})`, {
		...entry,
		waitedSeconds: Math.round(entry.waitedSeconds * 1000) / 1000,
		...(entry.retryInSeconds !== undefined ? { retryInSeconds: Math.round(entry.retryInSeconds * 1000) / 1000 } : {}),
	});
}

/** The request id SalesOS put into `meta` of a body (success or error envelope). */
export function requestIdOf(body: unknown): string | undefined {
	const id = (body as { meta?: { request_id?: unknown } } | undefined)?.meta?.request_id;
	return typeof id === 'string' ? id : undefined;
}

const seconds = (value: number) => `${Math.round(value)} s`;

/** Short lines for the execution's hints: waits, retries and the rate-limit budget left. */
export function activitySummary(context: object): string[] {
	const activity = activityByContext.get(context);
	if (!activity) return [];
	const lines: string[] = [];
	const waited = activity.waits.reduce((total, [start, end]) => total + (end - start) / 1000, 0);
	const retryParts = Object.entries(activity.retries).map(
		([cause, count]) => `${count} ${count === 1 ? 'retry' : 'retries'} after ${cause}`,
	);
	if (waited >= 0.5 || retryParts.length > 0) {
		const pauses = activity.waits.length;
		const waitPart = `waited ${seconds(waited)} for SalesOS rate limits and retries over ${pauses} ${pauses === 1 ? 'pause' : 'pauses'}`;
		lines.push(`SalesOS: ${[waitPart, ...retryParts].join('; ')}`);
	}
	if (activity.rateLimitRemaining !== undefined) {
		const limit = activity.rateLimitLimit !== undefined ? ` of ${activity.rateLimitLimit.toLocaleString('en-US')}` : '';
		lines.push(
			`SalesOS rate limit: ${activity.rateLimitRemaining.toLocaleString('en-US')}${limit} requests left in the current window (after ${activity.requests.toLocaleString('en-US')} requests of this run)`,
		);
	}
	return lines;
}
