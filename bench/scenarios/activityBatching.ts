// Scenario 4: activities through the Default Integration — the SalesOS node's batches of 1,000
// vs n8n's HTTP Request node sending one request per activity.
import type { BenchConfig } from '../config';
import type { BenchEnvironment } from '../lib/environment';
import { apiRequests } from '../lib/figures';
import { post } from '../lib/http';
import { formatNumber, type ScenarioResult } from '../lib/report';
import { median } from '../lib/stats';

const COLLABORATOR_EMAIL = 'bench.collaborator@example.com';
const VARIANTS = [
	{ key: 'salesOs', label: 'SalesOS Activity → Sync', workflowId: 'benchSosActivitySync', node: 'SalesOS' },
	{ key: 'httpPerItem', label: 'HTTP Request, one request per activity (default settings)', workflowId: 'benchHttpActivityItem', node: 'HTTP Request' },
] as const;

interface ActivityRunFigures {
	ok: boolean;
	error?: string;
	requests: number;
	stored: number;
	nodeSeconds: number;
	executionSeconds: number;
}

let batch = 0;

function activities(count: number) {
	batch++;
	const tag = `${Date.now().toString(36)}-${batch}`;
	const occurredAt = new Date().toISOString();
	return Array.from({ length: count }, (_, index) => ({
		activity_code: String((index % 999) + 1).padStart(3, '0'),
		external_id: `bench-${tag}-${index + 1}`,
		collaborator_email: COLLABORATOR_EMAIL,
		occurred_at: occurredAt,
	}));
}

async function runOnce(env: BenchEnvironment, variant: (typeof VARIANTS)[number], count: number, latencyMs: number): Promise<ActivityRunFigures> {
	env.resetSandbox({ rateLimit: null, latencyMs });
	// Activities of an unknown collaborator are skipped, so the collaborator exists first.
	const setup = await post(
		`${env.sandbox.url}/functions/v1/default-integration`,
		{ action: 'sync_collaborators', collaborators: [{ email: COLLABORATOR_EMAIL, name: 'Bench Collaborator', external_id: 'bench-collaborator' }] },
		{ headers: { authorization: 'Bearer sk_test_sandbox' } },
	);
	if (setup.status !== 200) throw new Error(`Creating the bench collaborator failed: ${setup.status} ${setup.body}`);
	env.sandbox.resetCounters();
	const { execution } = await env.runWorkflow(variant.workflowId, { activities: activities(count) });
	const node = execution.nodes[variant.node];
	return {
		ok: execution.status === 'success',
		...(execution.status === 'success' ? {} : { error: node?.error ?? execution.status }),
		requests: apiRequests(env.sandbox.counters()).total,
		stored: env.sandbox.state.activities.size,
		nodeSeconds: (node?.executionTimeMs ?? NaN) / 1000,
		executionSeconds: execution.durationMs / 1000,
	};
}

export async function activityBatching(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const { count, latencyMs, runs } = config.activities;
	for (const variant of VARIANTS) await runOnce(env, variant, Math.max(config.warmUpItems, Math.round(count / 20)), latencyMs);

	const raw: Record<string, ActivityRunFigures[]> = { salesOs: [], httpPerItem: [] };
	for (let run = 1; run <= runs; run++) {
		for (const variant of VARIANTS) {
			const figures = await runOnce(env, variant, count, latencyMs);
			raw[variant.key].push(figures);
			log(`[4] run ${run}/${runs} ${variant.label}: ${figures.requests} requests, ${figures.stored} stored, ${formatNumber(figures.nodeSeconds)} s${figures.ok ? '' : `, FAILED: ${figures.error}`}`);
		}
	}
	const med = (key: string, pick: (figures: ActivityRunFigures) => number) => median(raw[key].map(pick));
	const runsLabel = runs === 1 ? '1 run' : `median of ${runs}`;
	const expectedRequests = Math.ceil(count / 1000);
	const failedBaseline = raw.httpPerItem.find((figures) => !figures.ok);
	return {
		id: 4,
		title: 'Activity batching',
		setup: `${formatNumber(count)} activities (one known collaborator), no rate limit, ${latencyMs} ms latency; API key authentication for both.`,
		rows: [
			{
				metric: 'requests sent (sandbox count)',
				salesOs: formatNumber(med('salesOs', (f) => f.requests)),
				baseline: VARIANTS[1].label,
				baselineValue: formatNumber(med('httpPerItem', (f) => f.requests)),
				ratio: med('salesOs', (f) => f.requests) / med('httpPerItem', (f) => f.requests),
				goal: String(expectedRequests),
				met: med('salesOs', (f) => f.requests) === expectedRequests,
				runs: runsLabel,
			},
			{
				metric: 'node run time (s)',
				salesOs: formatNumber(med('salesOs', (f) => f.nodeSeconds)),
				baseline: VARIANTS[1].label,
				baselineValue: failedBaseline ? `${formatNumber(med('httpPerItem', (f) => f.nodeSeconds))} (failed: ${failedBaseline.error?.slice(0, 60)})` : formatNumber(med('httpPerItem', (f) => f.nodeSeconds)),
				ratio: med('salesOs', (f) => f.nodeSeconds) / med('httpPerItem', (f) => f.nodeSeconds),
				runs: runsLabel,
			},
			{
				metric: 'activities stored',
				salesOs: formatNumber(med('salesOs', (f) => f.stored)),
				baseline: VARIANTS[1].label,
				baselineValue: formatNumber(med('httpPerItem', (f) => f.stored)),
				goal: formatNumber(count),
				met: med('salesOs', (f) => f.stored) === count,
				runs: runsLabel,
			},
		],
		notes: [
			'The Default Integration takes up to 1,000 activities per request; the node fills each request to that maximum.',
			'Both nodes evaluate their parameter expressions once per item (the SalesOS node four) in n8n’s default `vm` expression engine, which takes most of the SalesOS node’s time here; `N8N_EXPRESSION_ENGINE=legacy npm run bench -- --only=4` shows the share.',
		],
		raw,
	};
}
