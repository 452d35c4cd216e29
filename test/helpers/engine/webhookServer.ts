/** Webhook triggers behind a real HTTP server, and the hook context of their webhookMethods. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowActivateMode,
} from 'n8n-workflow';

import { createAdditionalData } from './additionalData';
import { toCredentialsHelper, type StoredCredentials, type TestCredentialsHelper } from './credentialsHelper';
import { TestNodeTypes } from './nodeTypes';
import { createWorkflow, runWorkflow, type TestNode, type WorkflowRunResult } from './workflow';

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
