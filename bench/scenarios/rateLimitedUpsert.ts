// Scenario 1: 2,000 leads through SalesOS "Create or Update" against a rate limit, next to n8n's
// HTTP Request node doing the same POSTs with default settings and with batching tuned by hand.
import type { BenchConfig } from '../config';
import type { BenchEnvironment } from '../lib/environment';
import { formatNumber, type Row, type ScenarioResult } from '../lib/report';
import { median } from '../lib/stats';
import { HTTP_NODE, runLeadWorkflow, SALESOS_NODE, warmUp, type LeadRunFigures, type LeadWorkflow } from './leadWrites';

const SALESOS: LeadWorkflow = { key: 'salesOsUpsert', label: 'SalesOS Create or Update', workflowId: 'benchSosLeadUpsert', node: SALESOS_NODE };
const HTTP_DEFAULT: LeadWorkflow = { key: 'httpDefault', label: 'HTTP Request, default settings', workflowId: 'benchHttpLeadCreate', node: HTTP_NODE };
const HTTP_BATCHED: LeadWorkflow = {
	key: 'httpBatched',
	label: 'HTTP Request, batching 10 items / 1,000 ms',
	workflowId: 'benchHttpLeadCreateBatch',
	node: HTTP_NODE,
};

export async function rateLimitedUpsert(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const { leads, limit, windowMs, mode, latencyMs, runs } = config.rateLimited;
	const limitPerSecond = limit / (windowMs / 1000);
	const limited = { rateLimit: { limit, windowMs, mode }, latencyMs };
	const workflows = [SALESOS, HTTP_DEFAULT, HTTP_BATCHED];
	await warmUp(env, workflows, config.warmUpItems, { rateLimit: null, latencyMs });

	const raw: Record<string, LeadRunFigures[]> = Object.fromEntries(workflows.map((workflow) => [workflow.key, []]));
	for (let run = 1; run <= runs; run++) {
		for (const workflow of workflows) {
			log(`[1] run ${run}/${runs}: ${workflow.label}, ${leads} leads at ${limit} requests per ${windowMs / 1000} s ...`);
			const figures = await runLeadWorkflow(env, workflow, leads, limited);
			raw[workflow.key].push(figures);
			log(
				`[1]   ${figures.ok ? 'ok' : `FAILED (${figures.error})`}: ${formatNumber(figures.nodeSeconds)} s, ${figures.requests.accepted} accepted, ` +
					`${figures.requests.rateLimited} × 429, ${figures.stored} stored, ${figures.lost} lost, ${figures.duplicated} duplicated`,
			);
		}
	}

	const med = (key: string, pick: (figures: LeadRunFigures) => number) => median(raw[key].map(pick));
	const fraction = (key: string) => (raw[key].every((figures) => figures.ok) ? med(key, (f) => f.requestsPerSecond) / limitPerSecond : NaN);
	const failed = (key: string) => raw[key].some((figures) => !figures.ok);
	const describeFraction = (key: string) =>
		failed(key) ? `node failed (${raw[key].find((f) => !f.ok)?.error?.slice(0, 60) ?? 'error'})` : formatNumber(fraction(key), 3);
	const runsLabel = runs === 1 ? '1 run each' : `median of ${runs}`;
	const salesOsFraction = fraction(SALESOS.key);
	const integrity = (key: string) => [med(key, (f) => f.stored), med(key, (f) => f.lost), med(key, (f) => f.duplicated)].map((n) => formatNumber(n)).join(' / ');
	const rows: Row[] = [
		{
			metric: 'accepted requests/s ÷ limit',
			salesOs: describeFraction(SALESOS.key),
			baseline: HTTP_BATCHED.label,
			baselineValue: describeFraction(HTTP_BATCHED.key),
			ratio: salesOsFraction / fraction(HTTP_BATCHED.key),
			goal: '≥ 0.95',
			met: salesOsFraction >= 0.95,
			runs: runsLabel,
		},
		{
			metric: 'accepted requests/s ÷ limit',
			salesOs: describeFraction(SALESOS.key),
			baseline: HTTP_DEFAULT.label,
			baselineValue: describeFraction(HTTP_DEFAULT.key),
			runs: runsLabel,
		},
		...[HTTP_DEFAULT, HTTP_BATCHED].map(
			(baseline): Row => ({
				metric: 'leads stored / lost / duplicated',
				salesOs: integrity(SALESOS.key),
				baseline: baseline.label,
				baselineValue: integrity(baseline.key),
				goal: `${formatNumber(leads)} / 0 / 0`,
				met: med(SALESOS.key, (f) => f.lost) === 0 && med(SALESOS.key, (f) => f.duplicated) === 0 && med(SALESOS.key, (f) => f.stored) === leads,
				runs: runsLabel,
			}),
		),
		...[HTTP_DEFAULT, HTTP_BATCHED].map(
			(baseline): Row => ({
				metric: '429 responses received',
				salesOs: formatNumber(med(SALESOS.key, (f) => f.requests.rateLimited)),
				baseline: baseline.label,
				baselineValue: formatNumber(med(baseline.key, (f) => f.requests.rateLimited)),
				runs: runsLabel,
			}),
		),
		{
			metric: 'leads stored per second',
			salesOs: formatNumber(med(SALESOS.key, (f) => f.leadsPerSecond)),
			baseline: HTTP_BATCHED.label,
			baselineValue: formatNumber(med(HTTP_BATCHED.key, (f) => f.leadsPerSecond)),
			ratio: med(SALESOS.key, (f) => f.leadsPerSecond) / med(HTTP_BATCHED.key, (f) => f.leadsPerSecond),
			runs: runsLabel,
		},
	];
	const salesOsRequestsPerLead = med(SALESOS.key, (f) => f.requests.accepted) / leads;
	return {
		id: 1,
		title: 'Bulk upsert under a rate limit',
		setup:
			`${formatNumber(leads)} new leads; sandbox limit ${formatNumber(limit)} requests per ${windowMs / 1000} s (${mode} window, per credential), ${latencyMs} ms latency. ` +
			`SalesOS node: Lead → Create or Update, match on email, default options (OAuth2 client credentials). ` +
			`Baselines: HTTP Request node POSTing each lead to /v1/leads (API key header).`,
		rows,
		notes: [
			'Rate = requests the sandbox let through (authenticated, not 429) ÷ the node’s run time as n8n recorded it, ÷ the limit per second. ' +
				'A window limiter lets a whole window’s worth through at once, so a client that bursts and then waits out each window can average above the limit ' +
				`(at most about ${formatNumber(ceilingFraction(Math.round(salesOsRequestsPerLead * leads), limit, windowMs), 2)} for the SalesOS node’s request count here); pacing evenly at the limit gives 1.0.`,
			`Create or Update with Existing Record Check “Automatic” looks the first leads up, then, as they all turn out to be new, creates first (a 409 would become the update): ` +
				`${formatNumber(salesOsRequestsPerLead, 3)} accepted requests per lead (the HTTP baselines only POST).`,
			'Stored / lost / duplicated are counted in the sandbox’s lead records by email.',
		],
		raw: { limitPerSecond, ...raw },
	};
}

/** Upper bound of (requests ÷ time) ÷ limit under a window limiter: every window but the last waited out in full, the last one instant. */
function ceilingFraction(requests: number, limit: number, windowMs: number): number {
	const fullWindows = Math.ceil(requests / limit) - 1;
	const seconds = (fullWindows * windowMs) / 1000;
	return seconds === 0 ? Infinity : requests / seconds / (limit / (windowMs / 1000));
}
