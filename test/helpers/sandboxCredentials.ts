/** Credential data of both SalesOS credential types pointing at a sandbox (Environment: Custom). */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SANDBOX_API_KEY, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, type Sandbox } from '../sandbox';

export function sandboxClientCredentials(
	sandbox: Sandbox,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		host: sandbox.url,
		clientId: SANDBOX_CLIENT_ID,
		clientSecret: SANDBOX_CLIENT_SECRET,
		...overrides,
	};
}

export function sandboxApiKey(
	sandbox: Sandbox,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return { environment: 'custom', host: sandbox.url, apiKey: SANDBOX_API_KEY, ...overrides };
}
