// One run of a lead-writing workflow (scenarios 1 and 2): a fresh sandbox, N leads in, and the
// figures from the sandbox's counters and records plus n8n's timing of the writing node.
import type { SandboxSettings } from '../../test/sandbox';
import type { BenchEnvironment } from '../lib/environment';
import { apiRequests, leadIntegrity, type ApiRequestFigures } from '../lib/figures';

export interface LeadWorkflow {
	key: string;
	/** Shown in the table. */
	label: string;
	workflowId: string;
	/** The node whose run time is measured. */
	node: string;
}

export const SALESOS_NODE = 'SalesOS';
export const HTTP_NODE = 'HTTP Request';

export interface LeadRunFigures {
	ok: boolean;
	error?: string;
	/** n8n's executionTime of the writing node, seconds. */
	nodeSeconds: number;
	executionSeconds: number;
	/** Webhook call to answer, as the bench saw it. */
	wallSeconds: number;
	requests: ApiRequestFigures;
	stored: number;
	lost: number;
	duplicated: number;
	/** Accepted API requests per second of node run time. */
	requestsPerSecond: number;
	/** Stored leads per second of node run time. */
	leadsPerSecond: number;
}

let batch = 0;

/** Leads with emails unique to this call. */
export function benchLeads(count: number): Array<{ name: string; email: string }> {
	batch++;
	const tag = `${Date.now().toString(36)}-${batch}`;
	return Array.from({ length: count }, (_, index) => ({
		name: `Bench Lead ${index + 1}`,
		email: `bench-${tag}-${index + 1}@example.com`,
	}));
}

export async function runLeadWorkflow(
	env: BenchEnvironment,
	workflow: LeadWorkflow,
	count: number,
	settings: Partial<SandboxSettings>,
): Promise<LeadRunFigures> {
	env.resetSandbox(settings);
	const leads = benchLeads(count);
	const { http, execution } = await env.runWorkflow(workflow.workflowId, { leads });
	const node = execution.nodes[workflow.node];
	const requests = apiRequests(env.sandbox.counters());
	const integrity = leadIntegrity(env.sandbox, leads.map((lead) => lead.email));
	const nodeSeconds = (node?.executionTimeMs ?? NaN) / 1000;
	return {
		ok: execution.status === 'success',
		...(execution.status === 'success' ? {} : { error: node?.error ?? `execution ${execution.status}` }),
		nodeSeconds,
		executionSeconds: execution.durationMs / 1000,
		wallSeconds: http.elapsedMs / 1000,
		requests,
		...integrity,
		requestsPerSecond: requests.accepted / nodeSeconds,
		leadsPerSecond: integrity.stored / nodeSeconds,
	};
}

/** One small run of each workflow, so code loading and first connections are not measured. */
export async function warmUp(env: BenchEnvironment, workflows: LeadWorkflow[], items: number, settings: Partial<SandboxSettings>): Promise<void> {
	for (const workflow of workflows) await runLeadWorkflow(env, workflow, items, settings);
}
