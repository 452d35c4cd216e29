// Everything the scenarios run against: the SalesOS sandbox (in this process, real HTTP on
// 127.0.0.1) and one real n8n (`n8n start`, the install the e2e suite uses) with this package
// installed as a community package, the bench credentials and the bench workflows.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureN8n, type N8nInstallation } from '../../scripts/n8n/install';
import { waitingOutDatabaseRecovery } from '../../scripts/n8n/rest';
import { N8nInstance, type CredentialImport, type WorkflowJson } from '../../scripts/n8n/instance';
import { buildAndPack, REPO_ROOT } from '../../scripts/n8n/package';
import { sleep, type LogLine } from '../../scripts/n8n/process';
import { startSandbox, type Sandbox, type SandboxSettings } from '../../test/sandbox';
import { keepAliveAgent, post, type HttpResult } from './http';

/** Credential ids the workflow files in bench/workflows refer to. */
export const CREDENTIALS = {
	clientCredentials: { id: 'benchSalesOsOAuth', name: 'SalesOS sandbox (client credentials)', type: 'salesOsClientCredentialsApi' },
	apiKey: { id: 'benchSalesOsApiKey', name: 'SalesOS sandbox (API key)', type: 'salesOsApiKeyApi' },
	headerAuth: { id: 'benchHttpHeaderAuth', name: 'SalesOS sandbox API key as header', type: 'httpHeaderAuth' },
} as const;

/** Replaced by the sandbox origin in workflow files (HTTP Request nodes need a full URL). */
const SANDBOX_URL_PLACEHOLDER = '__SANDBOX_URL__';
const WORKFLOW_FOLDER = join(__dirname, '..', 'workflows');
const BENCH_FOLDER = join(REPO_ROOT, '.bench');

export interface ExecutionFigures {
	id: string;
	status: string;
	/** Whole execution, from n8n's own start/stop times. */
	durationMs: number;
	/** Per node: executionTime of its first run (ms), items on its first output, error message. */
	nodes: Record<string, { executionTimeMs: number; items: number; error?: string }>;
}

export class BenchEnvironment {
	private readonly agent = keepAliveAgent(64);
	private readonly seenExecutions = new Set<string>();

	private constructor(
		readonly sandbox: Sandbox,
		readonly n8n: N8nInstance,
		readonly installation: N8nInstallation,
		readonly workflows: Map<string, WorkflowJson>,
		private readonly log: LogLine,
	) {}

	static async start(log: LogLine): Promise<BenchEnvironment> {
		const installation = await ensureN8n({ log });
		const tarball = await buildAndPack({ log, folder: join(BENCH_FOLDER, 'package') });
		const sandbox = await startSandbox();
		mkdirSync(BENCH_FOLDER, { recursive: true });
		// n8n's default settings: executions and their run data are saved, the bench reads node timings from them.
		const n8n = await N8nInstance.create({ installation, userFolder: join(BENCH_FOLDER, `n8n-${Date.now()}`) });
		const workflows = loadWorkflows(sandbox.url);
		const environment = new BenchEnvironment(sandbox, n8n, installation, workflows, log);
		try {
			log(`[bench] n8n user folder ${n8n.userFolder}; sandbox ${sandbox.url}`);
			await n8n.installPackage(tarball);
			await n8n.importCredentials(credentialImports(sandbox));
			await n8n.importWorkflows([...workflows.values()]);
			log('[bench] starting n8n');
			await n8n.start();
			await n8n.rest.ensureOwner();
			// Webhook-started workflows stay active for the whole run; the poll trigger only in its scenario.
			const webhookWorkflows = environment.webhookWorkflows();
			for (const workflow of webhookWorkflows) await n8n.rest.activateWorkflow(workflow.id!);
			for (const workflow of webhookWorkflows) await environment.waitForWebhook(workflow.id!);
		} catch (error) {
			await environment.close();
			throw error;
		}
		return environment;
	}

	/** Restarts n8n with these n8n settings (environment variables; {} = its defaults) and waits until the webhooks answer again. */
	async restartN8n(settings: Record<string, string>): Promise<void> {
		this.log(`[bench] restarting n8n with ${Object.keys(settings).length ? JSON.stringify(settings) : 'its default settings'}`);
		await this.n8n.restart(settings);
		for (const workflow of this.webhookWorkflows()) await this.waitForWebhook(workflow.id!);
	}

	/** The workflows started by a webhook-based trigger: active for the whole run. */
	webhookWorkflows(): WorkflowJson[] {
		return [...this.workflows.values()].filter((workflow) => workflow.nodes.some((node) => node.webhookId));
	}

	async close(): Promise<void> {
		this.agent.destroy();
		await this.n8n.stop();
		await this.sandbox.close();
	}

	workflow(id: string): WorkflowJson {
		const workflow = this.workflows.get(id);
		if (!workflow) throw new Error(`No bench workflow with id ${id} in ${WORKFLOW_FOLDER}`);
		return workflow;
	}

	/** Production URL of the workflow's webhook-based trigger node. */
	webhookUrl(workflowId: string): string {
		const trigger = this.workflow(workflowId).nodes.find((node) => node.webhookId);
		if (!trigger) throw new Error(`Workflow ${workflowId} has no webhook node`);
		const path =
			trigger.type === 'n8n-nodes-base.webhook'
				? String(trigger.parameters.path)
				: `${trigger.webhookId}/webhook`; // nodes with a fixed path: <webhookId>/<path>
		return `${this.n8n.url}/webhook/${path}`;
	}

	/**
	 * n8n registers an activated workflow's triggers a moment after the activate call returns.
	 * A GET to a POST-only webhook tells the two apart without starting an execution: 404 with
	 * "not registered" before, 404 with "Did you mean to make a POST request?" after.
	 */
	async waitForWebhook(workflowId: string, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const response = await fetch(this.webhookUrl(workflowId));
			const body = await response.text();
			if (response.status !== 404 || /POST request/i.test(body)) return;
			if (Date.now() > deadline) throw new Error(`The webhook of workflow ${workflowId} was not registered within ${timeoutMs} ms: ${body.slice(0, 200)}`);
			await sleep(250);
		}
	}

	/** Activates a polling workflow and waits until its activation poll has saved the node's state. */
	async activatePolling(workflowId: string, timeoutMs = 60_000): Promise<void> {
		await this.n8n.rest.activateWorkflow(workflowId);
		const deadline = Date.now() + timeoutMs;
		while (!(await this.n8n.rest.getWorkflow(workflowId)).staticData) {
			if (Date.now() > deadline) throw new Error(`Workflow ${workflowId} did not run its activation poll within ${timeoutMs} ms`);
			await sleep(250);
		}
	}

	/** Empties the sandbox (data, tokens, counters, rate-limit windows) and applies `settings`. */
	resetSandbox(settings: Partial<SandboxSettings> = {}): void {
		this.sandbox.reset(settings);
	}

	/**
	 * Starts a webhook-triggered bench workflow with `body`, waits for it to finish (the workflows
	 * answer when their last node is done) and returns n8n's record of the execution.
	 */
	async runWorkflow(workflowId: string, body: unknown): Promise<{ http: HttpResult; execution: ExecutionFigures }> {
		// n8n refuses the request (no execution starts) while its database recovers: send it again.
		const { http } = await waitingOutDatabaseRecovery(async () => {
			const answer = await post(this.webhookUrl(workflowId), body, { agent: this.agent });
			return { http: answer, status: answer.status, text: answer.body };
		});
		// A failed execution answers 500 and is still read below; anything else means no execution started.
		if (http.status >= 400 && http.status !== 500) {
			throw new Error(`n8n answered ${http.status} to workflow ${workflowId}'s webhook: ${http.body.slice(0, 300)}`);
		}
		const execution = await this.latestExecution(workflowId);
		return { http, execution };
	}

	/** The newest finished execution of a workflow that an earlier call has not returned yet. */
	async latestExecution(workflowId: string, timeoutMs = 60_000): Promise<ExecutionFigures> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const fresh = (await this.n8n.rest.listExecutions(workflowId)).find((execution) => !this.seenExecutions.has(execution.id));
			if (fresh && fresh.stoppedAt && !['new', 'running'].includes(fresh.status)) {
				this.seenExecutions.add(fresh.id);
				return executionFigures(await this.n8n.rest.getExecution(fresh.id));
			}
			if (Date.now() > deadline) throw new Error(`No finished execution of workflow ${workflowId} within ${timeoutMs} ms`);
			await sleep(200);
		}
	}

	/** Marks every execution so far as seen (after warm-ups or load runs whose executions are not read one by one). */
	async forgetExecutions(workflowId: string): Promise<void> {
		for (const execution of await this.n8n.rest.listExecutions(workflowId)) this.seenExecutions.add(execution.id);
	}

	/** How many executions n8n has recorded for a workflow (exact, however many). */
	async executionCount(workflowId: string): Promise<number> {
		return await this.n8n.rest.executionCount(workflowId);
	}

	/**
	 * Waits until n8n has finished every execution of the workflows (webhooks answered at once may
	 * leave executions running), so the next measurement does not pay for the previous one.
	 */
	async waitForIdle(workflowIds: string[], timeoutMs = 120_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let busy = 0;
			for (const id of workflowIds) {
				busy += (await this.n8n.rest.listExecutions(id)).filter((execution) => ['new', 'running'].includes(execution.status)).length;
			}
			if (busy === 0) return;
			if (Date.now() > deadline) {
				this.log(`[bench] warning: ${busy} executions still running after ${timeoutMs} ms`);
				return;
			}
			await sleep(500);
		}
	}
}

export function credentialImports(sandbox: Sandbox): CredentialImport[] {
	const host = { environment: 'custom', host: sandbox.url, tokenUrl: '', audience: '' };
	const { clientCredentials, apiKey, headerAuth } = CREDENTIALS;
	return [
		{ ...clientCredentials, data: { ...host, clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } },
		{ ...apiKey, data: { ...host, apiKey: 'sk_test_sandbox', apiSecret: '' } },
		// What a user of n8n's HTTP Request node would set up for the same key.
		{ ...headerAuth, data: { name: 'Authorization', value: 'Bearer sk_test_sandbox' } },
	];
}

function loadWorkflows(sandboxUrl: string): Map<string, WorkflowJson> {
	const workflows = new Map<string, WorkflowJson>();
	for (const file of readdirSync(WORKFLOW_FOLDER).filter((name) => name.endsWith('.json')).sort()) {
		const text = readFileSync(join(WORKFLOW_FOLDER, file), 'utf8').split(SANDBOX_URL_PLACEHOLDER).join(sandboxUrl);
		const workflow = JSON.parse(text) as WorkflowJson;
		if (!workflow.id) throw new Error(`${file} has no id`);
		workflows.set(workflow.id, workflow);
	}
	return workflows;
}

function executionFigures(execution: any): ExecutionFigures {
	const runData = (execution.data?.resultData?.runData ?? {}) as Record<string, any[]>;
	const nodes: ExecutionFigures['nodes'] = {};
	for (const [name, runs] of Object.entries(runData)) {
		const first = runs[0] ?? {};
		nodes[name] = {
			executionTimeMs: Number(first.executionTime ?? 0),
			items: Array.isArray(first.data?.main?.[0]) ? first.data.main[0].length : 0,
			...(first.error ? { error: String(first.error.message ?? first.error) } : {}),
		};
	}
	return {
		id: String(execution.id),
		status: String(execution.status),
		durationMs: Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt),
		nodes,
	};
}
