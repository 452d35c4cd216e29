import { createHash, createHmac } from 'node:crypto';
import axios from 'axios';
import { startSandbox, type Sandbox } from './index';
import { fetchToken, rawClient } from './testing';

// An independent P2S-SIGN-V1 signer, written from the contract text (not the sandbox's code).
function sign(secret: string, apiKey: string, timestamp: number, method: string, path: string, body: string) {
	const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
	let key = hmac(secret, apiKey);
	key = hmac(key, String(timestamp));
	key = hmac(key, method);
	key = hmac(key, path);
	const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
	return `P2S-SIGN-V1 ${apiKey}:${timestamp}:${createHmac('sha256', key).update(bodyHash).digest('hex')}`;
}

const KEY = 'sk_test_sandbox';
const SECRET = 'sandbox-signing-secret';
const tokenBody = {
	client_id: 'sandbox-client',
	client_secret: 'sandbox-secret',
	audience: 'https://api.play2sell.com',
	grant_type: 'client_credentials',
};

describe('sandbox authentication', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	describe('token endpoint', () => {
		it('issues a bearer token that the REST API accepts, and counts token requests', async () => {
			const http = rawClient(sandbox);
			const response = await http.post('/oauth/token', tokenBody);
			expect(response.status).toBe(200);
			expect(response.data).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 86400 });
			const leads = await http.get('/v1/leads', { headers: { Authorization: `Bearer ${response.data.access_token}` } });
			expect(leads.status).toBe(200);
			expect(sandbox.counters().tokenRequests).toBe(1);
		});

		it('rejects a bad client with 401 and a wrong audience with 403, Auth0-style', async () => {
			const http = rawClient(sandbox);
			const badClient = await http.post('/oauth/token', { ...tokenBody, client_secret: 'nope' });
			expect(badClient.status).toBe(401);
			expect(badClient.data).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
			const badAudience = await http.post('/oauth/token', { ...tokenBody, audience: 'https://elsewhere' });
			expect(badAudience.status).toBe(403);
			expect(badAudience.data).toEqual({ error: 'access_denied', error_description: 'Service not found: https://elsewhere' });
			expect(sandbox.counters().tokenRequests).toBe(2);
			expect(sandbox.counters().tokensIssued).toBe(0);
		});

		it('answers 400 invalid_request to form bodies and missing fields', async () => {
			const http = rawClient(sandbox);
			const form = await http.post('/oauth/token', new URLSearchParams(tokenBody).toString(), {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			});
			expect(form.status).toBe(400);
			expect(form.data.error).toBe('invalid_request');
			const missing = await http.post('/oauth/token', { client_id: 'sandbox-client' });
			expect(missing.status).toBe(400);
			expect(missing.data.error_description).toContain('client_secret');
			sandbox.updateSettings({ tokenAcceptsFormEncoded: true });
			const accepted = await http.post('/oauth/token', new URLSearchParams(tokenBody).toString(), {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			});
			expect(accepted.status).toBe(200);
		});

		it('expires tokens after tokenTtlSeconds and on /tokens/expire', async () => {
			sandbox.updateSettings({ tokenTtlSeconds: 0.5 });
			const http = rawClient(sandbox);
			const token = await fetchToken(sandbox);
			const auth = { headers: { Authorization: `Bearer ${token}` } };
			expect((await http.get('/v1/leads', auth)).status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 520));
			const expired = await http.get('/v1/leads', auth);
			expect(expired.status).toBe(401);
			expect(expired.data.error.code).toBe('TOKEN_EXPIRED');

			sandbox.updateSettings({ tokenTtlSeconds: 3600 });
			const fresh = await fetchToken(sandbox);
			await axios.post(`${sandbox.url}/__sandbox/tokens/expire`);
			const revoked = await http.get('/v1/leads', { headers: { Authorization: `Bearer ${fresh}` } });
			expect(revoked.status).toBe(401);
			expect(revoked.data.error.code).toBe('INVALID_TOKEN');
		});
	});

	describe('API keys', () => {
		it('accepts Bearer keys per scope: REST, Default Integration, or 403', async () => {
			const http = rawClient(sandbox);
			const as = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });
			const body = { action: 'sync_collaborators', collaborators: [] };
			expect((await http.get('/v1/leads', as('sk_test_sandbox'))).status).toBe(200);
			expect((await http.post('/functions/v1/default-integration', body, as('sk_test_sandbox'))).status).toBe(200);
			const syncOnly = await http.get('/v1/leads', as('sk_test_sync_only'));
			expect(syncOnly.status).toBe(403);
			expect(syncOnly.data.error.code).toBe('FORBIDDEN');
			expect((await http.post('/functions/v1/default-integration', body, as('sk_test_sync_only'))).status).toBe(200);
			expect((await http.post('/functions/v1/default-integration', body, as('sk_test_no_scope'))).status).toBe(403);
			const unknown = await http.get('/v1/leads', as('sk_test_unknown'));
			expect(unknown.status).toBe(401);
			expect((await http.get('/v1/leads')).status).toBe(401);
		});

		it('accepts a P2S-SIGN-V1 request signed over method, path with query and body', async () => {
			const http = rawClient(sandbox);
			const body = JSON.stringify({ name: 'Signed Lead', email: 'signed@example.com' });
			const now = Math.floor(Date.now() / 1000);
			const created = await http.post('/v1/leads', body, {
				headers: { 'Content-Type': 'application/json', Authorization: sign(SECRET, KEY, now, 'POST', '/v1/leads', body) },
			});
			expect(created.status).toBe(201);
			const path = '/v1/leads?search=signed&per_page=5';
			const listed = await http.get(path, { headers: { Authorization: sign(SECRET, KEY, now, 'GET', path, '') } });
			expect(listed.status).toBe(200);
			expect(listed.data.data).toHaveLength(1);
		});

		it('rejects a signature when the body, the query or the timestamp is off', async () => {
			const http = rawClient(sandbox);
			const now = Math.floor(Date.now() / 1000);
			const body = JSON.stringify({ name: 'Signed Lead', email: 'signed@example.com' });
			const headers = (authorization: string) => ({ headers: { 'Content-Type': 'application/json', Authorization: authorization } });

			const altered = await http.post('/v1/leads', body.replace('Signed', 'Forged'), headers(sign(SECRET, KEY, now, 'POST', '/v1/leads', body)));
			expect(altered.status).toBe(401);
			expect(altered.data.error.code).toBe('INVALID_SIGNATURE');

			const signedPath = '/v1/leads?status=new';
			const otherQuery = await http.get('/v1/leads?status=qualified', headers(sign(SECRET, KEY, now, 'GET', signedPath, '')));
			expect(otherQuery.status).toBe(401);
			expect(otherQuery.data.error.code).toBe('INVALID_SIGNATURE');

			const stale = await http.get('/v1/leads', headers(sign(SECRET, KEY, now - 31, 'GET', '/v1/leads', '')));
			expect(stale.status).toBe(401);
			expect(stale.data.error.code).toBe('SIGNATURE_EXPIRED');

			const wrongSecret = await http.get('/v1/leads', headers(sign('other', KEY, now, 'GET', '/v1/leads', '')));
			expect(wrongSecret.status).toBe(401);
			expect(sandbox.state.leads.size).toBe(0);
		});

		it('enforces requireSignature on a key', async () => {
			sandbox.updateSettings({ apiKeys: [{ key: 'sk_test_signed', secret: 's3', scopes: [], rest: true, requireSignature: true }] });
			const http = rawClient(sandbox);
			expect((await http.get('/v1/leads', { headers: { Authorization: 'Bearer sk_test_signed' } })).status).toBe(401);
			const signed = sign('s3', 'sk_test_signed', Math.floor(Date.now() / 1000), 'GET', '/v1/leads', '');
			expect((await http.get('/v1/leads', { headers: { Authorization: signed } })).status).toBe(200);
		});
	});
});
