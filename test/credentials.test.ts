/**
 * Both credentials against the SalesOS sandbox over real HTTP: the editor's "Test" button (as
 * n8n's CLI runs it) and token-endpoint failures surfacing as specific messages.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { getSalesOsError } from '../nodes/SalesOs/transport';
import { runNode, TestCredentialsHelper, testCredentials } from './helpers/engine';
import { sandboxApiKey, sandboxClientCredentials } from './helpers/sandboxCredentials';
import { SANDBOX_API_SECRET, SANDBOX_NO_SCOPE_API_KEY, SANDBOX_SYNC_ONLY_API_KEY, startSandbox, type Sandbox } from './sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const clientCredentials = (overrides: ICredentialDataDecryptedObject = {}) => sandboxClientCredentials(sandbox, overrides);

/** An origin where nothing listens (a port that was just free). */
async function closedOrigin(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

describe('credential test (the editor’s Test button)', () => {
	test('client credentials: fetches a token and reads one user', async () => {
		expect(await testCredentials('salesOsClientCredentialsApi', clientCredentials())).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const counters = sandbox.counters();
		expect(counters.tokenRequests).toBe(1);
		expect(counters.requests['GET /v1/users']?.['200']).toBe(1);
	});

	test('API key: Test sends an empty collaborator sync (key as a bearer token); with an API Secret, a signed REST read', async () => {
		const apiKey = sandboxApiKey(sandbox);
		expect((await testCredentials('salesOsApiKeyApi', apiKey)).status).toBe('OK');
		expect(sandbox.state.defaultIntegrationRequests).toEqual([
			{ authorization: 'Bearer', body: { action: 'sync_collaborators', collaborators: [] } },
		]);
		expect(sandbox.counters().requests['GET /v1/users']).toBeUndefined();
		expect((await testCredentials('salesOsApiKeyApi', { ...apiKey, apiSecret: SANDBOX_API_SECRET })).status).toBe('OK');
		expect(await testCredentials('salesOsApiKeyApi', { ...apiKey, apiSecret: 'wrong-secret' })).toEqual({
			status: 'Error',
			message:
				'SalesOS rejected the API key or, if set, its API Secret: the key must be a valid sk_live_… or sk_test_… key of this Environment (Admin → Integrations → API Keys).',
		});
		// n8n repeats a request once after a 401 (authenticate again): both signed with the wrong secret.
		expect(sandbox.counters().requests['GET /v1/users']).toEqual({ 200: 1, 401: 2 });
		expect(sandbox.state.defaultIntegrationRequests).toHaveLength(1);
	});

	test('API key: a key with only default:sync passes Test; a wrong key or one without the scope says what to check', async () => {
		const apiKey = sandboxApiKey(sandbox);
		expect(await testCredentials('salesOsApiKeyApi', { ...apiKey, apiKey: SANDBOX_SYNC_ONLY_API_KEY })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(await testCredentials('salesOsApiKeyApi', { ...apiKey, apiKey: 'sk_test_nope' })).toEqual({
			status: 'Error',
			message:
				'SalesOS rejected the API key or, if set, its API Secret: the key must be a valid sk_live_… or sk_test_… key of this Environment (Admin → Integrations → API Keys).',
		});
		const noScope = await testCredentials('salesOsApiKeyApi', { ...apiKey, apiKey: SANDBOX_NO_SCOPE_API_KEY });
		expect(noScope.message).toMatch(/^The API key is valid but may not reach what Test checks\. .* the key lacks the scope default:sync/);
	});

	test('a wrong client secret is named as such, without showing the secret', async () => {
		const result = await testCredentials('salesOsClientCredentialsApi', clientCredentials({ clientSecret: 'hunter2-wrong' }));
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			'SalesOS rejected the client ID or client secret (token endpoint answered 401 access_denied: Unauthorized). Check Client ID and Client Secret in the credential.',
		);
		expect(result.message).not.toContain('hunter2-wrong');
	});

	test('a wrong audience is named as such', async () => {
		const result = await testCredentials(
			'salesOsClientCredentialsApi',
			clientCredentials({ audience: 'https://wrong.example.com' }),
		);
		expect(result.message).toBe(
			'SalesOS does not accept the audience "https://wrong.example.com" (token endpoint answered 403 access_denied: Service not found: https://wrong.example.com). Set Audience to the SalesOS API identifier, usually https://api.play2sell.com.',
		);
	});

	test('an unreachable token URL is named', async () => {
		const tokenUrl = `${await closedOrigin()}/oauth/token`;
		const result = await testCredentials('salesOsClientCredentialsApi', clientCredentials({ tokenUrl }));
		expect(result.message).toBe(
			`Could not reach the SalesOS token URL ${tokenUrl}: the connection was refused. Check Environment, Host and Token URL in the credential.`,
		);
	});
});

describe('token failures during an execution', () => {
	const run = async (credentials: ICredentialDataDecryptedObject) =>
		await runNode({
			node: {
				type: 'salesOsTestCaller',
				parameters: { path: '/leads', retry: JSON.stringify({ maxRetries: 2, backoffBaseSeconds: 0.01 }) },
			},
			credentials: new TestCredentialsHelper({ salesOsClientCredentialsApi: credentials }),
		});

	test('a rejected client is not retried; the request is never sent', async () => {
		const result = await run(clientCredentials({ clientSecret: 'wrong' }));
		expect(getSalesOsError(result.error)).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', attempts: 1 });
		expect(result.error?.message).toMatch(/^SalesOS rejected the client ID or client secret/);
		expect(sandbox.counters().tokenRequests).toBe(1);
		expect(sandbox.counters().requests['GET /v1/leads']).toBeUndefined();
	});

	test('an unreachable token endpoint is retried, then named', async () => {
		const tokenUrl = `${await closedOrigin()}/oauth/token`;
		const result = await run(clientCredentials({ tokenUrl }));
		expect(getSalesOsError(result.error)).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', attempts: 3 });
		expect(result.error?.message).toContain(`Could not reach the SalesOS token URL ${tokenUrl}`);
	});

	test('a custom environment without Host fails with a message naming the field', async () => {
		const result = await run(clientCredentials({ host: '' }));
		expect(result.error?.message).toMatch(/custom environment but its Host is missing/);
	});
});
