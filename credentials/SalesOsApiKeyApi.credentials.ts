import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { API_KEY_TEST_BASE_URL_EXPRESSION, DEFAULT_INTEGRATION_PATH } from '../nodes/SalesOs/transport/hosts';
import { p2sAuthorization } from '../nodes/SalesOs/transport/signing';
import { environmentProperties, withBearerToken, withoutHeaders } from './common';

const BODYLESS_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/** axios joins baseURL and url the same way: one slash between them. */
function joinUrl(baseURL: string | undefined, url: string): string {
	if (!baseURL || /^https?:\/\//i.test(url)) return url;
	return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function appendQuery(url: URL, qs: IDataObject | undefined): void {
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null) continue;
		for (const entry of Array.isArray(value) ? value : [value]) {
			url.searchParams.append(key, typeof entry === 'object' ? JSON.stringify(entry) : String(entry));
		}
	}
}

/**
 * The exact bytes to send for a body: a string or Buffer as is, an object as its JSON.
 * n8n sends a string body byte for byte (axios only trims a JSON string, and JSON.stringify
 * output has nothing to trim) and drops empty objects and bodies of GET/HEAD/OPTIONS.
 */
function wireBody(method: string, body: unknown): string | Buffer | undefined {
	if (body === undefined || body === null || BODYLESS_METHODS.includes(method)) return undefined;
	if (typeof body === 'string' || Buffer.isBuffer(body)) return body.length ? body : undefined;
	if (typeof body === 'object' && Object.keys(body).length === 0) return undefined;
	return JSON.stringify(body);
}

/**
 * Signs the request with P2S-SIGN-V1 over exactly what goes on the wire. The request is first
 * normalised so nothing changes after signing: `qs` and `baseURL` are folded into `url` (axios
 * then sends `pathname + search` of that URL unchanged) and an object body becomes its JSON
 * string. n8n calls this again, with the already normalised options, when it repeats a request
 * after a 401, so it must be idempotent: it is.
 */
function signRequest(
	requestOptions: IHttpRequestOptions,
	apiKey: string,
	apiSecret: string,
): IHttpRequestOptions {
	const method = (requestOptions.method ?? 'GET').toUpperCase();
	const url = new URL(joinUrl(requestOptions.baseURL, requestOptions.url));
	appendQuery(url, requestOptions.qs);
	const body = wireBody(method, requestOptions.body);
	const headers = withoutHeaders(requestOptions.headers, ['authorization']);
	if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
		headers['Content-Type'] = 'application/json';
	}
	headers.Authorization = p2sAuthorization({
		apiKey,
		apiSecret,
		timestamp: Math.floor(Date.now() / 1000),
		method,
		pathWithQuery: `${url.pathname}${url.search}`,
		rawBody: body ?? '',
	});
	const signed: IHttpRequestOptions = { ...requestOptions, method: method as IHttpRequestOptions['method'], url: url.toString(), headers };
	delete signed.baseURL;
	delete signed.qs;
	if (body === undefined) delete signed.body;
	else signed.body = body;
	return signed;
}

/** The Default Integration takes `Bearer <key>` only (Play2Sell's spec documents no signed requests). */
function isDefaultIntegration(requestOptions: IHttpRequestOptions): boolean {
	return joinUrl(requestOptions.baseURL, requestOptions.url).split('?')[0].replace(/\/+$/, '').endsWith(DEFAULT_INTEGRATION_PATH);
}

export class SalesOsApiKeyApi implements ICredentialType {
	name = 'salesOsApiKeyApi';

	// n8n names a new credential after this minus the word API: "SalesOS (API Key) account".
	displayName = 'SalesOS (API Key) API';

	documentationUrl = 'https://docs.play2sell.com';

	icon = { light: 'file:salesos.svg', dark: 'file:salesos.dark.svg' } as const;

	properties: INodeProperties[] = [
		...environmentProperties,
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_live_…',
			description:
				'sk_live_… for production, sk_test_… for testing. The Default Integration (activities, collaborators) needs the scope default:sync.',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. When set, REST requests are signed with P2S-SIGN-V1 instead of sending the key as a bearer token. The Default Integration (Collaborator and Activity Sync) always gets the key as a bearer token: it accepts nothing else.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const apiKey = String(credentials.apiKey ?? '').trim();
		const apiSecret = String(credentials.apiSecret ?? '');
		if (apiSecret && !isDefaultIntegration(requestOptions)) return signRequest(requestOptions, apiKey, apiSecret);
		return withBearerToken(requestOptions, apiKey);
	}

	// Without an API Secret: an empty collaborator sync (valid per Play2Sell's spec, changes
	// nothing), which a key with only the documented scope default:sync passes. With one (it signs
	// REST requests only): one user read over the signed REST API, which checks the secret too.
	test: ICredentialTestRequest = {
		request: {
			baseURL: API_KEY_TEST_BASE_URL_EXPRESSION,
			url: '={{ $credentials.apiSecret ? "/users" : "" }}',
			method: '={{ $credentials.apiSecret ? "GET" : "POST" }}' as IHttpRequestOptions['method'],
			qs: '={{ $credentials.apiSecret ? { per_page: 1 } : {} }}' as unknown as IDataObject,
			body: '={{ $credentials.apiSecret ? undefined : { action: "sync_collaborators", collaborators: [] } }}' as unknown as IDataObject,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'SalesOS rejected the API key or, if set, its API Secret: the key must be a valid sk_live_… or sk_test_… key of this Environment (Admin → Integrations → API Keys).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key is valid but may not reach what Test checks. Without an API Secret, Test sends an empty collaborator sync: the key lacks the scope default:sync, so it cannot sync collaborators or activities. With an API Secret, Test reads one user over the signed REST API: the key has no REST access (leads, deals, users).',
				},
			},
		],
	};
}
