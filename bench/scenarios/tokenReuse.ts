// Scenario 3: token requests over many executions of a workflow with SalesOS calls.
import type { BenchConfig } from '../config';
import type { BenchEnvironment } from '../lib/environment';
import { apiRequests } from '../lib/figures';
import { formatNumber, type ScenarioResult } from '../lib/report';
import { benchLeads } from './leadWrites';

const WORKFLOW = 'benchSosLeadCreate';

export async function tokenReuse(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const { executions, callsPerExecution, latencyMs } = config.tokenReuse;
	const settings = { rateLimit: null, latencyMs };
	env.resetSandbox(settings);
	await env.runWorkflow(WORKFLOW, { leads: benchLeads(callsPerExecution) });
	// A reset invalidates every token n8n holds, as an expiry would: the first call gets a 401.
	env.resetSandbox(settings);

	const failures: string[] = [];
	const started = performance.now();
	for (let execution = 1; execution <= executions; execution++) {
		const { execution: figures } = await env.runWorkflow(WORKFLOW, { leads: benchLeads(callsPerExecution) });
		if (figures.status !== 'success') failures.push(`${figures.id}: ${figures.nodes.SalesOS?.error ?? figures.status}`);
		if (execution % 25 === 0) log(`[3] ${execution}/${executions} executions`);
	}
	const seconds = (performance.now() - started) / 1000;
	const counters = env.sandbox.counters();
	const requests = apiRequests(counters);
	const created = counters.requests['POST /v1/leads']?.['201'] ?? 0;
	const tokenRequests = counters.tokenRequests;
	return {
		id: 3,
		title: 'Token reuse',
		setup: `${executions} executions, one after another, of a workflow whose SalesOS node makes ${callsPerExecution} calls (lead creates); OAuth2 client credentials; the sandbox had just invalidated every token.`,
		rows: [
			{
				metric: 'token requests at the sandbox',
				salesOs: formatNumber(tokenRequests),
				baseline: 'a new token per execution (by construction, not run)',
				baselineValue: formatNumber(executions),
				ratio: tokenRequests / executions,
				goal: '1',
				met: tokenRequests === 1,
				runs: '1 run (a count)',
			},
		],
		notes: [
			`${formatNumber(created)} of ${formatNumber(executions * callsPerExecution)} creates answered 201; ${requests.unauthorized} answered 401 (the invalidated token) and ${failures.length} executions failed; ${formatNumber(seconds)} s in total.`,
			'The token lives in the credential’s hidden, expirable field: n8n stores it with the credential, so every later execution (and every queue-mode worker) reuses it until SalesOS answers 401.',
		],
		raw: { executions, callsPerExecution, seconds, tokenRequests, tokensIssued: counters.tokensIssued, requests, failures },
	};
}
