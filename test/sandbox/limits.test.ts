import axios, { type AxiosInstance } from 'axios';
import { startSandbox, type RateLimitHint, type Sandbox } from './index';
import { restClient } from './testing';

describe('sandbox rate limiting and faults', () => {
	let sandbox: Sandbox;
	let api: AxiosInstance;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = await restClient(sandbox);
	});

	describe('rate limit', () => {
		it('counts per credential and sends X-RateLimit headers on every response', async () => {
			sandbox.updateSettings({ rateLimit: { limit: 2, windowMs: 60_000 } });
			const first = await api.get('/leads');
			expect(first.headers['x-ratelimit-limit']).toBe('2');
			expect(first.headers['x-ratelimit-remaining']).toBe('1');
			expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
			expect((await api.get('/leads')).headers['x-ratelimit-remaining']).toBe('0');
			const limited = await api.get('/leads');
			expect(limited.status).toBe(429);
			expect(limited.data.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.any(String), retry_after: 60 });
			// Another credential has its own budget.
			const byKey = await axios.get(`${sandbox.url}/v1/leads`, { headers: { Authorization: 'Bearer sk_test_sandbox' } });
			expect(byKey.status).toBe(200);
			expect(sandbox.requestCount('GET /v1/leads', 429)).toBe(1);
		});

		const expectations: Record<RateLimitHint, (response: { headers: Record<string, unknown>; data: any }) => void> = {
			'retry-after-seconds': ({ headers, data }) => {
				expect(headers['retry-after']).toBe('1');
				expect(data.error.retry_after).toBeUndefined();
				expect(headers['x-ratelimit-reset']).toBeUndefined();
			},
			'retry-after-date': ({ headers, data }) => {
				const waitMs = Date.parse(String(headers['retry-after'])) - Date.now();
				expect(waitMs).toBeGreaterThan(-1000);
				expect(waitMs).toBeLessThanOrEqual(2000);
				expect(data.error.retry_after).toBeUndefined();
			},
			body: ({ headers, data }) => {
				expect(data.error.retry_after).toBe(1);
				expect(headers['retry-after']).toBeUndefined();
				expect(headers['x-ratelimit-reset']).toBeUndefined();
			},
			reset: ({ headers, data }) => {
				const resetSeconds = Number(headers['x-ratelimit-reset']);
				expect(resetSeconds).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
				expect(resetSeconds).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);
				expect(headers['retry-after']).toBeUndefined();
				expect(data.error.retry_after).toBeUndefined();
			},
			none: ({ headers, data }) => {
				expect(headers['retry-after']).toBeUndefined();
				expect(headers['x-ratelimit-reset']).toBeUndefined();
				expect(data.error.retry_after).toBeUndefined();
			},
			all: ({ headers, data }) => {
				expect(headers['retry-after']).toBe('1');
				expect(headers['x-ratelimit-reset']).toBeDefined();
				expect(data.error.retry_after).toBe(1);
			},
		};
		it.each(Object.keys(expectations) as RateLimitHint[])('sends only the %s wait hint on 429', async (hint) => {
			sandbox.updateSettings({ rateLimit: { limit: 1, windowMs: 1000 }, rateLimitHint: hint });
			expect((await api.get('/leads')).status).toBe(200);
			const limited = await api.get('/leads');
			expect(limited.status).toBe(429);
			expect(limited.data.error.code).toBe('RATE_LIMITED');
			expectations[hint](limited);
		});

		it('token bucket: a full bucket lets the limit through at once, then one request per refill interval', async () => {
			// 10 tokens, refilled at 10 per second: one every 100 ms.
			sandbox.updateSettings({ rateLimit: { limit: 10, windowMs: 1000, mode: 'tokenBucket' }, rateLimitHint: 'all' });
			const burst = await Promise.all(Array.from({ length: 12 }, () => api.get('/leads')));
			expect(burst.filter((response) => response.status === 200)).toHaveLength(10);
			const limited = burst.find((response) => response.status === 429)!;
			expect(limited.headers['retry-after']).toBe('1');
			expect(limited.headers['x-ratelimit-remaining']).toBe('0');
			// The bucket is full again about a second after it ran empty.
			expect(Number(limited.headers['x-ratelimit-reset']) - Date.now() / 1000).toBeLessThanOrEqual(2);
			await new Promise((resolve) => setTimeout(resolve, 250));
			const refilled = await api.get('/leads');
			expect(refilled.status).toBe(200);
			expect(Number(refilled.headers['x-ratelimit-remaining'])).toBeLessThanOrEqual(1);
		});

		it('lets requests through again after the window (sliding mode)', async () => {
			sandbox.updateSettings({ rateLimit: { limit: 1, windowMs: 400, mode: 'sliding' } });
			expect((await api.get('/leads')).status).toBe(200);
			expect((await api.get('/leads')).status).toBe(429);
			await new Promise((resolve) => setTimeout(resolve, 420));
			expect((await api.get('/leads')).status).toBe(200);
		});
	});

	describe('faults', () => {
		it('answers an injected status a given number of times, then recovers', async () => {
			sandbox.setFaults([{ route: '/v1/leads', method: 'GET', status: 503, count: 2 }]);
			expect((await api.get('/leads')).status).toBe(503);
			const second = await api.get('/leads');
			expect(second.status).toBe(503);
			expect(second.data.error.code).toBe('SERVICE_UNAVAILABLE');
			expect((await api.get('/leads')).status).toBe(200);
			expect(sandbox.counters().requests['GET /v1/leads']).toEqual({ 200: 1, 503: 2 });
		});

		it('resets the connection before processing: nothing is written', async () => {
			sandbox.setFaults([{ route: '/v1/leads', method: 'POST', reset: true, count: 1 }]);
			const error = await api.post('/leads', { name: 'A', email: 'a@example.com' }).catch((e) => e);
			expect(error.code).toMatch(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/);
			expect(sandbox.state.leads.size).toBe(0);
			expect(sandbox.requestCount('POST /v1/leads', 'reset')).toBe(1);
		});

		it('resets the connection after processing: the write happened, a retry gets 409', async () => {
			sandbox.setFaults([{ route: '/v1/leads', method: 'POST', reset: true, count: 1, when: 'after' }]);
			const error = await api.post('/leads', { name: 'A', email: 'a@example.com' }).catch((e) => e);
			expect(error.response).toBeUndefined();
			expect(sandbox.state.leads.size).toBe(1);
			const retry = await api.post('/leads', { name: 'A', email: 'a@example.com' });
			expect(retry.status).toBe(409);
			expect(retry.data.error.existing_id).toBe([...sandbox.state.leads.values()][0].id);
		});

		it('answers 502 after processing and matches route patterns and globs', async () => {
			const lead = sandbox.seed({ resource: 'leads', count: 1 }).records![0];
			sandbox.setFaults([
				{ route: '/v1/leads/:id', method: 'PATCH', status: 502, when: 'after', count: 1, body: '<html>Bad Gateway</html>' },
				{ route: '/external/*', status: 500 },
			]);
			const patched = await api.patch(`/leads/${lead.id}`, { company: 'After' });
			expect(patched.status).toBe(502);
			expect(patched.data).toBe('<html>Bad Gateway</html>');
			expect(sandbox.state.leads.get(lead.id)!.company).toBe('After');
			expect((await axios.post(`${sandbox.url}/external/orders`, {}, { validateStatus: () => true })).status).toBe(500);
		});

		it('applies 429 faults with the configured hint, and latency', async () => {
			sandbox.updateSettings({ rateLimitHint: 'body' });
			sandbox.setFaults([
				{ route: '/v1/deals', status: 429, retryAfterSeconds: 3, count: 1 },
				{ route: '/v1/stages', latencyMs: 80 },
			]);
			const limited = await api.get('/deals');
			expect(limited.status).toBe(429);
			expect(limited.data.error.retry_after).toBe(3);
			const started = Date.now();
			expect((await api.get('/stages')).status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(75);
		});

		it('draws probabilities from a seeded RNG: the same seed gives the same sequence', async () => {
			const run = async () => {
				sandbox.reset({ seed: 7 });
				api = await restClient(sandbox);
				sandbox.setFaults([{ route: '/v1/stages', status: 500, probability: 0.5 }]);
				const statuses: number[] = [];
				for (let i = 0; i < 12; i++) statuses.push((await api.get('/stages')).status);
				return statuses;
			};
			const first = await run();
			expect(first).toContain(500);
			expect(first).toContain(200);
			expect(await run()).toEqual(first);
		});

		it('delays every request by settings.latencyMs', async () => {
			sandbox.updateSettings({ latencyMs: 60 });
			const started = Date.now();
			await api.get('/stages');
			expect(Date.now() - started).toBeGreaterThanOrEqual(55);
		});
	});
});
