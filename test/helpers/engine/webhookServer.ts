/**
 * A webhook trigger behind a real HTTP server (n8n's webhook server, reduced to one trigger):
 * PINNED to n8n 2.40.7's request handling (packages/cli/src/webhooks/webhook-request-handler.ts,
 * webhook-helpers.ts parseRequestBody, the rawBody middleware): the raw body on `req.rawBody`,
 * a JSON body parsed onto `req.body`, `query`, Express's status/send/json on the response. On an
 * n8n upgrade, check those and whether a webhook's items still start an execution with the
 * trigger's items on the stack (and the workflow's saved static data, not webhook()'s writes).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HookContext } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	IWebhookResponseData,
	Workflow,
	WorkflowActivateMode,
} from 'n8n-workflow';

import { createAdditionalData } from './additionalData';
import { toCredentialsHelper, type StoredCredentials, type TestCredentialsHelper } from './credentialsHelper';
import { TestNodeTypes } from './nodeTypes';
import { createHookContext, runWebhook, webhookReply } from './webhooks';
import { createWorkflow, runWorkflow, type TestNode, type WorkflowRunResult } from './workflow';

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
	// A fixed node id: n8n keys the trigger's processed events (deduplication store) by it.
	const allNodes = [{ webhookId: randomUUID(), id: randomUUID(), ...options.node, name: nodeName } as TestNode, ...(options.nodes ?? [])];
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
		const webhookResponse = await runWebhook(workflow, node, additionalData);
		const call: WebhookCall = { status: 0, response: webhookResponse };
		calls.push(call);
		const reply = webhookReply(workflow, node, additionalData, webhookResponse);
		if (reply === undefined) {
			call.status = res.statusCode;
			if (!res.writableEnded) res.end();
		} else {
			call.status = reply.status;
			// As Express's res.send: a string as text/html, an object as JSON, nothing for "noData".
			if (reply.body === undefined) res.writeHead(reply.status).end();
			else if (typeof reply.body === 'string') res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8' }).end(reply.body);
			else res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
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
		createHookContext({
			workflow,
			nodeName,
			additionalData: createAdditionalData({ credentialsHelper: credentials, webhookBaseUrl }),
			activation,
		});
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
