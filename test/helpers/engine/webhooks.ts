/**
 * What the n8n CLI does around a webhook trigger node, which n8n-core does not export: finding the
 * node's webhook (WebhookService.getNodeWebhooks), calling its webhookMethods
 * (WebhookService.runWebhookMethod) and webhook() (WebhookService.runWebhook) in n8n-core's own
 * HookContext / WebhookContext, and choosing the reply of a "respond immediately" webhook
 * (WebhookHelpers.executeWebhook).
 *
 * PINNED to n8n 2.40.7 (packages/cli/src/webhooks/webhook.service.ts, webhook-helpers.ts,
 * webhook-on-received-response-extractor.ts). On an n8n upgrade, compare: getNodeWebhooks (path
 * normalising, webhookId only for dynamic paths), runWebhook (close functions run after webhook()),
 * executeWebhook's order (noWebhookResponse, then no workflowData → "Webhook call received", then
 * responseMode "onReceived" → responseData / webhookResponse / "Workflow was started") and
 * responseData's default "firstEntryJson". Response modes other than onReceived are not copied.
 */
import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	resolveWebhookDescriptionField,
	type CloseFunction,
	type IDataObject,
	type IHttpRequestMethods,
	type INode,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

type DescriptionField = keyof IWebhookDescription;

/** A webhook description field: the literal value, or its expression evaluated on the node (WebhookExecutionContext). */
function describe(workflow: Workflow, node: INode, description: IWebhookDescription, field: DescriptionField, defaultValue?: unknown, complex = false): unknown {
	const native = resolveWebhookDescriptionField(node, description, String(field));
	if (native.resolved) return native.value;
	const value = description[field] as string;
	return complex
		? workflow.expression.getComplexParameterValue(node, value, 'internal', {}, undefined, defaultValue as undefined)
		: workflow.expression.getSimpleParameterValue(node, value, 'internal', {}, undefined, defaultValue as undefined);
}

/** The node's webhook named `name` (WebhookService.getNodeWebhooks, for one description and one method). */
export function nodeWebhook(workflow: Workflow, node: INode, additionalData: IWorkflowExecuteAdditionalData, name = 'default'): IWebhookData {
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType.description.webhooks?.find((webhook) => webhook.name === name);
	if (!description) throw new Error(`${node.type} has no "${name}" webhook`);
	const workflowId = workflow.id || '__UNSAVED__';
	const nodePath = String(describe(workflow, node, description, 'path') ?? '').trim().replace(/^\//, '').replace(/\/$/, '');
	const isFullPath = describe(workflow, node, description, 'isFullPath', false) as boolean;
	const restartWebhook = describe(workflow, node, description, 'restartWebhook', false) as boolean;
	const path = NodeHelpers.getNodeWebhookPath(workflowId, node, nodePath, isFullPath, restartWebhook);
	const [httpMethod] = String(describe(workflow, node, description, 'httpMethod', 'GET')).split(',');
	return {
		httpMethod: httpMethod.trim() as IHttpRequestMethods,
		node: node.name,
		path,
		webhookDescription: description,
		workflowId,
		workflowExecuteAdditionalData: additionalData,
		// n8n keeps the id only for a dynamic path (":param"); the URL is built from node.webhookId anyway.
		webhookId: path.includes(':') && node.webhookId ? node.webhookId : undefined,
	};
}

/** The context n8n calls a trigger's webhookMethods (checkExists/create/delete) in (WebhookService.runWebhookMethod). */
export function createHookContext(options: {
	workflow: Workflow;
	nodeName: string;
	additionalData: IWorkflowExecuteAdditionalData;
	activation?: WorkflowActivateMode;
}): HookContext {
	const node = options.workflow.getNode(options.nodeName)!;
	return new HookContext(
		options.workflow,
		node,
		options.additionalData,
		'trigger',
		options.activation ?? 'activate',
		nodeWebhook(options.workflow, node, options.additionalData),
	);
}

/** Calls the node's webhook() in a WebhookContext, then its close functions (WebhookService.runWebhook). */
export async function runWebhook(
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
	mode: WorkflowExecuteMode = 'webhook',
): Promise<IWebhookResponseData> {
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.webhook) throw new Error(`${node.type} has no webhook() method`);
	const closeFunctions: CloseFunction[] = [];
	const webhookData = nodeWebhook(workflow, node, additionalData);
	const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, closeFunctions, null);
	try {
		return await nodeType.webhook.call(context);
	} finally {
		await Promise.allSettled(closeFunctions.map(async (close) => await close()));
	}
}

/**
 * The reply n8n sends for webhook() 's result, or undefined when the node answered itself
 * (`noWebhookResponse`). Only responseMode "onReceived" ("Immediately").
 */
export function webhookReply(
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
	result: IWebhookResponseData,
): { status: number; body: unknown } | undefined {
	if (result.noWebhookResponse === true) return undefined;
	const { webhookDescription: description } = nodeWebhook(workflow, node, additionalData);
	const status = Number(describe(workflow, node, description, 'responseCode', 200));
	if (result.workflowData === undefined) {
		return { status, body: result.webhookResponse ?? { message: 'Webhook call received' } };
	}
	const responseMode = describe(workflow, node, description, 'responseMode', 'onReceived');
	if (responseMode !== 'onReceived') {
		throw new Error(`responseMode "${String(responseMode)}" is not supported by the test engine`);
	}
	const responseData = describe(workflow, node, description, 'responseData', 'firstEntryJson', true);
	if (responseData === 'noData') return { status, body: undefined };
	if (responseData) return { status, body: responseData as IDataObject | string };
	return { status, body: result.webhookResponse ?? { message: 'Workflow was started' } };
}
