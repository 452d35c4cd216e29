/** The `additionalData` n8n hands to WorkflowExecute and every node context. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentialsHelper';

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
