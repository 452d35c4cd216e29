/**
 * Runs workflow JSON through the real n8n-core engine in-process (no n8n server), with an
 * ICredentialsHelper that behaves like the n8n CLI's (packages/cli/src/credentials-helper.ts):
 * stored credential data, defaults applied, the type's `authenticate` applied, and the
 * expirable-token `preAuthentication` called when the token is empty or expired, with the new
 * token written back to the store so later executions reuse it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	Credentials,
	ExecuteContext,
	ExecutionLifecycleHooks,
	HookContext,
	PollContext,
	RoutingNode,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	deepCopy,
	ICredentialsHelper,
	NodeConnectionTypes,
	isExpression,
	NodeHelpers,
	Workflow,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialsExpressionResolveValues,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRun,
	type IRunData,
	type IVersionedNodeType,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { TestItems, TestPassThrough, TestSalesOsCaller } from './testNodes';

/** Prefix n8n gives this package's node types once installed (`n8n-nodes-salesos.salesOs`). */
export const PACKAGE_PREFIX = 'n8n-nodes-salesos.';

type NodeTypeObject = INodeType | IVersionedNodeType;

/**
 * Instantiates the exported class of a source module whose name (as `nameOf` reads it) is `name`.
 * Package nodes and credentials load lazily so one unfinished file never breaks suites that do not use it.
 */
function loadExported<T>(modulePath: string, name: string, nameOf: (instance: T) => string | undefined): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(modulePath) as Record<string, unknown>;
	for (const candidate of Object.values(exported)) {
		// Only classes: calling an exported helper function with `new` would run it.
		if (typeof candidate !== 'function' || !/^class\b/.test(Function.prototype.toString.call(candidate))) continue;
		let instance: T;
		try {
			instance = new (candidate as new () => T)();
		} catch {
			continue; // not a constructible class
		}
		if (nameOf(instance) === name) return instance;
	}
	throw new Error(`${modulePath} exports no class named "${name}"`);
}

const PACKAGE_NODE_MODULES: Record<string, string> = {
	salesOs: '../../nodes/SalesOs/SalesOs.node',
	salesOsTrigger: '../../nodes/SalesOs/SalesOsTrigger.node',
	salesOsPollTrigger: '../../nodes/SalesOs/SalesOsPollTrigger.node',
};

const PACKAGE_CREDENTIAL_MODULES: Record<string, string> = {
	salesOsClientCredentialsApi: '../../credentials/SalesOsClientCredentialsApi.credentials',
	salesOsApiKeyApi: '../../credentials/SalesOsApiKeyApi.credentials',
};

function shortTypeName(type: string): string {
	return type.startsWith(PACKAGE_PREFIX) ? type.slice(PACKAGE_PREFIX.length) : type;
}

/** Node type lookup: this package's nodes (by short or installed name), the test nodes, and anything registered. */
export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, NodeTypeObject>();

	constructor(extra: NodeTypeObject[] = []) {
		for (const nodeType of [new TestItems(), new TestPassThrough(), new TestSalesOsCaller(), ...extra]) this.register(nodeType);
	}

	register(nodeType: NodeTypeObject): this {
		this.types.set(nodeType.description.name, nodeType);
		return this;
	}

	getByName(nodeType: string): NodeTypeObject {
		const name = shortTypeName(nodeType);
		let found = this.types.get(name);
		if (!found && PACKAGE_NODE_MODULES[name]) {
			found = loadExported<NodeTypeObject>(PACKAGE_NODE_MODULES[name], name, (i) => i.description?.name);
			this.types.set(name, found);
		}
		if (!found) throw new Error(`Unknown node type "${nodeType}" in the test engine`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	/** The newest version a node type offers: what a freshly added node gets. */
	latestVersion(nodeType: string): number {
		const found = this.getByName(nodeType);
		if ('nodeVersions' in found) return found.currentVersion;
		const { version } = found.description;
		return Array.isArray(version) ? Math.max(...version) : version;
	}
}

/** Credential type lookup: this package's credentials (loaded lazily) plus anything registered. */
export class TestCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	register(credentialType: ICredentialType): this {
		this.types.set(credentialType.name, credentialType);
		return this;
	}

	getByName(name: string): ICredentialType {
		let found = this.types.get(name);
		if (!found && PACKAGE_CREDENTIAL_MODULES[name]) {
			found = loadExported<ICredentialType>(PACKAGE_CREDENTIAL_MODULES[name], name, (i) => i.name);
			this.types.set(name, found);
		}
		if (!found) throw new Error(`Unknown credential type "${name}" in the test engine`);
		return found;
	}
}

export type StoredCredentials = Record<string, ICredentialDataDecryptedObject>;

/**
 * The stored credentials of one simulated n8n instance. Keyed by credential id; by default the
 * id is the credential type name, so `{salesOsApiKeyApi: {...}}` is all a test needs to pass.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** How often each credential type's preAuthentication ran (i.e. tokens fetched through n8n). */
	readonly preAuthenticationRuns: Record<string, number> = {};

	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	constructor(
		stored: StoredCredentials = {},
		readonly credentialTypes = new TestCredentialTypes(),
	) {
		super();
		for (const [id, data] of Object.entries(stored)) this.store.set(id, { ...data });
	}

	/** The data as stored now (e.g. to see the cached token). */
	stored(id: string): ICredentialDataDecryptedObject | undefined {
		const data = this.store.get(id);
		return data && { ...data };
	}

	storedIds(): string[] {
		return [...this.store.keys()];
	}

	set(id: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, { ...data });
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
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) throw new Error('Workflow and node are required for generic authentication');
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				const target = requestOptions as unknown as Record<string, Record<string, string>>;
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					const resolve = (raw: string) =>
						isExpression(raw)
							? String(
									workflow.expression.getSimpleParameterValue(
										node,
										raw,
										'internal',
										{ $credentials: credentials },
										undefined,
										'',
									) ?? '',
								)
							: raw;
					target[outerKey][resolve(key)] = resolve(value);
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
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		const nodeCredentials = node.credentials?.[credentialType.name];
		if (nodeCredentials?.id) {
			this.store.set(nodeCredentials.id, { ...this.store.get(nodeCredentials.id), ...output });
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.credentialTypes.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const credentials = new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type);
		credentials.setData(this.storedOrThrow(nodeCredentials, type));
		return credentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = { ...this.storedOrThrow(nodeCredentials, type) };
		if (raw === true) return stored;
		// Like the CLI: fill in the type's defaults and drop fields hidden by displayOptions.
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		const hasExpressions = Object.values(data).some((value) => isExpression(value));
		if (hasExpressions && expressionResolveValues) {
			data = expressionResolveValues.workflow.expression.getParameterValue(
				data as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				{},
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		if (nodeCredentials.id) this.store.set(nodeCredentials.id, { ...data });
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.storedOrThrow(nodeCredentials, type);
		this.store.set(nodeCredentials.id!, { ...stored, oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	private storedOrThrow(nodeCredentials: INodeCredentialsDetails, type: string): ICredentialDataDecryptedObject {
		const data = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!data) throw new Error(`No stored credentials "${nodeCredentials.id}" of type "${type}" in the test engine`);
		return data;
	}
}

export function toCredentialsHelper(credentials?: TestCredentialsHelper | StoredCredentials): TestCredentialsHelper {
	return credentials instanceof TestCredentialsHelper ? credentials : new TestCredentialsHelper(credentials);
}

export interface AdditionalDataOptions {
	credentialsHelper: TestCredentialsHelper;
	executionId?: string;
	hooks?: ExecutionLifecycleHooks;
	webhookBaseUrl?: string;
	httpRequest?: IncomingMessage;
	httpResponse?: ServerResponse;
}

/** The minimal `additionalData` the engine and node contexts need (what the CLI builds per execution). */
export function createAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the test engine`);
	};
	// Never contacted: n8n only builds URLs from these (e.g. $execution.resumeUrl), so they must parse.
	const instanceBaseUrl = 'http://127.0.0.1:5678';
	const webhookBaseUrl = options.webhookBaseUrl ?? `${instanceBaseUrl}/webhook`;
	return {
		credentialsHelper: options.credentialsHelper,
		executionId: options.executionId ?? randomUUID(),
		hooks: options.hooks,
		httpRequest: options.httpRequest,
		httpResponse: options.httpResponse,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${instanceBaseUrl}/rest`,
		instanceBaseUrl,
		formBaseUrl: `${instanceBaseUrl}/form`,
		formWaitingBaseUrl: `${instanceBaseUrl}/form-waiting`,
		formTestBaseUrl: `${instanceBaseUrl}/form-test`,
		webhookBaseUrl,
		webhookWaitingBaseUrl: `${webhookBaseUrl}-waiting`,
		webhookTestBaseUrl: `${webhookBaseUrl}-test`,
		mcpBaseUrl: `${instanceBaseUrl}/mcp`,
		mcpTestBaseUrl: `${instanceBaseUrl}/mcp-test`,
		variables: {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('startRunnerTask'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A node as written in workflow JSON; id, typeVersion and position get defaults. */
export type TestNode = Pick<INode, 'name' | 'type'> & Partial<Omit<INode, 'name' | 'type'>>;

/** Linear main connections: connect('A', 'B', 'C') wires A→B→C on output 0. */
export function connect(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/** Builds a Workflow, filling node defaults and giving each node the stored credentials its type declares. */
export function createWorkflow(options: {
	nodes: TestNode[];
	connections: IConnections;
	nodeTypes: TestNodeTypes;
	credentialsHelper: TestCredentialsHelper;
	staticData?: IDataObject;
	id?: string;
}): Workflow {
	const storedIds = options.credentialsHelper.storedIds();
	const nodes: INode[] = options.nodes.map((node, index) => {
		const nodeType = options.nodeTypes.getByName(node.type);
		const typeVersion = node.typeVersion ?? options.nodeTypes.latestVersion(node.type);
		const declared = NodeHelpers.getVersionedNodeType(nodeType, typeVersion).description.credentials ?? [];
		const credentials = { ...node.credentials };
		for (const { name } of declared) {
			if (!credentials[name] && storedIds.includes(name)) credentials[name] = { id: name, name };
		}
		return {
			id: node.id ?? randomUUID(),
			position: node.position ?? [index * 200, 0],
			parameters: {},
			...node,
			typeVersion,
			credentials,
		};
	});
	return new Workflow({
		id: options.id ?? 'test-workflow',
		name: 'Test workflow',
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes: options.nodeTypes,
		staticData: options.staticData ? deepCopy(options.staticData) : undefined,
		settings: { executionOrder: 'v1' },
	});
}

export interface RunWorkflowOptions {
	nodes: TestNode[];
	connections: IConnections;
	/** Stored credentials, or a helper shared across runs so cached tokens survive between executions. */
	credentials?: TestCredentialsHelper | StoredCredentials;
	staticData?: IDataObject;
	/** Items handed to the start node (default: one empty item, like a Manual Trigger). */
	inputItems?: Array<IDataObject | INodeExecutionData>;
	/** Default: the first node without incoming main connections. */
	startNode?: string;
	mode?: WorkflowExecuteMode;
	nodeTypes?: TestNodeTypes;
}

export interface WorkflowRunResult {
	run: IRun;
	runData: IRunData;
	/** The execution's error (the failing node's error when a node failed without continue-on-fail). */
	error?: ExecutionError;
	/** Static data after the run (n8n would persist it only for a successful production execution). */
	staticData: IDataObject;
	credentials: TestCredentialsHelper;
	/** Items a node emitted on one output (default output 0, first run). */
	outputOf(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** Every output of a node (e.g. [success, error] with continueErrorOutput). */
	outputsOf(nodeName: string, runIndex?: number): INodeExecutionData[][];
	/** The error a node threw, if it did. */
	nodeError(nodeName: string, runIndex?: number): ExecutionError | undefined;
}

function toExecutionItems(items: Array<IDataObject | INodeExecutionData>): INodeExecutionData[] {
	return items.map((item) =>
		'json' in item && typeof item.json === 'object' && item.json !== null
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const nodeTypes = options.nodeTypes ?? new TestNodeTypes();
	const credentialsHelper = toCredentialsHelper(options.credentials);
	const workflow = createWorkflow({ ...options, nodeTypes, credentialsHelper });
	const startName =
		options.startNode ??
		options.nodes.find((node) => !Object.values(options.connections).some((outputs) =>
			(outputs.main ?? []).some((targets) => (targets ?? []).some((target) => target.node === node.name)),
		))?.name;
	const startNode = startName ? workflow.getNode(startName) : null;
	if (!startNode) throw new Error('runWorkflow: no start node found');

	const mode = options.mode ?? 'manual';
	const executionId = randomUUID();
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name ?? 'Test workflow',
		active: false,
		isArchived: false,
		nodes: Object.values(workflow.nodes),
		connections: options.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	});
	const additionalData = createAdditionalData({ credentialsHelper, executionId, hooks });
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [toExecutionItems(options.inputItems ?? [{}])] },
					source: null,
				},
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	const outputsOf = (nodeName: string, runIndex = 0) =>
		(runData[nodeName]?.[runIndex]?.data?.main ?? []).map((items) => items ?? []);
	return {
		run,
		runData,
		error: run.data.resultData.error,
		staticData: deepCopy({ ...workflow.staticData }) as IDataObject,
		credentials: credentialsHelper,
		outputsOf,
		outputOf: (nodeName, outputIndex = 0, runIndex = 0) => outputsOf(nodeName, runIndex)[outputIndex] ?? [],
		nodeError: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex]?.error,
	};
}

export interface RunNodeOptions {
	node: Omit<TestNode, 'name'> & { name?: string };
	input?: IDataObject[];
	credentials?: TestCredentialsHelper | StoredCredentials;
	continueOnFail?: 'continueRegularOutput' | 'continueErrorOutput';
	nodeTypes?: TestNodeTypes;
	staticData?: IDataObject;
}

export interface NodeRunResult {
	/** All main outputs of the node under test (index 1 is the error output with continueErrorOutput). */
	outputs: INodeExecutionData[][];
	/** Output 0. */
	items: INodeExecutionData[];
	/** The error the node threw (undefined when it succeeded or continued on fail). */
	error?: ExecutionError;
	result: WorkflowRunResult;
}

/** Runs one node the way a user would: Manual Trigger → items → the node. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const name = options.node.name ?? 'Node Under Test';
	const source = 'Test Items';
	const result = await runWorkflow({
		nodes: [
			{ name: source, type: 'testItems', parameters: { items: JSON.stringify(options.input ?? [{}]) } },
			{
				...options.node,
				name,
				...(options.continueOnFail ? { onError: options.continueOnFail } : {}),
			} as TestNode,
		],
		connections: connect(source, name),
		credentials: options.credentials,
		nodeTypes: options.nodeTypes,
		staticData: options.staticData,
	});
	const outputs = result.outputsOf(name);
	return { outputs, items: outputs[0] ?? [], error: result.nodeError(name), result };
}

/**
 * Polls a polling trigger the way n8n does while the workflow is active: one Workflow object
 * (and so one static data object) across every poll, a fresh n8n-core PollContext per poll.
 */
export class PollRunner {
	readonly workflow: Workflow;
	readonly credentials: TestCredentialsHelper;
	private readonly nodeName: string;
	private readonly nodeTypes: TestNodeTypes;

	constructor(options: {
		node: Omit<TestNode, 'name'> & { name?: string };
		credentials?: TestCredentialsHelper | StoredCredentials;
		staticData?: IDataObject;
		nodeTypes?: TestNodeTypes;
	}) {
		this.nodeTypes = options.nodeTypes ?? new TestNodeTypes();
		this.credentials = toCredentialsHelper(options.credentials);
		this.nodeName = options.node.name ?? 'Poll Trigger';
		this.workflow = createWorkflow({
			nodes: [{ ...options.node, name: this.nodeName } as TestNode],
			connections: {},
			nodeTypes: this.nodeTypes,
			credentialsHelper: this.credentials,
			staticData: options.staticData,
		});
	}

	get node(): INode {
		return this.workflow.getNode(this.nodeName)!;
	}

	/** The trigger's node static data (what `getWorkflowStaticData('node')` returns). */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** One poll. mode 'manual' is the editor's "Fetch Test Event"; activation 'manual' likewise. */
	async poll(
		mode: WorkflowExecuteMode = 'trigger',
		activation: WorkflowActivateMode = 'activate',
	): Promise<INodeExecutionData[][] | null> {
		const nodeType = this.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		if (!nodeType.poll) throw new Error(`${this.node.type} is not a polling trigger`);
		const context = new PollContext(
			this.workflow,
			this.node,
			createAdditionalData({ credentialsHelper: this.credentials }),
			mode,
			activation,
		);
		return await nodeType.poll.call(context);
	}
}

function webhookDataFor(
	workflow: Workflow,
	node: INode,
	nodeType: INodeType,
	additionalData: IWorkflowExecuteAdditionalData,
	name = 'default',
): IWebhookData {
	const description = (nodeType.description.webhooks ?? []).find(
		(webhook: IWebhookDescription) => webhook.name === name,
	);
	if (!description) throw new Error(`${node.type} has no "${name}" webhook`);
	return {
		httpMethod: (description.httpMethod as IHttpRequestMethods) ?? 'POST',
		node: node.name,
		path: String(description.path),
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
}

/** The IHookFunctions n8n passes to a trigger's webhookMethods (checkExists/create/delete). */
export function createHookContext(options: {
	workflow: Workflow;
	nodeName: string;
	nodeTypes: TestNodeTypes;
	credentials: TestCredentialsHelper;
	webhookBaseUrl: string;
	activation?: WorkflowActivateMode;
}): HookContext {
	const node = options.workflow.getNode(options.nodeName)!;
	const nodeType = options.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const additionalData = createAdditionalData({
		credentialsHelper: options.credentials,
		webhookBaseUrl: options.webhookBaseUrl,
	});
	return new HookContext(
		options.workflow,
		node,
		additionalData,
		'trigger',
		options.activation ?? 'activate',
		webhookDataFor(options.workflow, node, nodeType, additionalData),
	);
}

export interface WebhookCall {
	status: number;
	response: IWebhookResponseData;
	/** The downstream execution started by this call (absent when the trigger started none). */
	execution?: WorkflowRunResult;
}

export interface WebhookServer {
	/** The trigger's production webhook URL on this server, as getNodeWebhookUrl('default') returns it. */
	webhookUrl: string;
	workflow: Workflow;
	calls: WebhookCall[];
	/** Errors thrown while handling a call (by webhook() or by the started execution's setup). */
	failures: Error[];
	/** The trigger's node static data (shared by hooks and webhook calls, as in an active workflow). */
	staticData: IDataObject;
	hookContext(activation?: WorkflowActivateMode): HookContext;
	close(): Promise<void>;
}

/**
 * Serves a webhook trigger on 127.0.0.1 (random port) the way n8n's webhook server does:
 * the raw body is kept on `req.rawBody`, JSON bodies are parsed onto `req.body`, the node's
 * `webhook()` runs in a real n8n-core WebhookContext, a trigger that answered itself
 * (`noWebhookResponse`) is left alone, otherwise the node's `webhookResponse` (or n8n's
 * default "Workflow was started") is sent and the returned items run through the rest of the
 * workflow in-process.
 */
export async function startWebhookServer(options: {
	node: Omit<TestNode, 'name'> & { name?: string };
	/** Nodes downstream of the trigger; connect them with `connections` from the trigger's name. */
	nodes?: TestNode[];
	connections?: IConnections;
	credentials?: TestCredentialsHelper | StoredCredentials;
	staticData?: IDataObject;
	nodeTypes?: TestNodeTypes;
}): Promise<WebhookServer> {
	const nodeTypes = options.nodeTypes ?? new TestNodeTypes();
	const credentials = toCredentialsHelper(options.credentials);
	const nodeName = options.node.name ?? 'Webhook Trigger';
	const allNodes = [{ webhookId: randomUUID(), ...options.node, name: nodeName } as TestNode, ...(options.nodes ?? [])];
	const connections = options.connections ?? {};
	const calls: WebhookCall[] = [];
	const failures: Error[] = [];
	let webhookBaseUrl = '';
	let workflow: Workflow;

	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void handle(req, res, Buffer.concat(chunks)).catch((error: Error) => {
				failures.push(error);
				if (res.writableEnded) return;
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ message: error.message }));
			});
		});
	});

	const handle = async (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => {
		const node = workflow.getNode(nodeName)!;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (!nodeType.webhook) throw new Error(`${node.type} has no webhook() method`);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		let body: unknown = {};
		if (rawBody.length > 0 && (req.headers['content-type'] ?? '').includes('json')) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				body = {};
			}
		}
		const request = Object.assign(req, {
			rawBody,
			body,
			query: Object.fromEntries(url.searchParams),
			params: {},
		});
		const response = Object.assign(res, {
			status(code: number) {
				res.statusCode = code;
				return response;
			},
			send(payload?: unknown) {
				res.end(typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload ?? ''));
				return response;
			},
			json(payload: unknown) {
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify(payload));
				return response;
			},
		});
		const additionalData = createAdditionalData({
			credentialsHelper: credentials,
			webhookBaseUrl,
			httpRequest: request,
			httpResponse: response,
		});
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookDataFor(workflow, node, nodeType, additionalData),
			[],
			null,
		);
		const webhookResponse = await nodeType.webhook.call(context);
		const call: WebhookCall = { status: 0, response: webhookResponse };
		calls.push(call);
		if (webhookResponse.noWebhookResponse) {
			call.status = res.statusCode;
			if (!res.writableEnded) res.end();
		} else {
			// As n8n does: a node's own `webhookResponse` is the reply body, else the default message.
			call.status = 200;
			res.writeHead(200, { 'content-type': 'application/json' });
			const reply = webhookResponse.webhookResponse ?? { message: 'Workflow was started' };
			res.end(typeof reply === 'string' ? reply : JSON.stringify(reply));
		}
		const items = webhookResponse.workflowData?.[0];
		if (items && items.length > 0) {
			call.execution = await runWorkflow({
				nodes: allNodes,
				connections,
				credentials,
				staticData: workflow.staticData,
				inputItems: items,
				startNode: nodeName,
				mode: 'webhook',
				nodeTypes,
			});
		}
	};

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	webhookBaseUrl = `http://127.0.0.1:${port}/webhook`;
	workflow = createWorkflow({
		nodes: allNodes,
		connections,
		nodeTypes,
		credentialsHelper: credentials,
		staticData: options.staticData,
	});
	const hookContext = (activation: WorkflowActivateMode = 'activate') =>
		createHookContext({ workflow, nodeName, nodeTypes, credentials, webhookBaseUrl, activation });
	return {
		webhookUrl: hookContext().getNodeWebhookUrl('default') ?? '',
		workflow,
		calls,
		failures,
		get staticData() {
			return workflow.getStaticData('node', workflow.getNode(nodeName)!);
		},
		hookContext,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/**
 * Tests a credential the way the n8n editor's "Test" button does (CLI CredentialsTester for a
 * credential with a `test` request): a temporary "n8n-nodes-base.noOp" node whose `temp`
 * parameter routes the test request, so preAuthentication always runs, then RoutingNode.
 * Failures are reported as the CLI reports them.
 */
export async function testCredentials(
	type: string,
	data: ICredentialDataDecryptedObject,
	credentialTypes = new TestCredentialTypes(),
): Promise<INodeCredentialTestResult> {
	const credentialType = credentialTypes.getByName(type);
	if (!credentialType.test) return { status: 'Error', message: 'No testing function found for this credential.' };
	const credentialsHelper = new TestCredentialsHelper({ [type]: data }, credentialTypes);
	const nodeCredentials = { id: type, name: type };
	const additionalData = createAdditionalData({ credentialsHelper });
	const credentialsDecrypted: ICredentialsDecrypted = {
		...nodeCredentials,
		type,
		data: await credentialsHelper.getDecrypted(additionalData, nodeCredentials, type, 'internal'),
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'No Operation' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialType.test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type]: nodeCredentials },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes([nodeType]),
	});
	const context = new ExecuteContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalData,
		'internal',
		createRunExecutionData({ executionData: null }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } })
			.cause;
		if (cause?.response) {
			const { status, statusText } = cause.response;
			for (const rule of credentialType.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (status < 199 || status > 299) {
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
			}
		} else if (cause?.code) {
			return { status: 'Error', message: cause.code };
		}
		return { status: 'Error', message: String((error as Error).message) };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
