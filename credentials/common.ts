import type { ICredentialTestRequest, IDataObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_AUDIENCE, REST_BASE_URL_EXPRESSION } from '../nodes/SalesOs/transport/hosts';

export const DOCUMENTATION_URL = 'https://docs.play2sell.com';

const showForCustom = { show: { environment: ['custom'] } };

/** Environment and, for Custom, the API origin: shared by both credential types. */
export const environmentProperties: INodeProperties[] = [
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: [
			{ name: 'Production', value: 'production', description: 'https://api.play2sell.com' },
			{ name: 'Staging', value: 'staging', description: 'https://api-staging.play2sell.com' },
			{ name: 'Custom', value: 'custom', description: 'Your own host: a gateway, proxy or local sandbox' },
		],
		default: 'production',
	},
	{
		displayName: 'Host',
		name: 'host',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://salesos.example.com',
		description: 'Origin of the SalesOS API, without /v1: requests go to <Host>/v1',
		displayOptions: showForCustom,
	},
];

/** Token URL and audience, shown only for Custom (the hosted environments use the documented ones). */
export const tokenEndpointProperties: INodeProperties[] = [
	{
		displayName: 'Token URL',
		name: 'tokenUrl',
		type: 'string',
		default: '',
		placeholder: 'https://salesos.example.com/oauth/token',
		description: 'OAuth token endpoint. Leave empty to use <Host>/oauth/token.',
		displayOptions: showForCustom,
	},
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'string',
		default: DEFAULT_AUDIENCE,
		description: 'The API identifier the token is issued for',
		displayOptions: showForCustom,
	},
];

/** A cheap authenticated read: one user. Proves the host, the credentials and the token work. */
export const credentialTest: ICredentialTestRequest = {
	request: {
		baseURL: REST_BASE_URL_EXPRESSION,
		url: '/users',
		qs: { per_page: 1 },
	},
};

export function withoutHeaders(headers: IDataObject | undefined, names: string[]): IDataObject {
	return Object.fromEntries(
		Object.entries(headers ?? {}).filter(([name]) => !names.includes(name.toLowerCase())),
	);
}

/**
 * The request with `Authorization: Bearer <token>`. The credentials set it in code rather than
 * with n8n's declarative `authenticate` object, which n8n evaluates as an expression in its
 * expression sandbox on every request (about 0.5 ms of CPU each in n8n 2.40, measured).
 */
export function withBearerToken(requestOptions: IHttpRequestOptions, token: string): IHttpRequestOptions {
	return {
		...requestOptions,
		headers: { ...withoutHeaders(requestOptions.headers, ['authorization']), Authorization: `Bearer ${token}` },
	};
}
