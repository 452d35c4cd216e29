// The parts of n8n's internal REST API (what the editor uses) that the e2e suite and the demo
// need on a running `n8n start`: owner account, (de)activating workflows, reading executions.
// Publishing through the CLI only takes effect on the next start, and n8n calls a trigger's
// webhook `delete` only when a *running* instance deactivates the workflow, hence the REST calls.

export const DEFAULT_OWNER = {
	email: 'demo@salesos.example',
	firstName: 'SalesOS',
	lastName: 'Demo',
	password: 'SalesOS-demo-1',
};

/**
 * n8n answers every request with 503 "Database is not ready!" while its database health check fails,
 * and recovers by itself (seen on SQLite under the bench's heaviest baseline: "Database ping failed:
 * Database connection timed out", then "Database connection recovered" half a minute later).
 */
const DATABASE_RECOVERY_MS = 120_000;

/** Sends again, once a second, while n8n says its database is not ready; the last answer otherwise. */
export async function waitingOutDatabaseRecovery<T extends { status: number; text: string }>(send: () => Promise<T>): Promise<T> {
	const deadline = Date.now() + DATABASE_RECOVERY_MS;
	for (;;) {
		const answer = await send();
		if (answer.status !== 503 || !answer.text.includes('Database is not ready') || Date.now() > deadline) return answer;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

export class N8nRestClient {
	private cookie?: string;
	// n8n binds its session cookie to a browser id header.
	private readonly browserId = 'salesos-e2e';

	constructor(readonly baseUrl: string) {}

	forgetSession(): void {
		this.cookie = undefined;
	}

	/** Creates the owner account on a fresh instance (or logs in if it exists) and keeps the session. */
	async ensureOwner(owner = DEFAULT_OWNER): Promise<void> {
		const setup = await this.send('POST', '/rest/owner/setup', owner, { auth: false, allowFailure: true });
		if (setup.ok) return;
		await this.send('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password }, { auth: false });
	}

	/** Activates (publishes) a workflow on the running instance: triggers register now. */
	async activateWorkflow(workflowId: string): Promise<void> {
		const workflow = await this.send('GET', `/rest/workflows/${workflowId}`);
		await this.send('POST', `/rest/workflows/${workflowId}/activate`, { versionId: workflow.body.data.versionId });
	}

	/** Deactivates (unpublishes) a workflow on the running instance: triggers deregister now. */
	async deactivateWorkflow(workflowId: string): Promise<void> {
		await this.send('POST', `/rest/workflows/${workflowId}/deactivate`, {});
	}

	/** Creates a workflow as the signed-in owner (what the editor's Save does); returns it with its id. */
	async createWorkflow(workflow: Record<string, unknown>): Promise<any> {
		return (await this.send('POST', '/rest/workflows', workflow)).body.data;
	}

	async getWorkflow(workflowId: string): Promise<any> {
		return (await this.send('GET', `/rest/workflows/${workflowId}`)).body.data;
	}

	/**
	 * Executions of one workflow (newest first, up to 100: n8n 2.41 refuses a larger page), finished or
	 * running, one entry each. n8n reads running and finished executions in two queries, so one that ends
	 * between them is listed twice (CI saw id 2 as "running" and "success"); the finished entry wins.
	 */
	async listExecutions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const response = await this.send('GET', `/rest/executions?filter=${filter}&limit=100`);
		const byId = new Map<string, ExecutionSummary>();
		for (const execution of response.body.data.results as ExecutionSummary[]) {
			const listed = byId.get(execution.id);
			if (!listed || listed.status === 'running') byId.set(execution.id, execution);
		}
		return [...byId.values()];
	}

	/** How many executions n8n has recorded for a workflow (its own count: not limited to a page). */
	async executionCount(workflowId: string): Promise<number> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return Number((await this.send('GET', `/rest/executions?filter=${filter}&limit=1`)).body.data.count);
	}

	/** One execution with its run data (`data.resultData.runData`), parsed. */
	async getExecution(executionId: string): Promise<any> {
		const response = await this.send('GET', `/rest/executions/${executionId}`);
		const execution = response.body.data;
		// The REST API returns run data in n8n's flatted format (a JSON string of an array).
		if (typeof execution.data === 'string') execution.data = unflatten(JSON.parse(execution.data));
		return execution;
	}

	/** Every node type the editor's node panel lists (tool variants included), as the editor loads them. */
	async nodeTypes(): Promise<any[]> {
		return (await this.send('GET', '/types/nodes.json')).body;
	}

	/** What the editor's resource mapper loads: the columns a node's mapper method returns. */
	async resourceMapperFields(request: {
		nodeTypeAndVersion: { name: string; version: number };
		methodName: string;
		currentNodeParameters: Record<string, unknown>;
		credentials?: Record<string, { id: string; name: string }>;
		path?: string;
	}): Promise<any> {
		const body = { path: 'parameters.columns', ...request };
		return (await this.send('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', body)).body.data;
	}

	private async send(
		method: string,
		path: string,
		body?: unknown,
		options: { auth?: boolean; allowFailure?: boolean } = {},
	): Promise<{ ok: boolean; status: number; body: any }> {
		const headers: Record<string, string> = { 'browser-id': this.browserId, accept: 'application/json' };
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (options.auth !== false) {
			if (!this.cookie) await this.ensureOwner();
			headers.cookie = this.cookie!;
		}
		const { response, text } = await waitingOutDatabaseRecovery(async () => {
			const answer = await fetch(`${this.baseUrl}${path}`, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { response: answer, status: answer.status, text: await answer.text() };
		});
		const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		let parsed: any = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// Not JSON: keep the text for the error message.
		}
		if (!response.ok && !options.allowFailure) {
			throw new Error(`n8n ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
		}
		return { ok: response.ok, status: response.status, body: parsed };
	}
}

/**
 * Decodes n8n's "flatted" serialisation (the `flatted` npm package): an array whose first
 * element is the root and where string values that are numeric indexes point to other elements.
 */
export function unflatten(table: unknown[]): any {
	const revived = new Map<number, any>();
	const revive = (index: number): any => {
		if (revived.has(index)) return revived.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') {
			revived.set(index, value);
			return value;
		}
		const target: any = Array.isArray(value) ? [] : {};
		revived.set(index, target);
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			target[key] = typeof entry === 'string' && /^\d+$/.test(entry) ? revive(Number(entry)) : entry;
		}
		return target;
	};
	return revive(0);
}
