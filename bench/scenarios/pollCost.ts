// Scenario 6: requests made by one scheduled poll of the SalesOS Poll Trigger in `n8n start`
// when a few records of a large account changed, next to re-reading every record.
import type { BenchConfig } from '../config';
import type { BenchEnvironment } from '../lib/environment';
import { apiRequests } from '../lib/figures';
import { formatNumber, type ScenarioResult } from '../lib/report';

const POLL_WORKFLOW = 'benchSosPollTrigger';
const POLL_NODE = 'SalesOS Poll Trigger';
const GET_ALL_WORKFLOW = 'benchSosLeadGetAll';
/** Seeded records were last changed long ago, as in a real account. */
const OLD_TIMESTAMP = '2024-01-02T03:04:05.000Z';

export async function pollCost(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const { records, changed, latencyMs } = config.poll;
	env.resetSandbox({ rateLimit: null, latencyMs });
	env.sandbox.seed({ resource: 'leads', count: records, sameUpdatedAt: OLD_TIMESTAMP, returnRecords: false });

	// Baseline: what a scheduled sync without `updated_after` does, read everything.
	env.sandbox.resetCounters();
	const getAll = await env.runWorkflow(GET_ALL_WORKFLOW, {});
	const getAllRequests = apiRequests(env.sandbox.counters()).total;
	const getAllSeconds = (getAll.execution.nodes.SalesOS?.executionTimeMs ?? NaN) / 1000;
	log(`[6] full re-read: ${getAllRequests} requests, ${getAll.execution.nodes.SalesOS?.items} records, ${formatNumber(getAllSeconds)} s`);

	// Activation runs the first poll at once ("Start From: Now" remembers the starting point).
	await env.forgetExecutions(POLL_WORKFLOW);
	env.sandbox.resetCounters();
	await env.activatePolling(POLL_WORKFLOW);
	const activationRequests = apiRequests(env.sandbox.counters()).total;
	try {
		const ids = [...env.sandbox.state.leads.values()].map((lead) => lead.id);
		const step = Math.floor(ids.length / changed);
		for (let index = 0; index < changed; index++) {
			env.sandbox.mutate({ resource: 'leads', id: ids[index * step], changes: { company: `Changed ${index + 1}` } });
		}
		env.sandbox.resetCounters();
		log(`[6] ${changed} of ${records} leads changed; waiting for the next every-minute poll ...`);
		const poll = await env.latestExecution(POLL_WORKFLOW, 130_000);
		const requests = apiRequests(env.sandbox.counters());
		const emitted = poll.nodes[POLL_NODE]?.items ?? 0;
		const expectedPages = Math.floor(changed / 100) + 1;
		log(`[6] poll: ${requests.total} requests, ${emitted} records emitted`);
		return {
			id: 6,
			title: 'Incremental poll cost',
			setup: `${formatNumber(records)} leads in the sandbox (last changed long ago), ${formatNumber(changed)} changed after activation; one scheduled (every minute) poll of an active SalesOS Poll Trigger in \`n8n start\`, default options.`,
			rows: [
				{
					metric: `requests made by one poll (${changed} changes)`,
					salesOs: formatNumber(requests.total),
					baseline: 'SalesOS Get Many, Return All (full re-read)',
					baselineValue: formatNumber(getAllRequests),
					ratio: requests.total / getAllRequests,
					goal: `≤ ${expectedPages} (pages of 100 changes, the last one short)`,
					met: requests.total <= expectedPages,
					runs: '1 run (a count)',
				},
				{
					metric: 'records emitted by the poll',
					salesOs: formatNumber(emitted),
					goal: String(changed),
					met: emitted === changed,
					runs: '1 run (a count)',
				},
			],
			notes: [
				`Requests are API calls counted by the sandbox (token requests during the poll: ${requests.tokenRequests}). The poll at activation made ${activationRequests}; the full re-read took ${formatNumber(getAllSeconds)} s.`,
			],
			raw: { records, changed, activationRequests, poll: { requests, emitted, execution: poll }, getAll: { requests: getAllRequests, seconds: getAllSeconds } },
		};
	} finally {
		await env.n8n.rest.deactivateWorkflow(POLL_WORKFLOW);
	}
}
