import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { API_KEY_TYPE, CLIENT_CREDENTIALS_TYPE } from '../transport/credentialTypes';
import { SALESOS_V3, versionsBefore, versionsFrom } from './versions';

/** Both credential types, each shown only when its authentication method is chosen. */
export const salesOsCredentials: INodeCredentialDescription[] = [
	{
		name: CLIENT_CREDENTIALS_TYPE,
		required: true,
		displayOptions: { show: { authentication: ['clientCredentials'] } },
	},
	{
		name: API_KEY_TYPE,
		required: true,
		displayOptions: { show: { authentication: ['apiKey'] } },
	},
];

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'OAuth2 Client Credentials',
			value: 'clientCredentials',
			description: 'Client ID and secret from SalesOS Settings → API; a token is fetched and reused',
		},
		{
			name: 'API Key',
			value: 'apiKey',
			description: 'An sk_live_… or sk_test_… key, optionally with a secret to sign every request',
		},
	],
	default: 'clientCredentials',
};

/** The resources SalesOS serves through its Default Integration, which accepts API keys only. */
const DEFAULT_INTEGRATION_RESOURCES = ['collaborator', 'activity'];
const OTHER_RESOURCES = ['deal', 'lead', 'stage', 'team', 'user', 'webhook'];

/**
 * The action node's Authentication: from node version 3 Collaborator and Activity default to API
 * Key (a default is not saved, so older versions keep OAuth2 as theirs). Only `hide` conditions:
 * n8n's editor hides every parameter that the `show` of the credentials' Authentication names.
 */
export const actionAuthenticationProperties: INodeProperties[] = [
	{ ...authenticationProperty, displayOptions: { hide: { '@version': versionsFrom(SALESOS_V3) } } },
	{ ...authenticationProperty, displayOptions: { hide: { '@version': versionsBefore(SALESOS_V3), resource: DEFAULT_INTEGRATION_RESOURCES } } },
	{ ...authenticationProperty, default: 'apiKey', displayOptions: { hide: { '@version': versionsBefore(SALESOS_V3), resource: OTHER_RESOURCES } } },
];
