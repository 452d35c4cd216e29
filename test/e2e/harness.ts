// Shared set-up of the real-n8n suites: one n8n version (default: the primary 2.40.7) installed
// outside the package (reused when present), this package packed and installed into it as a
// community package, the SalesOS sandbox (in this process; n8n reaches it over 127.0.0.1; it also
// plays the AI agent's language model), the sandbox credentials and the shipped example workflows
// imported exactly as a user would import them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	API_KEY_CREDENTIAL_ID,
	CLIENT_CREDENTIAL_ID,
	credentialsFor,
	EXAMPLE_CREDENTIAL_NAME,
	modelCredentialFor,
	readExampleWorkflows,
	sandboxConnection,
	withExternalUrl,
} from '../../scripts/examples';
import { ensureN8n } from '../../scripts/n8n/install';
import { N8nInstance, type ExecuteResult, type WorkflowJson } from '../../scripts/n8n/instance';
import { buildAndPack } from '../../scripts/n8n/package';
import { startSandbox, type Sandbox } from '../sandbox';

export interface RealN8n {
	sandbox: Sandbox;
	n8n: N8nInstance;
	/** The imported example workflows by file name prefix ('01', '02', …). */
	examples: Record<string, WorkflowJson>;
	/** This package, packed: what a second n8n instance installs. */
	tarball: string;
	tearDown(): Promise<void>;
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** One build and pack per test file, shared by the n8n versions it sets up. */
let packed: Promise<string> | undefined;

export interface RealN8nOptions {
	/** n8n version (default: the primary one). */
	version?: string;
	/** Added to n8n's environment (e.g. `N8N_LOG_LEVEL: 'debug'` to read the node's API-call log). */
	env?: Record<string, string>;
	/** More workflows for the same import (one n8n CLI start); one with an example's id replaces that example. */
	moreWorkflows?: (examples: Record<string, WorkflowJson>) => WorkflowJson[];
}

export async function setUpRealN8n(options: RealN8nOptions = {}): Promise<RealN8n> {
	// No skipping: a machine that cannot install n8n fails this suite with the installer's error.
	const installation = await ensureN8n({ log: progress, version: options.version });
	packed ??= buildAndPack({ log: progress });
	const tarball = await packed;
	const sandbox = await startSandbox({
		// Quick retries, so a delivery n8n refused is retried within the test.
		settings: { webhookRetryDelaysMs: [300, 600] },
	});
	const userFolder = mkdtempSync(join(tmpdir(), 'salesos-e2e-n8n-'));
	const n8n = await N8nInstance.create({ installation, userFolder, env: { N8N_LOG_LEVEL: 'info', ...options.env } });
	await n8n.installPackage(tarball);
	await n8n.importCredentials([
		...credentialsFor(sandboxConnection(sandbox.credentials())),
		// The AI agent example's model: the sandbox's scripted OpenAI-compatible model.
		modelCredentialFor(sandbox.credentials().openAiBaseUrl),
	]);

	const examples: Record<string, WorkflowJson> = {};
	for (const { key, workflow } of readExampleWorkflows()) {
		examples[key] = withExternalUrl(workflow, `${sandbox.url}/external`);
	}
	const imports = new Map(Object.values(examples).map((workflow) => [workflow.id, workflow]));
	for (const workflow of options.moreWorkflows?.(examples) ?? []) imports.set(workflow.id, workflow);
	await n8n.importWorkflows([...imports.values()]);

	return {
		sandbox,
		n8n,
		examples,
		tarball,
		async tearDown() {
			await n8n.stop();
			await sandbox.close();
			if (!process.env.SALESOS_E2E_KEEP) rmSync(userFolder, { recursive: true, force: true });
			else progress(`[e2e] n8n user folder kept at ${userFolder}`);
		},
	};
}

/** The items (json) a node put on one output in an `n8n execute` run. */
export function outputOf(result: ExecuteResult | { run: any }, nodeName: string, output = 0, runIndex = 0): any[] {
	const runs = result.run?.data?.resultData?.runData?.[nodeName];
	if (!runs) throw new Error(`Node "${nodeName}" did not run`);
	return (runs[runIndex]?.data?.main?.[output] ?? []).map((item: { json: unknown }) => item.json);
}

/** Every item a node output across all its runs (a node inside a loop runs once per batch). */
export function allOutputsOf(run: any, nodeName: string, output = 0): any[] {
	const runs = run?.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((entry: any) => (entry.data?.main?.[output] ?? []).map((item: { json: unknown }) => item.json));
}

/** Fails a test with n8n's own account of a failed `n8n execute`. */
export function expectSuccess(result: ExecuteResult): void {
	if (result.ok) return;
	const error = result.run?.data?.resultData?.error;
	throw new Error(
		`n8n execute failed (exit ${result.code}): ${error ? `${error.message}\n${error.description ?? ''}` : result.output.slice(-3000)}`,
	);
}

/** Polls `check` until it returns a value other than undefined/false. */
export async function waitFor<T>(
	description: string,
	check: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${lastError ? `: ${String(lastError)}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The Production URL n8n serves a webhook-based node on. */
export function productionWebhookUrl(n8n: N8nInstance, workflow: WorkflowJson, nodeName: string): string {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`Workflow "${workflow.name}" has no node "${nodeName}"`);
	// n8n's Webhook node serves its `path`; other webhook nodes serve `<webhookId>/<path from the node type>`.
	const path = node.type === 'n8n-nodes-base.webhook' ? node.parameters.path : `${node.webhookId}/webhook`;
	return `${n8n.url}/webhook/${path}`;
}

/** Manual Trigger → Code (the items) → one SalesOS node with these parameters (API key when `authentication: apiKey`). */
export function salesOsWorkflow(
	id: string,
	parameters: Record<string, unknown>,
	{
		items = [{}],
		onError,
		typeVersion = 1,
	}: {
		items?: Array<Record<string, unknown>>;
		onError?: 'continueRegularOutput' | 'continueErrorOutput';
		typeVersion?: number;
	} = {},
): WorkflowJson {
	const apiKey = parameters.authentication === 'apiKey';
	return {
		id,
		name: `e2e: ${id}`,
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-items`,
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
			},
			{
				id: `${id}-salesos`,
				name: 'SalesOS',
				type: 'n8n-nodes-salesos.salesOs',
				typeVersion,
				position: [440, 0],
				parameters,
				...(onError ? { onError } : {}),
				credentials: apiKey
					? { salesOsApiKeyApi: { id: API_KEY_CREDENTIAL_ID, name: 'SalesOS API key' } }
					: { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'SalesOS', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
