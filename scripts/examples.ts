// The example workflows (workflows/*.json) and the credentials they expect, prepared for import
// into a local n8n: shared by the demo and the e2e suite so both run exactly the shipped files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ModelScript, SandboxCredentials } from '../test/sandbox/types';
import type { CredentialImport, WorkflowJson } from './n8n/instance';
import { REPO_ROOT } from './n8n/package';

export const WORKFLOWS_FOLDER = join(REPO_ROOT, 'workflows');
/** The credential name the example workflows refer to; n8n's import resolves it to the id. */
export const EXAMPLE_CREDENTIAL_NAME = 'SalesOS account';
/** The name n8n gives a new API-key credential by default. */
export const API_KEY_CREDENTIAL_NAME = 'SalesOS (API Key) account';
/** Where the examples' Settings nodes point by default: the stand-in of `npm run sandbox` / the demo. */
export const DEFAULT_EXTERNAL_URL = 'http://127.0.0.1:4010/external';

export interface ExampleWorkflow {
	file: string;
	/** The example's number ('01', '02', …), by which tests name it. */
	key: string;
	workflow: WorkflowJson;
}

export function readExampleWorkflows(): ExampleWorkflow[] {
	return readdirSync(WORKFLOWS_FOLDER)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, key: file.slice(0, 2), workflow: JSON.parse(readFileSync(join(WORKFLOWS_FOLDER, file), 'utf8')) as WorkflowJson }));
}

/** A copy whose Settings node points at another external system (the one value users edit). */
export function withExternalUrl(workflow: WorkflowJson, externalUrl: string): WorkflowJson {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (node.name !== 'Settings') continue;
		for (const assignment of node.parameters.assignments.assignments) {
			if (assignment.name === 'externalUrl') assignment.value = externalUrl;
		}
	}
	return copy;
}

export interface SalesOsConnection {
	environment: 'production' | 'staging' | 'custom';
	/** API origin when custom (the sandbox URL). */
	host?: string;
	tokenUrl?: string;
	audience?: string;
	clientId: string;
	clientSecret: string;
	/** Optional API-key credential (Default Integration, signed requests). */
	apiKey?: string;
	apiSecret?: string;
}

/** The sandbox as a Custom environment, with its OAuth client and its REST + Default Integration key. */
export function sandboxConnection(sandbox: SandboxCredentials): SalesOsConnection {
	return {
		environment: 'custom',
		host: sandbox.url,
		tokenUrl: sandbox.tokenUrl,
		audience: sandbox.audience,
		clientId: sandbox.clientId,
		clientSecret: sandbox.clientSecret,
		apiKey: sandbox.apiKey,
		apiSecret: sandbox.apiSecret,
	};
}

export const CLIENT_CREDENTIAL_ID = 'salesOsOauthCred';
export const API_KEY_CREDENTIAL_ID = 'salesOsApiKeyCred';

/** Credentials for `n8n import:credentials` (plain data; n8n encrypts it on import). */
export function credentialsFor(connection: SalesOsConnection): CredentialImport[] {
	const where = {
		environment: connection.environment,
		...(connection.environment === 'custom'
			? { host: connection.host ?? '', tokenUrl: connection.tokenUrl ?? '', audience: connection.audience ?? 'https://api.play2sell.com' }
			: {}),
	};
	const credentials: CredentialImport[] = [
		{
			id: CLIENT_CREDENTIAL_ID,
			name: EXAMPLE_CREDENTIAL_NAME,
			type: 'salesOsClientCredentialsApi',
			data: { ...where, clientId: connection.clientId, clientSecret: connection.clientSecret },
		},
	];
	if (connection.apiKey) {
		const { tokenUrl: _tokenUrl, audience: _audience, ...apiKeyWhere } = where as Record<string, string>;
		credentials.push({
			id: API_KEY_CREDENTIAL_ID,
			name: API_KEY_CREDENTIAL_NAME,
			type: 'salesOsApiKeyApi',
			data: { ...apiKeyWhere, apiKey: connection.apiKey, apiSecret: connection.apiSecret ?? '' },
		});
	}
	return credentials;
}

/** The OpenAI credential the AI agent example refers to (by name), pointing at the sandbox's scripted model. */
export const MODEL_CREDENTIAL_NAME = 'SalesOS sandbox model';
export const MODEL_CREDENTIAL_ID = 'salesOsSandboxModel';

/** An `openAiApi` credential whose Base URL is the scripted model (`sandbox.credentials().openAiBaseUrl`). */
export function modelCredentialFor(openAiBaseUrl: string): CredentialImport {
	return {
		id: MODEL_CREDENTIAL_ID,
		name: MODEL_CREDENTIAL_NAME,
		type: 'openAiApi',
		data: { apiKey: 'sk-sandbox', organizationId: '', url: openAiBaseUrl, header: false },
	};
}

/**
 * What the scripted model does for the AI agent example (06): read the lead from the request
 * ("Add <name> (<email>) from <company> as a lead, ..."), create or update it, look up the
 * company's open deals, answer with both results. Tool names are the example's node names.
 */
export const EXAMPLE_AGENT_SCRIPT: ModelScript = {
	turns: [
		{
			toolCalls: [
				{
					tool: 'Create or update lead',
					arguments: {
						name: '{{userMessage /Add (.+?) \\(/}}',
						email: '{{userMessage /\\((\\S+@\\S+)\\)/}}',
						company: '{{userMessage /from (.+?) as a lead/}}',
					},
				},
			],
		},
		{
			expectToolResult: '"id"',
			toolCalls: [{ tool: 'Find deals', arguments: { search: '{{userMessage /from (.+?) as a lead/}}' } }],
		},
		{ content: 'Done. Open deals I found: {{toolResult}}' },
	],
};
