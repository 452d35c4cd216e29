/**
 * The transport and both credentials through the real n8n-core engine, over real HTTP to the
 * SalesOS sandbox: token reuse and refresh, P2S-SIGN-V1, retries and wait hints, error mapping.
 */
import axios from 'axios';
import { sleep, type ICredentialDataDecryptedObject, type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

import { SalesOsApiKeyApi } from '../credentials/SalesOsApiKeyApi.credentials';

import { getSalesOsError, type SalesOsErrorInfo } from '../nodes/SalesOs/transport';
import { runNode, TestCredentialsHelper, type NodeRunResult } from './helpers/engine';
import { sandboxApiKey, sandboxClientCredentials } from './helpers/sandboxCredentials';
import {
	SANDBOX_API_KEY,
	SANDBOX_API_SECRET,
	SANDBOX_CLIENT_SECRET,
	SANDBOX_NO_SCOPE_API_KEY,
	startSandbox,
	type Sandbox,
} from './sandbox';

// The sandbox's in-process controls (the same as its /__sandbox/* HTTP API).
let sandbox: Sandbox;
let control: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
	control = sandbox;
});
afterAll(async () => await sandbox.close());
beforeEach(() => control.reset());

const FAST_BACKOFF = JSON.stringify({ backoffBaseSeconds: 0.01 });

function clientCredentials(overrides: ICredentialDataDecryptedObject = {}) {
	return new TestCredentialsHelper({
		salesOsClientCredentialsApi: sandboxClientCredentials(sandbox, overrides),
	});
}

function apiKeyCredentials(overrides: ICredentialDataDecryptedObject = {}) {
	return new TestCredentialsHelper({
		salesOsApiKeyApi: sandboxApiKey(sandbox, overrides),
	});
}

/** Runs the test caller node: Manual Trigger → items → one transport call per item. */
async function call(
	credentials: TestCredentialsHelper,
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	continueOnFail?: 'continueRegularOutput',
): Promise<NodeRunResult> {
	const authentication = credentials.storedIds().includes('salesOsApiKeyApi') ? 'apiKey' : 'clientCredentials';
	const stringified = Object.fromEntries(
		Object.entries(parameters).map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : value]),
	);
	return await runNode({
		node: { type: 'salesOsTestCaller', parameters: { authentication, retry: FAST_BACKOFF, ...stringified } },
		input,
		credentials,
		continueOnFail,
	});
}

function responseOf(result: NodeRunResult, index = 0) {
	expect(result.error).toBeUndefined();
	return result.items[index].json as IDataObject & { data: IDataObject; attempts: number; waitedSeconds: number };
}

function errorInfo(result: NodeRunResult): SalesOsErrorInfo {
	expect(result.error).toBeDefined();
	const info = getSalesOsError(result.error);
	expect(info).toBeDefined();
	return info!;
}

const requestCount = (counters: { requests: Record<string, Record<string, number>> }, route: string, status: number | string) =>
	counters.requests[route]?.[String(status)] ?? 0;

describe('client credentials token', () => {
	test('one token serves many requests across many executions', async () => {
		const credentials = clientCredentials();
		for (let execution = 0; execution < 3; execution++) {
			const result = await call(credentials, { path: '/leads' }, [{}, {}, {}]);
			expect(result.items).toHaveLength(3);
			expect(responseOf(result).status).toBe(200);
		}
		const counters = await control.counters();
		expect(counters.tokenRequests).toBe(1);
		expect(requestCount(counters, 'GET /v1/leads', 200)).toBe(9);
		expect(credentials.preAuthenticationRuns.salesOsClientCredentialsApi).toBe(1);
		expect((await credentials.stored('salesOsClientCredentialsApi'))?.accessToken).toEqual(expect.any(String));
	});

	test('after SalesOS expires the token, exactly one refresh and one retry', async () => {
		const credentials = clientCredentials();
		await call(credentials, { path: '/leads' });
		const firstToken = (await credentials.stored('salesOsClientCredentialsApi'))?.accessToken;
		await control.expireTokens();

		const result = await call(credentials, { path: '/leads' }, [{}, {}, {}]);
		expect(result.items.map((item) => item.json.status)).toEqual([200, 200, 200]);
		const counters = await control.counters();
		expect(counters.tokenRequests).toBe(2);
		expect(requestCount(counters, 'GET /v1/leads', 401)).toBe(1);
		expect(requestCount(counters, 'GET /v1/leads', 200)).toBe(4);
		expect((await credentials.stored('salesOsClientCredentialsApi'))?.accessToken).not.toBe(firstToken);
	});
});

describe('one token per process', () => {
	// Each helper stands for one execution: it read the stored credential when it started.
	const startStaggered = async (executions: TestCredentialsHelper[]) =>
		await Promise.all(
			executions.map(async (credentials, index) => {
				await new Promise((resolve) => setTimeout(resolve, index * 20));
				return await call(credentials, { path: '/leads' });
			}),
		);

	test('executions that start together without a stored token share one token request', async () => {
		const results = await startStaggered(Array.from({ length: 20 }, () => clientCredentials()));
		expect(results.map((result) => responseOf(result).status)).toEqual(Array(20).fill(200));
		expect(control.counters().tokenRequests).toBe(1);
	});

	test('after SalesOS expires every token, executions holding the old one refresh it once', async () => {
		const first = clientCredentials();
		await call(first, { path: '/leads' });
		const oldToken = (await first.stored('salesOsClientCredentialsApi'))?.accessToken;
		await control.expireTokens();
		const executions = Array.from({ length: 10 }, () => clientCredentials({ accessToken: String(oldToken) }));
		const results = await startStaggered(executions);
		expect(results.map((result) => responseOf(result).status)).toEqual(Array(10).fill(200));
		expect(control.counters().tokenRequests).toBe(2);
	});

	test('a newer token the process holds is tried first, and replaced once when SalesOS expired it too', async () => {
		const holdsFirst = clientCredentials();
		await call(holdsFirst, { path: '/leads' });
		await control.expireTokens();
		// Another execution refreshes: the process now holds a second token.
		await call(clientCredentials(), { path: '/leads' });
		await control.expireTokens();
		// This execution's token is older than the process's, which SalesOS also expired.
		const result = await call(holdsFirst, { path: '/leads' });
		expect(responseOf(result).status).toBe(200);
		expect(control.counters().tokenRequests).toBe(3);
	});
});

describe('P2S-SIGN-V1 signed requests', () => {
	test('a signed POST with a JSON body and a signed GET with a query are accepted', async () => {
		await control.updateSettings({
			apiKeys: [{ key: SANDBOX_API_KEY, secret: SANDBOX_API_SECRET, scopes: ['default:sync'], rest: true, requireSignature: true }],
		});
		const credentials = apiKeyCredentials({ apiSecret: SANDBOX_API_SECRET });
		const created = await call(credentials, {
			method: 'POST',
			path: '/leads',
			body: { name: 'Zoë Ñandú', email: 'zoe@example.com', custom_fields: { external_id: 'crm 42/ü' } },
		});
		expect(responseOf(created).data).toMatchObject({ name: 'Zoë Ñandú', email: 'zoe@example.com' });

		const listed = await call(credentials, {
			path: '/leads',
			qs: { 'custom_fields.external_id': 'crm 42/ü', search: 'Zoë & co', per_page: 5 },
		});
		expect(responseOf(listed).status).toBe(200);
		const counters = await control.counters();
		expect(requestCount(counters, 'POST /v1/leads', 201)).toBe(1);
		expect(requestCount(counters, 'GET /v1/leads', 200)).toBe(1);
		expect(requestCount(counters, 'POST /v1/leads', 401) + requestCount(counters, 'GET /v1/leads', 401)).toBe(0);
	});

	test('the sandbox rejects a signed request whose body was altered after signing', async () => {
		const signed = await new SalesOsApiKeyApi().authenticate(
			{ apiKey: SANDBOX_API_KEY, apiSecret: SANDBOX_API_SECRET },
			{ method: 'POST', url: `${sandbox.url}/v1/leads`, qs: { source: 'n8n test' }, body: { name: 'Hu', email: 'hu@example.com' } },
		);
		const send = async (options: IHttpRequestOptions) =>
			await axios.request({
				method: options.method,
				url: options.url,
				headers: options.headers as Record<string, string>,
				data: options.body,
				validateStatus: () => true,
			});
		const tampered = await send({ ...signed, body: String(signed.body).replace('hu@', 'eve@') });
		expect(tampered.status).toBe(401);
		expect(tampered.data.error.code).toBe('INVALID_SIGNATURE');
		// The same signature over the untouched bytes is accepted: the tampering alone made it fail.
		expect((await send(signed)).status).toBe(201);
	});

	test('a wrong secret is rejected with 401 and a message about the API key and secret', async () => {
		const result = await call(apiKeyCredentials({ apiSecret: 'not-the-secret' }), { path: '/leads' });
		expect(errorInfo(result)).toMatchObject({ status: 401, code: 'INVALID_SIGNATURE' });
		expect(result.error?.message).toBe('SalesOS rejected the credentials (401) for GET /leads');
		expect(result.error?.description).toMatch(/API Key .*API Secret/);
	});
});

describe('retries', () => {
	test.each([
		['retry-after-seconds', 1],
		['retry-after-date', 2],
		['body', 1],
		['reset', 2],
	] as const)('a 429 with the %s hint waits what SalesOS asks, then succeeds', async (hint, seconds) => {
		await control.updateSettings({ rateLimitHint: hint });
		await control.setFaults([{ route: '/v1/leads', status: 429, retryAfterSeconds: seconds, count: 1 }]);
		const started = Date.now();
		const response = responseOf(await call(apiKeyCredentials(), { path: '/leads' }));
		const elapsed = (Date.now() - started) / 1000;
		expect(response.attempts).toBe(2);
		// Whole-second hints (an HTTP date or a Unix reset time) may round down by up to 1 s; the
		// backoff fallback here is at most 0.01 s, so only an honoured hint waits this long.
		const minimum = hint === 'retry-after-date' || hint === 'reset' ? seconds - 1 : seconds;
		expect(response.waitedSeconds).toBeGreaterThanOrEqual(minimum * 0.95);
		expect(elapsed).toBeGreaterThanOrEqual(minimum * 0.95);
	});

	test('a 429 pauses the node run: requests starting during the pause wait instead of hitting 429', async () => {
		// The first request gets a 429 asking for 1 s; the second starts at t=0.3 s, inside that
		// pause, and goes out only when it is over.
		await control.setFaults([{ route: '/v1/leads', status: 429, retryAfterSeconds: 1, count: 1 }]);
		const result = await call(
			apiKeyCredentials(),
			{ path: '/leads', parallel: true, delaySeconds: '={{ $json.delay }}' },
			[{ delay: 0 }, { delay: 0.3 }],
		);
		expect(result.items.map((item) => item.json.status)).toEqual([200, 200]);
		expect(result.items.map((item) => item.json.attempts)).toEqual([2, 1]);
		expect(result.items[1].json.waitedSeconds).toBeGreaterThan(0.5);
		expect(requestCount(control.counters(), 'GET /v1/leads', 429)).toBe(1);
	});

	test('when X-RateLimit-Remaining runs low, the rest of the window is spread until X-RateLimit-Reset instead of collecting 429s', async () => {
		// Two requests per 3 s: after the first answer the second waits its share of the window, and
		// the third and fourth wait for the next window rather than being sent into the limit.
		// Starting 0.8 s into a second puts the window's end 0.2 s before the whole-second
		// X-RateLimit-Reset: a probe timed from "now" went out 0.25 s before that and met a 429.
		control.updateSettings({ rateLimit: { limit: 2, windowMs: 3000, mode: 'fixed' }, rateLimitHint: 'retry-after-seconds' });
		await sleep((1800 - (Date.now() % 1000)) % 1000);
		const result = await call(
			apiKeyCredentials(),
			{ path: '/leads', parallel: true, delaySeconds: '={{ $json.delay }}' },
			[{ delay: 0 }, { delay: 0.05 }, { delay: 0.1 }, { delay: 0.15 }],
		);
		expect(result.items.map((item) => item.json.status)).toEqual([200, 200, 200, 200]);
		expect(result.items.map((item) => item.json.attempts)).toEqual([1, 1, 1, 1]);
		expect(result.items.map((item) => Number(item.json.waitedSeconds) > 0)).toEqual([false, true, true, true]);
		const counters = control.counters();
		expect(requestCount(counters, 'GET /v1/leads', 429)).toBe(0);
		expect(requestCount(counters, 'GET /v1/leads', 200)).toBe(4);
	});

	test('a window that resets later than Max Total Wait is not waited for in advance: the 429 reports it', async () => {
		control.updateSettings({ rateLimit: { limit: 2, windowMs: 60_000, mode: 'fixed' }, rateLimitHint: 'all' });
		const started = Date.now();
		const result = await call(
			apiKeyCredentials(),
			{ path: '/leads', parallel: true, delaySeconds: '={{ $json.delay }}', retry: { maxWaitSeconds: 5 } },
			[{ delay: 0 }, { delay: 0.05 }, { delay: 0.1 }],
			'continueRegularOutput',
		);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(result.items.map((item) => item.json.status ?? (item.json.salesOs as IDataObject)?.status)).toEqual([200, 200, 429]);
		expect(result.items[2].json.salesOs).toMatchObject({ attempts: 1 });
		const counters = control.counters();
		expect(requestCount(counters, 'GET /v1/leads', 200)).toBe(2);
		expect(requestCount(counters, 'GET /v1/leads', 429)).toBe(1);
	});

	test('concurrent runs share one client budget: 4 runs × 30 requests at once against a token bucket, almost no 429s', async () => {
		// 20 tokens, refilled at 10 per second: 120 requests take about 10 s at the refill rate.
		control.updateSettings({ rateLimit: { limit: 20, windowMs: 2000, mode: 'tokenBucket' }, rateLimitHint: 'all' });
		const credentials = apiKeyCredentials();
		const runs = await Promise.all(
			Array.from({ length: 4 }, () =>
				call(credentials, { path: '/leads', parallel: true }, Array.from({ length: 30 }, () => ({}))),
			),
		);
		for (const run of runs) expect(run.items.map((item) => item.json.status)).toEqual(Array(30).fill(200));
		const counters = control.counters();
		expect(requestCount(counters, 'GET /v1/leads', 200)).toBe(120);
		// Each process sends its first request alone and at most half the budget at once, then
		// spreads the rest: the 429s stay within 5 % of the requests.
		expect(requestCount(counters, 'GET /v1/leads', 429)).toBeLessThanOrEqual(6);
	});

	test('rate limiting is bounded by Max Total Wait, not Max Retries: 429s with a hint are waited out beyond Max Retries', async () => {
		await control.updateSettings({ rateLimitHint: 'retry-after-seconds' });
		await control.setFaults([{ route: '/v1/leads', status: 429, retryAfterSeconds: 1, count: 3 }]);
		const response = responseOf(await call(apiKeyCredentials(), { path: '/leads', retry: { maxRetries: 1, backoffBaseSeconds: 0.01 } }));
		expect(response.attempts).toBe(4);
		expect(response.waitedSeconds).toBeGreaterThanOrEqual(3);
	});

	test('connection resets and 503s are retried until the request succeeds', async () => {
		await control.setFaults([
			{ route: '/v1/leads', reset: true, count: 2 },
			{ route: '/v1/users', status: 503, count: 2 },
		]);
		const credentials = clientCredentials();
		expect(responseOf(await call(credentials, { path: '/leads' })).attempts).toBe(3);
		expect(responseOf(await call(credentials, { path: '/users' })).attempts).toBe(3);
		const counters = await control.counters();
		expect(requestCount(counters, 'GET /v1/leads', 'reset')).toBe(2);
		expect(requestCount(counters, 'GET /v1/users', 503)).toBe(2);
	});

	test('a POST is retried after a 503 (not processed) but not after a reset, unless retry-safe', async () => {
		const credentials = clientCredentials();
		const lead = { name: 'Ana', email: 'ana@example.com' };
		await control.setFaults([{ route: '/v1/leads', method: 'POST', status: 503, count: 1 }]);
		expect(responseOf(await call(credentials, { method: 'POST', path: '/leads', body: lead })).attempts).toBe(2);

		await control.setFaults([{ route: '/v1/leads', method: 'POST', reset: true, count: 1 }]);
		const notRetried = await call(credentials, { method: 'POST', path: '/leads', body: { ...lead, email: 'bo@example.com' } });
		expect(errorInfo(notRetried)).toMatchObject({ code: 'NETWORK_ERROR', attempts: 1, mayHaveBeenProcessed: true });
		expect(notRetried.error?.message).toBe('The connection to the SalesOS API broke during POST /leads: SalesOS may have carried it out');

		await control.setFaults([{ route: '/v1/leads', method: 'POST', reset: true, count: 1 }]);
		const retried = responseOf(
			await call(credentials, { method: 'POST', path: '/leads', retrySafe: true, body: { ...lead, email: 'cy@example.com' } }),
		);
		expect(retried).toMatchObject({ attempts: 2, retriedAfterAmbiguousFailure: true });
	});

	test('a create processed before the connection broke comes back as 409 flagged as our own retry', async () => {
		await control.setFaults([{ route: '/v1/leads', method: 'POST', reset: true, when: 'after', count: 1 }]);
		const result = await call(clientCredentials(), {
			method: 'POST',
			path: '/leads',
			retrySafe: true,
			body: { name: 'Di', email: 'di@example.com' },
		});
		expect(errorInfo(result)).toMatchObject({
			status: 409,
			attempts: 2,
			retriedAfterAmbiguousFailure: true,
			details: [expect.objectContaining({ field: 'email' })],
		});
	});

	test('400, 403, 404, 409 and 422 are never retried; 500 on a POST is not either', async () => {
		await control.setFaults([{ route: '/v1/leads', method: 'POST', status: 500, count: 1 }]);
		const credentials = clientCredentials();
		const failed = await call(credentials, { method: 'POST', path: '/leads', body: { name: 'E', email: 'e@example.com' } });
		expect(errorInfo(failed)).toMatchObject({ status: 500, attempts: 1 });
		for (const status of [400, 403, 404, 409, 422]) {
			await control.setFaults([{ route: '/v1/users', status, count: 1 }]);
			expect(errorInfo(await call(credentials, { path: '/users' }))).toMatchObject({ status, attempts: 1 });
		}
	});

	test('retries stop at Max Retries, and a 429 wait beyond Max Total Wait is not started', async () => {
		await control.setFaults([{ route: '/v1/users', status: 503 }]);
		const credentials = clientCredentials();
		const exhausted = await call(credentials, {
			path: '/users',
			retry: { maxRetries: 2, backoffBaseSeconds: 0.01 },
		});
		expect(errorInfo(exhausted)).toMatchObject({ status: 503, attempts: 3 });
		expect(exhausted.error?.message).toMatch(/^SalesOS failed with 503 for GET \/users after 3 attempts \(2 retries/);

		await control.updateSettings({ rateLimitHint: 'retry-after-seconds' });
		await control.setFaults([{ route: '/v1/leads', status: 429, retryAfterSeconds: 30 }]);
		const started = Date.now();
		const limited = await call(credentials, { path: '/leads', retry: { maxWaitSeconds: 5 } });
		expect(Date.now() - started).toBeLessThan(3000);
		expect(errorInfo(limited)).toMatchObject({ status: 429, attempts: 1, retryAfterSeconds: 30 });
		expect(limited.error?.message).toBe('SalesOS kept rate-limiting GET /leads (429) after 1 attempt (0 retries, 0 s waited)');
		expect(limited.error?.description).toMatch(/waiting another 30\.\d s would exceed the maximum total wait of 5 s/);
	});
});

describe('error mapping', () => {
	test('409 names the conflicting field and the existing record', async () => {
		const credentials = clientCredentials();
		const first = responseOf(await call(credentials, { method: 'POST', path: '/leads', body: { name: 'F', email: 'f@example.com' } }));
		const duplicate = await call(credentials, { method: 'POST', path: '/leads', body: { name: 'F2', email: 'F@example.com' } });
		const info = errorInfo(duplicate);
		expect(info).toMatchObject({ status: 409, code: 'CONFLICT', existingId: first.data.id });
		expect(duplicate.error?.message).toBe(
			`SalesOS already has a record with this email (existing record ${first.data.id}) (409 Conflict)`,
		);

		await control.updateSettings({ conflictIncludesExistingId: false });
		const withoutId = await call(credentials, { method: 'POST', path: '/leads', body: { name: 'F3', email: 'f@example.com' } });
		expect(errorInfo(withoutId).existingId).toBeUndefined();
		expect(withoutId.error?.message).toBe('SalesOS already has a record with this email (409 Conflict)');
	});

	test('422 lists every field and its message, in the description and as structured data', async () => {
		const result = await call(
			clientCredentials(),
			{ method: 'POST', path: '/leads', body: { email: 'not-an-email', phone: '12' } },
			[{}],
			'continueRegularOutput',
		);
		const item = result.items[0].json as { error: string; salesOs: SalesOsErrorInfo };
		const fields = item.salesOs.details.map((detail) => detail.field).sort();
		expect(item.salesOs.status).toBe(422);
		expect(fields).toEqual(expect.arrayContaining(['email', 'name']));
		for (const detail of item.salesOs.details) {
			expect(item.error).toContain(`${detail.field}: ${detail.message}`);
		}
		expect(item.error).toMatch(new RegExp(`^SalesOS rejected ${fields.length} fields of POST /leads: `));
	});

	test('401 and 403 say which credential setting to check', async () => {
		const wrongKey = await call(apiKeyCredentials({ apiKey: 'sk_test_wrong' }), { path: '/leads' });
		expect(errorInfo(wrongKey).status).toBe(401);
		expect(wrongKey.error?.description).toMatch(/Check the API Key/);

		const noScope = await call(apiKeyCredentials({ apiKey: SANDBOX_NO_SCOPE_API_KEY }), {
			method: 'POST',
			api: 'defaultIntegration',
			path: '',
			body: { action: 'sync_collaborators', collaborators: [{ email: 'g@example.com' }] },
		});
		expect(errorInfo(noScope).status).toBe(403);
		expect(noScope.error?.message).toBe('SalesOS refused access (403) to POST /functions/v1/default-integration');
		expect(noScope.error?.description).toMatch(/scope .*default:sync/);

		await control.setFaults([{ route: '/v1/leads', status: 401 }]);
		const rejectedToken = await call(clientCredentials(), { path: '/leads' });
		expect(errorInfo(rejectedToken).status).toBe(401);
		expect(rejectedToken.error?.description).toMatch(/Client ID, Client Secret and Audience/);

		const wrongSecret = await call(clientCredentials({ clientSecret: 'wrong-secret-value' }), { path: '/leads' });
		expect(errorInfo(wrongSecret).code).toBe('TOKEN_REQUEST_FAILED');
		expect(wrongSecret.error?.message).toMatch(/rejected the client ID or client secret/);
	});

	test('404 names the resource path', async () => {
		const result = await call(clientCredentials(), { path: '/leads/00000000-0000-4000-8000-000000000000' });
		expect(errorInfo(result).status).toBe(404);
		expect(result.error?.message).toBe('SalesOS found nothing at /leads/00000000-0000-4000-8000-000000000000 (404)');
	});

	test('no secret or token appears in any error', async () => {
		const secrets = [SANDBOX_CLIENT_SECRET, SANDBOX_API_SECRET, 'wrong-secret-value', 'sk_test_wrong'];
		const tokenCredentials = clientCredentials();
		await call(tokenCredentials, { path: '/leads' });
		const token = String((await tokenCredentials.stored('salesOsClientCredentialsApi'))?.accessToken);
		await control.setFaults([{ route: '/v1/leads', status: 403 }]);
		const failures = [
			await call(tokenCredentials, { path: '/leads' }),
			await call(clientCredentials({ clientSecret: 'wrong-secret-value' }), { path: '/leads' }),
			await call(apiKeyCredentials({ apiKey: 'sk_test_wrong', apiSecret: SANDBOX_API_SECRET }), { path: '/users' }),
			await call(apiKeyCredentials({ apiSecret: SANDBOX_API_SECRET }), { path: '/leads' }),
		];
		for (const failure of failures) {
			expect(failure.error).toBeDefined();
			const serialised = JSON.stringify({ ...failure.error, message: failure.error?.message });
			for (const secret of [...secrets, token]) expect(serialised).not.toContain(secret);
		}
	});
});

describe('pagination', () => {
	test('returnAll reads every page; a limit stops early with a constant page size', async () => {
		await control.seed({ resource: 'leads', count: 130, returnRecords: false });
		const credentials = clientCredentials();
		const all = await call(credentials, { mode: 'all', path: '/leads', returnAll: true });
		expect(all.items).toHaveLength(130);
		expect(new Set(all.items.map((item) => item.json.id)).size).toBe(130);

		await control.resetCounters();
		const limited = await call(credentials, { mode: 'all', path: '/leads', returnAll: false, limit: 30 });
		expect(limited.items).toHaveLength(30);
		expect(requestCount(await control.counters(), 'GET /v1/leads', 200)).toBe(1);

		await control.resetCounters();
		const twoPages = await call(credentials, { mode: 'all', path: '/leads', returnAll: false, limit: 120 });
		expect(twoPages.items.map((item) => item.json.id)).toEqual(all.items.slice(0, 120).map((item) => item.json.id));
		expect(requestCount(await control.counters(), 'GET /v1/leads', 200)).toBe(2);
	});
});
