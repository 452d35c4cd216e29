// Per-credential rate limiting (fixed or sliding window, or a token bucket) and the 429 wait-hint forms.
import { ApiError } from './http';
import type { RateLimitHint, RateLimitSettings } from './types';

interface Bucket {
	windowStart: number;
	count: number;
	/** Sliding mode: request times within the window, oldest first. */
	times: number[];
	/** Token bucket: tokens left at `refilledAt`. */
	tokens: number;
	refilledAt: number;
}

export class RateLimiter {
	private readonly buckets = new Map<string, Bucket>();

	clear() {
		this.buckets.clear();
	}

	/**
	 * Counts one request for `credential`. Returns the headers for the response, or throws the 429
	 * (requests over the limit are not counted).
	 */
	take(credential: string, settings: RateLimitSettings | null, hint: RateLimitHint): Record<string, string> {
		if (!settings) return {};
		const now = Date.now();
		const bucket = this.buckets.get(credential) ?? { windowStart: now, count: 0, times: [], tokens: settings.limit, refilledAt: now };
		this.buckets.set(credential, bucket);
		if (settings.mode === 'tokenBucket') return takeToken(bucket, settings, hint, now);
		let used: number;
		let resetMs: number;
		if (settings.mode === 'sliding') {
			while (bucket.times.length && bucket.times[0] <= now - settings.windowMs) bucket.times.shift();
			used = bucket.times.length;
			resetMs = (bucket.times[0] ?? now) + settings.windowMs;
		} else {
			if (now - bucket.windowStart >= settings.windowMs) {
				bucket.windowStart = now - ((now - bucket.windowStart) % settings.windowMs);
				bucket.count = 0;
			}
			used = bucket.count;
			resetMs = bucket.windowStart + settings.windowMs;
		}
		if (used >= settings.limit) {
			throw rateLimited(Math.max(1, Math.ceil((resetMs - now) / 1000)), hint, settings.limit, resetMs);
		}
		if (settings.mode === 'sliding') bucket.times.push(now);
		else bucket.count++;
		return {
			'X-RateLimit-Limit': String(settings.limit),
			'X-RateLimit-Remaining': String(settings.limit - used - 1),
			'X-RateLimit-Reset': String(Math.ceil(resetMs / 1000)),
		};
	}
}

/**
 * Token bucket: holds `limit` tokens and refills continuously at `limit` per `windowMs`; a request
 * takes one. X-RateLimit-Remaining is the whole tokens left, X-RateLimit-Reset the time the
 * bucket is full again; a 429 asks to retry when the next token is there.
 */
function takeToken(bucket: Bucket, settings: RateLimitSettings, hint: RateLimitHint, now: number): Record<string, string> {
	const perMs = settings.limit / settings.windowMs;
	bucket.tokens = Math.min(settings.limit, bucket.tokens + (now - bucket.refilledAt) * perMs);
	bucket.refilledAt = now;
	const fullAt = (tokens: number) => now + (settings.limit - tokens) / perMs;
	if (bucket.tokens < 1) {
		throw rateLimited(Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)), hint, settings.limit, fullAt(bucket.tokens));
	}
	bucket.tokens -= 1;
	return {
		'X-RateLimit-Limit': String(settings.limit),
		'X-RateLimit-Remaining': String(Math.floor(bucket.tokens)),
		'X-RateLimit-Reset': String(Math.ceil(fullAt(bucket.tokens) / 1000)),
	};
}

/**
 * A 429 carrying exactly the hints `hint` selects. X-RateLimit-Reset is a hint too, so only
 * 'reset' and 'all' send it on a 429.
 */
export function rateLimited(retryAfterSeconds: number, hint: RateLimitHint, limit?: number, resetMs?: number): ApiError {
	const resetAt = resetMs ?? Date.now() + retryAfterSeconds * 1000;
	const headers: Record<string, string> = {};
	if (limit !== undefined) {
		headers['X-RateLimit-Limit'] = String(limit);
		headers['X-RateLimit-Remaining'] = '0';
	}
	if (hint === 'retry-after-seconds' || hint === 'all') headers['Retry-After'] = String(retryAfterSeconds);
	if (hint === 'retry-after-date') headers['Retry-After'] = new Date(Math.ceil(resetAt / 1000) * 1000).toUTCString();
	if (hint === 'reset' || hint === 'all') headers['X-RateLimit-Reset'] = String(Math.ceil(resetAt / 1000));
	const extra = hint === 'body' || hint === 'all' ? { retry_after: retryAfterSeconds } : {};
	return new ApiError(429, 'RATE_LIMITED', 'Too many requests; slow down and retry later', [], extra, headers);
}
