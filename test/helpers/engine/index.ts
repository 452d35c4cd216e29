/**
 * Runs workflow JSON through the real n8n-core engine in-process (no n8n server). One module per
 * concern; see docs/architecture.md ("Test engine").
 */
import { useInMemoryDeduplication } from './deduplication';
import { assertPinnedN8nCore } from './pinned';

assertPinnedN8nCore();
useInMemoryDeduplication();

export { createAdditionalData, type AdditionalDataOptions } from './additionalData';
export { testCredentials } from './credentialTest';
export { clearProcessedData } from './deduplication';
export { TestCredentialsHelper, toCredentialsHelper, type StoredCredentials } from './credentialsHelper';
export { PACKAGE_PREFIX, TestCredentialTypes, TestNodeTypes } from './nodeTypes';
export { PollRunner } from './pollRunner';
export { startWebhookServer, type WebhookCall, type WebhookServer } from './webhookServer';
export { createHookContext, nodeWebhook, runWebhook, webhookReply } from './webhooks';
export {
	connect,
	createWorkflow,
	runNode,
	runWorkflow,
	type NodeRunResult,
	type RunNodeOptions,
	type RunWorkflowOptions,
	type TestNode,
	type WorkflowRunResult,
} from './workflow';
