import { sleep, type IDataObject } from 'n8n-workflow';

import { headerNumber, rateLimitResetSeconds } from './retry';

/**
 * Pacing of one node run (execution context). While the run is paused, every request of it
 * waits before going out. A run pauses when SalesOS answers 429 (for as long as it asks), and
 * also before that: when `X-RateLimit-Remaining` shows that the requests already in flight
 * would use up the rest of the window, it pauses until `X-RateLimit-Reset`. So a large input
 * can keep many requests in flight and still meet the limit without a stream of 429s.
 */
interface RunPacing {
	pausedUntil: number;
	inFlight: number;
}

const pacingByContext = new WeakMap<object, RunPacing>();

function pacingOf(context: object): RunPacing {
	let pacing = pacingByContext.get(context);
	if (!pacing) {
		pacing = { pausedUntil: 0, inFlight: 0 };
		pacingByContext.set(context, pacing);
	}
	return pacing;
}

export function pauseContext(context: object, seconds: number, now = Date.now()): void {
	const pacing = pacingOf(context);
	pacing.pausedUntil = Math.max(pacing.pausedUntil, now + seconds * 1000);
}

/** Waits out the run's pause, if any; returns the seconds waited. */
export async function waitForPause(context: object): Promise<number> {
	const remainingMs = pacingOf(context).pausedUntil - Date.now();
	if (remainingMs <= 0) return 0;
	await sleep(remainingMs);
	return remainingMs / 1000;
}

/** Sends one request, counted as in flight for the run while it is on its way. */
export async function sendCounted<T>(context: object, send: () => Promise<T>): Promise<T> {
	const pacing = pacingOf(context);
	pacing.inFlight++;
	try {
		return await send();
	} finally {
		pacing.inFlight--;
	}
}

/**
 * After a response: pauses the run until the window resets when no more than the requests
 * still in flight are left of it. A reset further away than `maxPauseSeconds` is not waited
 * for in advance: the 429 that follows then reports the wait the request would have needed.
 */
export function pauseBeforeRateLimit(context: object, headers: IDataObject, maxPauseSeconds: number, now = Date.now()): void {
	const remaining = headerNumber(headers, 'x-ratelimit-remaining');
	if (remaining === undefined || remaining > pacingOf(context).inFlight) return;
	const resetSeconds = rateLimitResetSeconds(headers, now);
	if (resetSeconds !== undefined && resetSeconds <= maxPauseSeconds) pauseContext(context, resetSeconds, now);
}
