/**
 * The `additionalData` n8n hands to WorkflowExecute and every node context. The CLI builds it in
 * WorkflowExecuteAdditionalData.getBase, which n8n-core does not export (it needs the CLI's
 * database, URL service and task runners). PINNED to n8n 2.40.7
 * (packages/cli/src/workflow-execute-additional-data.ts, getBase): on an n8n upgrade, compare the
 * field list (new required fields show up as TypeErrors inside n8n-core) and the URL shapes
 * (instanceBaseUrl with a trailing slash; webhook, webhook-waiting, webhook-test, form*, mcp*, rest
 * endpoints). The external-secrets proxy is n8n-core's own service; sub-workflows, agents and task
 * runners (Code node) are not available and say so when called.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExternalSecretsProxy, type ExecutionLifecycleHooks } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentialsHelper';
import { Container } from './n8nContainer';

export interface AdditionalDataOptions {
	credentialsHelper: TestCredentialsHelper;
	executionId?: string;
	hooks?: ExecutionLifecycleHooks;
	/** Default http://127.0.0.1:5678/webhook; the webhook server passes its own. */
	webhookBaseUrl?: string;
	httpRequest?: IncomingMessage;
	httpResponse?: ServerResponse;
}

export function createAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the test engine`);
	};
	// Never contacted: n8n only builds URLs from these (e.g. $execution.resumeUrl), so they must parse.
	const origin = 'http://127.0.0.1:5678';
	const webhookBaseUrl = options.webhookBaseUrl ?? `${origin}/webhook`;
	return {
		credentialsHelper: options.credentialsHelper,
		executionId: options.executionId ?? randomUUID(),
		hooks: options.hooks,
		httpRequest: options.httpRequest,
		httpResponse: options.httpResponse,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${origin}/rest`,
		instanceBaseUrl: `${origin}/`,
		formBaseUrl: `${origin}/form`,
		formWaitingBaseUrl: `${origin}/form-waiting`,
		formTestBaseUrl: `${origin}/form-test`,
		webhookBaseUrl,
		webhookWaitingBaseUrl: `${webhookBaseUrl}-waiting`,
		webhookTestBaseUrl: `${webhookBaseUrl}-test`,
		mcpBaseUrl: `${origin}/mcp`,
		mcpTestBaseUrl: `${origin}/mcp-test`,
		variables: {},
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		logHitlResponse: () => {},
		executeWorkflow: unsupported('executeWorkflow (sub-workflows)'),
		executeAgent: unsupported('executeAgent'),
		listAgents: unsupported('listAgents'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('startRunnerTask (task runners, e.g. the Code node)'),
		getRunnerStatus: () => ({ available: false, reason: 'no task runners in the test engine' }),
	} as unknown as IWorkflowExecuteAdditionalData;
}
