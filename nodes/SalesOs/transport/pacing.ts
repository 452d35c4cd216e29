import { sleep, type IDataObject } from 'n8n-workflow';

import { headerNumber, rateLimitResetSeconds } from './retry';

/**
 * Pacing of every request this n8n process sends for one SalesOS client (one API client or API
 * key), whichever execution or node run sends it. SalesOS limits the client as a whole, and its
 * `X-RateLimit-Remaining` / `X-RateLimit-Reset` describe that shared budget whatever process spent
 * it, so each process paces itself by them:
 * - while more than half of the budget is left, requests go out at once;
 * - below that, the rest of the budget is spread over the time until it resets (at least a tenth
 *   of the limit per reset interval, so a budget other processes emptied is probed again as it
 *   refills). Several processes pacing this way settle at the limit's refill rate between them,
 *   with budget to spare, whether SalesOS counts in fixed windows or refills continuously;
 * - after a 429 the client pauses for as long as SalesOS asked;
 * - before the budget is known (the first request of the process), one request goes out alone.
 * Requests wait in one queue per client, first come first served, so concurrent runs share fairly.
 */
const BURST_SHARE = 0.5;
const PROBE_SHARE = 0.1;
/** How often a waiting queue looks at the budget again (answers arriving meanwhile change it). */
const RECHECK_MS = 100;

interface Budget {
	limit: number;
	remaining: number;
	/** When the whole limit is available again (epoch ms). */
	resetAt: number;
}

interface Waiter {
	enqueuedAt: number;
	/** Past this, the request goes out regardless: a wait beyond Max Total Wait is not started. */
	deadline: number;
	release: (waitedSeconds: number) => void;
}

export class ClientPacer {
	private budget?: Budget;
	/** SalesOS sends no rate-limit headers for this client: nothing to pace by. */
	private unlimited = false;
	private inFlight = 0;
	private pausedUntil = 0;
	private lastSentAt = 0;
	private readonly queue: Waiter[] = [];
	private pumping = false;

	/** Waits for this request's turn (at most `maxWaitSeconds`); returns the seconds waited. */
	async acquire(maxWaitSeconds: number): Promise<number> {
		const now = Date.now();
		return await new Promise<number>((release) => {
			this.queue.push({ enqueuedAt: now, deadline: now + maxWaitSeconds * 1000, release });
			void this.pump(now);
		});
	}

	/** Records the answer to a request that `acquire` let out (headers undefined: no answer). */
	settle(headers: IDataObject | undefined, now = Date.now()): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (!headers) return;
		const remaining = headerNumber(headers, 'x-ratelimit-remaining');
		if (remaining === undefined) {
			if (!this.budget) this.unlimited = true;
			return;
		}
		this.unlimited = false;
		const limit = headerNumber(headers, 'x-ratelimit-limit') ?? Math.max(remaining + 1, this.budget?.limit ?? 0);
		const resetSeconds = rateLimitResetSeconds(headers, now);
		const resetAt = resetSeconds !== undefined ? now + resetSeconds * 1000 : (this.budget?.resetAt ?? now);
		this.budget = { limit, remaining, resetAt };
	}

	/** Holds every request of the client for `seconds` (a 429's wait hint). */
	pause(seconds: number, now = Date.now()): void {
		this.pausedUntil = Math.max(this.pausedUntil, now + seconds * 1000);
	}

	/** Milliseconds until the next request may go out. */
	private delay(now: number): number {
		if (now < this.pausedUntil) return this.pausedUntil - now;
		if (this.unlimited) return 0;
		if (!this.budget) return this.inFlight === 0 ? 0 : RECHECK_MS;
		const { limit, remaining, resetAt } = this.budget;
		const left = (now >= resetAt ? limit : remaining) - this.inFlight;
		if (left > limit * BURST_SHARE) return 0;
		const untilReset = resetAt - now;
		// The window has reset but the answers to our own requests are still on their way.
		if (untilReset <= 0) return RECHECK_MS;
		const probes = limit * PROBE_SHARE;
		if (left >= probes) return this.lastSentAt + untilReset / left - now;
		// Probing a spent budget: the interval runs from the last request, not from now, so the
		// probe does not creep ahead as the reset nears (it went out just before a fixed window
		// reset and met a 429); with less than one probe per window it waits for the reset.
		return Math.min(this.lastSentAt + (resetAt - this.lastSentAt) / probes, resetAt) - now;
	}

	/** `now`: the caller's clock reading, so a request let out in the same tick reports 0 s waited. */
	private async pump(now = Date.now()): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			while (this.queue.length) {
				this.releaseOverdue(now);
				if (!this.queue.length) break;
				const delay = this.delay(now);
				// A turn further away than the request may wait is not waited for: its 429 reports the wait.
				if (delay <= 0 || now + delay > this.queue[0].deadline) {
					this.send(this.queue.shift()!, now);
					continue;
				}
				await sleep(Math.min(delay, RECHECK_MS));
				now = Date.now();
			}
		} finally {
			this.pumping = false;
		}
	}

	private releaseOverdue(now: number): void {
		for (let index = 0; index < this.queue.length; ) {
			if (this.queue[index].deadline <= now) this.send(this.queue.splice(index, 1)[0], now);
			else index++;
		}
	}

	private send(waiter: Waiter, now: number): void {
		this.inFlight++;
		this.lastSentAt = now;
		waiter.release((now - waiter.enqueuedAt) / 1000);
	}
}

const pacers = new Map<string, ClientPacer>();

/** The pacer of one SalesOS client (`clientKey` names the API origin and the client) in this process. */
export function pacerFor(clientKey: string): ClientPacer {
	let pacer = pacers.get(clientKey);
	if (!pacer) {
		pacer = new ClientPacer();
		pacers.set(clientKey, pacer);
	}
	return pacer;
}

/** Forgets every client's budget (tests start each case against a fresh SalesOS sandbox). */
export function forgetPacing(): void {
	pacers.clear();
}
