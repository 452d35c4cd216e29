import { createHash } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { resolveEndpoints } from '../nodes/SalesOs/transport/hosts';
import { SalesOsTokenError } from '../nodes/SalesOs/transport/tokenError';
import { sharedAccessToken } from '../nodes/SalesOs/transport/tokens';
import {
	credentialTest,
	environmentProperties,
	tokenEndpointProperties,
	withBearerToken,
} from './common';

const TOKEN_TIMEOUT_MS = 30_000;

/** Network failures, in words: NodeApiError would swap a message containing the raw code for generic text. */
const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'the request timed out',
	ECONNRESET: 'the connection was closed unexpectedly',
	EHOSTUNREACH: 'the host is unreachable',
};

interface HttpFailure {
	code?: unknown;
	message?: unknown;
	response?: { status?: number; data?: unknown };
}

function describeTokenFailure(
	error: HttpFailure,
	tokenUrl: string,
	audience: string,
	clientSecret: string,
): SalesOsTokenError {
	const status = error.response?.status;
	if (typeof status !== 'number') {
		const code = typeof error.code === 'string' ? error.code : '';
		const reason = NETWORK_FAILURES[code] ?? 'the request failed';
		return new SalesOsTokenError(
			`Could not reach the SalesOS token URL ${tokenUrl}: ${reason}. Check Environment, Host and Token URL in the credential.`,
			true,
		);
	}
	const data = (error.response?.data ?? {}) as IDataObject;
	const nested = data.error && typeof data.error === 'object' ? (data.error as IDataObject) : {};
	const oauthError = typeof data.error === 'string' ? data.error : String(nested.code ?? '');
	const said = String(data.error_description ?? nested.message ?? data.message ?? '')
		.split(clientSecret || '\u0000')
		.join('***');
	const answer = `${status}${oauthError ? ` ${oauthError}` : ''}${said ? `: ${said}` : ''}`;
	// Auth0-style endpoints answer an unknown audience with 403 access_denied "Service not found".
	if (status === 403 && /service not found|audience/i.test(said)) {
		return new SalesOsTokenError(
			`SalesOS does not accept the audience "${audience}" (token endpoint answered ${answer}). Set Audience to the SalesOS API identifier, usually https://api.play2sell.com.`,
			false,
		);
	}
	if (
		status === 401 ||
		(status === 403 && /access_denied|unauthorized/i.test(oauthError + said)) ||
		/invalid_client|unauthorized_client/i.test(oauthError)
	) {
		return new SalesOsTokenError(
			`SalesOS rejected the client ID or client secret (token endpoint answered ${answer}). Check Client ID and Client Secret in the credential.`,
			false,
		);
	}
	if (status >= 500) {
		return new SalesOsTokenError(`The SalesOS token endpoint ${tokenUrl} failed (${answer}).`, true);
	}
	return new SalesOsTokenError(
		`The SalesOS token endpoint ${tokenUrl} refused to issue a token (${answer}). Check Token URL and Audience in the credential.`,
		false,
	);
}

async function requestToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const { tokenUrl, audience } = resolveEndpoints(credentials);
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '');
	let response: IDataObject;
	try {
		response = (await helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: { client_id: clientId, client_secret: clientSecret, audience, grant_type: 'client_credentials' },
			json: true,
			timeout: TOKEN_TIMEOUT_MS,
		})) as IDataObject;
	} catch (error) {
		throw describeTokenFailure(error as HttpFailure, tokenUrl, audience, clientSecret);
	}
	if (typeof response?.access_token !== 'string' || response.access_token === '') {
		throw new SalesOsTokenError(
			`The SalesOS token endpoint ${tokenUrl} answered without an access_token. Check Token URL in the credential.`,
			false,
		);
	}
	return response.access_token;
}

export class SalesOsClientCredentialsApi implements ICredentialType {
	name = 'salesOsClientCredentialsApi';

	// n8n names a new credential after this minus the words API/OAuth2: "SalesOS account", the name the examples use.
	displayName = 'SalesOS API';

	documentationUrl = 'https://docs.play2sell.com';

	icon = { light: 'file:salesos.svg', dark: 'file:salesos.dark.svg' } as const;

	properties: INodeProperties[] = [
		...environmentProperties,
		...tokenEndpointProperties,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From SalesOS Settings → API',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			// Filled by preAuthentication and kept until SalesOS answers 401; then n8n asks for a new one (see transport/tokens.ts).
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { tokenUrl, audience } = resolveEndpoints(credentials);
		const clientKey = createHash('sha256')
			.update([tokenUrl, audience, credentials.clientId, credentials.clientSecret].join('\n'))
			.digest('hex');
		// n8n calls this with the token it holds ('' when none) when that one is missing or was refused.
		const accessToken = await sharedAccessToken(clientKey, String(credentials.accessToken ?? ''), async () =>
			await requestToken(this.helpers, credentials),
		);
		return { accessToken };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withBearerToken(requestOptions, String(credentials.accessToken ?? ''));
	}

	test: ICredentialTestRequest = credentialTest;
}
