import type { IHttpRequestOptions } from 'n8n-workflow';

import { SalesOsApiKeyApi } from '../credentials/SalesOsApiKeyApi.credentials';
import { SalesOsClientCredentialsApi } from '../credentials/SalesOsClientCredentialsApi.credentials';
import { REST_BASE_URL_EXPRESSION, resolveEndpoints } from '../nodes/SalesOs/transport/hosts';
import { p2sSignature } from '../nodes/SalesOs/transport/signing';
import { createWorkflow, TestCredentialsHelper, TestNodeTypes } from './helpers/engine';

describe('endpoints per environment', () => {
	test('production and staging use the documented hosts; custom derives from Host', () => {
		expect(resolveEndpoints({ environment: 'production' })).toEqual({
			restBaseUrl: 'https://api.play2sell.com/v1',
			defaultIntegrationUrl: 'https://api.play2sell.com/functions/v1/default-integration',
			tokenUrl: 'https://auth.play2sell.com/oauth/token',
			audience: 'https://api.play2sell.com',
		});
		expect(resolveEndpoints({ environment: 'staging' })).toMatchObject({
			restBaseUrl: 'https://api-staging.play2sell.com/v1',
			defaultIntegrationUrl: 'https://api-staging.play2sell.com/functions/v1/default-integration',
			tokenUrl: 'https://auth.play2sell.com/oauth/token',
		});
		expect(resolveEndpoints({ environment: 'custom', host: 'http://127.0.0.1:4010/ ' })).toEqual({
			restBaseUrl: 'http://127.0.0.1:4010/v1',
			defaultIntegrationUrl: 'http://127.0.0.1:4010/functions/v1/default-integration',
			tokenUrl: 'http://127.0.0.1:4010/oauth/token',
			audience: 'https://api.play2sell.com',
		});
		expect(
			resolveEndpoints({
				environment: 'custom',
				host: 'https://gw.example.com',
				tokenUrl: 'https://idp.example.com/token',
				audience: 'urn:salesos',
			}),
		).toMatchObject({ tokenUrl: 'https://idp.example.com/token', audience: 'urn:salesos' });
	});

	test('a custom environment without a usable Host is a clear error', () => {
		expect(() => resolveEndpoints({ environment: 'custom', host: '' })).toThrow(/Host is missing/);
		expect(() => resolveEndpoints({ environment: 'custom', host: 'api.example.com' })).toThrow(
			/not an http\(s\) URL/,
		);
	});

	test("the credential test request's base URL (an n8n expression) equals the transport's", () => {
		const workflow = createWorkflow({
			nodes: [{ name: 'Probe', type: 'testPassThrough' }],
			connections: {},
			nodeTypes: new TestNodeTypes(),
			credentialsHelper: new TestCredentialsHelper(),
		});
		const node = workflow.getNode('Probe')!;
		for (const credentials of [
			{ environment: 'production' },
			{ environment: 'staging' },
			{ environment: 'custom', host: 'http://127.0.0.1:4010/' },
		]) {
			const evaluated = workflow.expression.getSimpleParameterValue(
				node,
				REST_BASE_URL_EXPRESSION,
				'internal',
				{ $credentials: credentials },
			);
			expect(evaluated).toBe(resolveEndpoints(credentials).restBaseUrl);
		}
	});
});

describe('credential definitions', () => {
	test.each([new SalesOsClientCredentialsApi(), new SalesOsApiKeyApi()])(
		'$name has themed icons, documentation, a test request and password secrets',
		(credential) => {
			expect(credential.icon).toEqual({ light: 'file:salesos.svg', dark: 'file:salesos.dark.svg' });
			expect(credential.documentationUrl).toMatch(/^https:\/\//);
			expect(credential.test?.request.url).toBe(credential.name === 'salesOsApiKeyApi' ? '={{ $credentials.apiSecret ? "/users" : "" }}' : '/users');
			const secrets = credential.properties.filter((property) =>
				['clientSecret', 'accessToken', 'apiKey', 'apiSecret'].includes(property.name),
			);
			expect(secrets.length).toBeGreaterThan(0);
			for (const secret of secrets) expect(secret.typeOptions?.password).toBe(true);
		},
	);

	test('the client-credentials token field is hidden and expirable (so n8n calls preAuthentication)', () => {
		const token = new SalesOsClientCredentialsApi().properties.find((property) => property.name === 'accessToken');
		expect(token).toMatchObject({ type: 'hidden', typeOptions: { expirable: true, password: true } });
	});
});

describe('API key authenticate', () => {
	const apiKey = new SalesOsApiKeyApi();
	const credentials = { environment: 'custom', host: 'http://127.0.0.1:9', apiKey: 'sk_test_k', apiSecret: 'shh' };

	test('without a secret it sends the key as a bearer token and leaves the request alone', async () => {
		const request: IHttpRequestOptions = { method: 'GET', url: 'http://h/v1/leads', qs: { page: 2 } };
		const authenticated = await apiKey.authenticate({ ...credentials, apiSecret: '' }, request);
		expect(authenticated.headers).toEqual({ Authorization: 'Bearer sk_test_k' });
		expect(authenticated.qs).toEqual({ page: 2 });
	});

	test('with a secret it signs the exact URL and body it sends, and signing twice is stable', async () => {
		const request: IHttpRequestOptions = {
			method: 'POST',
			baseURL: 'http://h/v1/',
			url: '/leads',
			qs: { 'custom_fields.external_id': 'crm 42', tags: ['a', 'b'] },
			body: { name: 'Zoë', email: 'z@example.com' },
			headers: { Authorization: 'stale' },
		};
		const signed = await apiKey.authenticate(credentials, request);
		expect(signed.url).toBe('http://h/v1/leads?custom_fields.external_id=crm+42&tags=a&tags=b');
		expect(signed.qs).toBeUndefined();
		expect(signed.baseURL).toBeUndefined();
		expect(signed.body).toBe('{"name":"Zoë","email":"z@example.com"}');
		const [, keyTimestampSignature] = String(signed.headers?.Authorization).split(' ');
		const [key, timestamp, signature] = keyTimestampSignature.split(':');
		expect(key).toBe('sk_test_k');
		expect(signature).toBe(
			p2sSignature({
				apiKey: 'sk_test_k',
				apiSecret: 'shh',
				timestamp: Number(timestamp),
				method: 'POST',
				pathWithQuery: '/v1/leads?custom_fields.external_id=crm+42&tags=a&tags=b',
				rawBody: signed.body as string,
			}),
		);
		// n8n authenticates again (with these options) when it repeats a request after a 401.
		const again = await apiKey.authenticate(credentials, signed);
		expect(again.url).toBe(signed.url);
		expect(again.body).toBe(signed.body);
	});

	test('a GET is signed over an empty body', async () => {
		const signed = await apiKey.authenticate(credentials, { method: 'GET', url: 'http://h/v1/users', body: {} });
		const [, timestamp, signature] = String(signed.headers?.Authorization).split(' ')[1].split(':');
		expect(signed.body).toBeUndefined();
		expect(signature).toBe(
			p2sSignature({
				apiKey: 'sk_test_k',
				apiSecret: 'shh',
				timestamp: Number(timestamp),
				method: 'GET',
				pathWithQuery: '/v1/users',
				rawBody: '',
			}),
		);
	});
});
