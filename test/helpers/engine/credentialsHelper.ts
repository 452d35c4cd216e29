/**
 * The credential store and ICredentialsHelper of one simulated n8n instance.
 *
 * Stored data is encrypted with n8n-core's own `Credentials` class (the instance's encryption key
 * under N8N_USER_FOLDER), as n8n keeps it in its database, and decrypted by it on every read.
 *
 * The helper itself is n8n CLI code that n8n-core does not export. PINNED to n8n 2.40.7
 * (packages/cli/src/credentials-helper.ts, CredentialsHelper). On an n8n upgrade, compare:
 * `authenticate` (function or generic: expressions resolved with $credentials), `preAuthentication`
 * (runs when the hidden `expirable` field is empty, on expiry, or for the credential-test node
 * "n8n-nodes-base.noOp" with parameter temp=''; helpers narrowed to httpRequest with the
 * credential's own allowed domains; the stored data re-read and merged, fields stored as expressions
 * kept; then saved), `getDecrypted` / `applyDefaultsAndOverwrites` (defaults via
 * NodeHelpers.getNodeParameters, oauthTokenData / allowedDomains carried over, expressions resolved
 * with getAdditionalKeys), `getCredentialsProperties` (extends merged, oAuth token field) and
 * `updateCredentialsOauthTokenData`. Not copied: credential overwrites, external secrets, dynamic
 * credentials, AI gateway, policy checks, JSON-leaf expressions (none used by this package).
 */
import { Credentials, getAdditionalKeys } from 'n8n-core';
import {
	getCredentialOwnRequestAllowedDomains,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UserError,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsExpressionResolveValues,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { useInstanceEncryptionKey } from './encryptionKeys';
import { TestCredentialTypes, TestNodeTypes } from './nodeTypes';

export type StoredCredentials = Record<string, ICredentialDataDecryptedObject>;

/** CLI restrictToCredentialDomains: a preAuthentication hook gets httpRequest only, limited to the credential's domains. */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

/**
 * Keyed by credential id; by default the id is the credential type name, so
 * `{salesOsApiKeyApi: {...}}` is all a test needs to pass.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** How often each credential type's preAuthentication ran (i.e. tokens fetched through n8n). */
	readonly preAuthenticationRuns: Record<string, number> = {};

	/** id → the encrypted data, as n8n's credentials table holds it. */
	private readonly rows = new Map<string, Promise<string | undefined>>();

	constructor(
		stored: StoredCredentials = {},
		readonly credentialTypes = new TestCredentialTypes(),
	) {
		super();
		useInstanceEncryptionKey();
		for (const [id, data] of Object.entries(stored)) this.rows.set(id, this.encrypt(id, data));
	}

	/** The data as stored now, decrypted (e.g. to see the cached token). */
	async stored(id: string): Promise<ICredentialDataDecryptedObject | undefined> {
		const data = await this.rows.get(id);
		return data === undefined ? undefined : await new Credentials({ id, name: id }, '', data).getData();
	}

	storedIds(): string[] {
		return [...this.rows.keys()];
	}

	set(id: string, data: ICredentialDataDecryptedObject): void {
		this.rows.set(id, this.encrypt(id, data));
	}

	getParentTypes(name: string): string[] {
		const parents = this.credentialTypes.getByName(name).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (typeof authenticate === 'object') {
			if (!workflow || !node) throw new Error('Workflow and node are required for declarative credential authentication');
			requestOptions.headers ??= {};
			if (authenticate.type === 'generic') {
				const resolve = (value: string) =>
					isExpression(value)
						? String(
								workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ||
									'',
							)
						: value;
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					const target = requestOptions as unknown as Record<string, Record<string, string>>;
					for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
						target[outerKey] ??= {};
						target[outerKey][resolve(key)] = resolve(value);
					}
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') return undefined;
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) return undefined;

		this.preAuthenticationRuns[typeName] = (this.preAuthenticationRuns[typeName] ?? 0) + 1;
		const output = (await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (!node.credentials) return undefined;
		const nodeCredentials = node.credentials[credentialType.name];
		// The fresh token goes onto the stored data; a field stored as an expression stays one.
		const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
		const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(storedData[key])) dataToPersist[key] = value;
		}
		await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.credentialTypes.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		const output = await preAuthentication.call(restrictToCredentialDomains(helpers, credentials), credentials);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const data = nodeCredentials.id ? await this.rows.get(nodeCredentials.id) : undefined;
		if (data === undefined) {
			throw new Error(`No stored credentials "${nodeCredentials.id}" of type "${type}" in the test engine`);
		}
		return new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type, data);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const decrypted = await (await this.getCredentials(nodeCredentials, type)).getData();
		if (raw === true) return decrypted;
		return await this.applyDefaultsAndOverwrites(additionalData, decrypted, type, mode, executeData, expressionResolveValues);
	}

	/** Defaults filled in, fields hidden by displayOptions dropped, expressions resolved. */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		original: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		for (const key of ['oauthTokenData', 'allowedHttpRequestDomains', 'allowedDomains']) {
			if (data[key] === undefined && original[key] !== undefined) data[key] = original[key];
		}
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				data = expressionResolveValues.workflow.expression.getParameterValue(
					data as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		} else if (Object.values(data).some((value) => isExpression(value))) {
			// The CLI resolves on a one-node mock workflow; the node is never executed.
			const mockNode: INode = { id: 'mock', name: '', typeVersion: 1, type: 'testPassThrough', position: [0, 0], parameters: {} };
			const workflow = new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
			await workflow.expression.acquireIsolate();
			try {
				data = workflow.expression.getComplexParameterValue(
					mockNode,
					data as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					data,
				) as ICredentialDataDecryptedObject;
			} finally {
				await workflow.expression.releaseIsolate();
			}
		}
		return data;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
		this.rows.set(nodeCredentials.id!, Promise.resolve(credentials.getDataToSave().data));
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		this.rows.set(nodeCredentials.id!, Promise.resolve(credentials.getDataToSave().data));
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (!credentialType.extends) {
			if (!['oAuth1Api', 'oAuth2Api'].includes(type)) return credentialType.properties;
			const tokenData: INodeProperties = { displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} };
			return [...credentialType.properties, tokenData];
		}
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	private async encrypt(id: string, data: ICredentialDataDecryptedObject): Promise<string | undefined> {
		const credentials = new Credentials({ id, name: id }, '');
		await credentials.setData({ ...data });
		return credentials.getDataToSave().data;
	}
}

export function toCredentialsHelper(credentials?: TestCredentialsHelper | StoredCredentials): TestCredentialsHelper {
	return credentials instanceof TestCredentialsHelper ? credentials : new TestCredentialsHelper(credentials);
}
