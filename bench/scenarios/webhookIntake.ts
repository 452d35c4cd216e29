// Scenario 5: signed deliveries into an active SalesOS Trigger in `n8n start`, next to n8n's
// plain Webhook node in the same n8n; load comes from this process over loopback.
import { randomUUID } from 'node:crypto';

import { webhookSignature } from '../../test/sandbox';
import type { BenchConfig } from '../config';
import type { BenchEnvironment } from '../lib/environment';
import { keepAliveAgent, post } from '../lib/http';
import { formatNumber, type Row, type ScenarioResult } from '../lib/report';
import { median, percentile } from '../lib/stats';

const SECRET = 'whsec_bench_signing_secret'; // the Signing Secret in bench/workflows/salesos-trigger.json
const TRIGGER_WORKFLOW = 'benchSosTrigger';
const PLAIN_WORKFLOW = 'benchPlainWebhook';
/** Accepted deliveries sent again byte for byte (as SalesOS retries them) after the load runs. */
const REDELIVERIES = 100;

interface Delivery {
	body: string;
	headers: Record<string, string>;
}

interface LoadFigures {
	sent: number;
	statuses: Record<string, number>;
	accepted: number;
	seconds: number;
	perSecond: number;
	p50Ms: number;
	p99Ms: number;
	executionsStarted: number;
	/** Executions started ÷ (sending time + the time n8n needed afterwards to finish them). */
	sustainedPerSecond: number;
}

/** Signed lead.created deliveries as SalesOS sends them; `forged` ones are signed with another secret. */
function deliveries(count: number, forged = false): Delivery[] {
	return Array.from({ length: count }, (_, index) => {
		const id = `evt_${randomUUID()}`;
		const body = JSON.stringify({
			id,
			type: 'lead.created',
			version: '1',
			ts: new Date().toISOString(),
			tenant: 'bench',
			data: { id: randomUUID(), name: `Bench Lead ${index + 1}`, email: `bench-${id}@example.com`, status: 'new', custom_fields: {} },
		});
		return {
			body,
			headers: {
				'x-salesos-event': 'lead.created',
				'x-salesos-event-id': id,
				'x-salesos-signature': webhookSignature(forged ? 'whsec_not_the_secret' : SECRET, body),
			},
		};
	});
}

/** Sends every delivery with `concurrency` requests in flight; bodies and signatures are made beforehand. */
async function drive(url: string, batch: Delivery[], concurrency: number): Promise<Omit<LoadFigures, 'executionsStarted' | 'sustainedPerSecond'>> {
	const agent = keepAliveAgent(concurrency);
	const statuses: Record<string, number> = {};
	const latencies: number[] = [];
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < batch.length) {
				const delivery = batch[next++];
				try {
					const result = await post(url, delivery.body, { agent, headers: delivery.headers });
					statuses[result.status] = (statuses[result.status] ?? 0) + 1;
					latencies.push(result.elapsedMs);
				} catch (error) {
					const code = (error as NodeJS.ErrnoException).code ?? 'error';
					statuses[code] = (statuses[code] ?? 0) + 1;
				}
			}
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	agent.destroy();
	const accepted = Object.entries(statuses)
		.filter(([status]) => /^2\d\d$/.test(status))
		.reduce((sum, [, count]) => sum + count, 0);
	return { sent: batch.length, statuses, accepted, seconds, perSecond: accepted / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

async function measure(env: BenchEnvironment, workflowId: string, batch: Delivery[], concurrency: number): Promise<LoadFigures> {
	const before = await env.executionCount(workflowId);
	const started = performance.now();
	const figures = await drive(env.webhookUrl(workflowId), batch, concurrency);
	await env.waitForIdle([workflowId]);
	const seconds = (performance.now() - started) / 1000;
	const executionsStarted = (await env.executionCount(workflowId)) - before;
	return { ...figures, executionsStarted, sustainedPerSecond: executionsStarted / seconds };
}

export async function webhookIntake(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const { deliveries: count, concurrency, runs, warmUp } = config.webhook;
	await measure(env, TRIGGER_WORKFLOW, deliveries(warmUp), concurrency);
	await measure(env, PLAIN_WORKFLOW, deliveries(warmUp), concurrency);

	const raw: Record<'salesOs' | 'plainWebhook' | 'forged', LoadFigures[]> = { salesOs: [], plainWebhook: [], forged: [] };
	let lastAccepted: Record<'salesOs' | 'plainWebhook', Delivery[]> = { salesOs: [], plainWebhook: [] };
	for (let run = 1; run <= runs; run++) {
		lastAccepted = { salesOs: deliveries(count), plainWebhook: deliveries(count) };
		raw.salesOs.push(await measure(env, TRIGGER_WORKFLOW, lastAccepted.salesOs, concurrency));
		raw.plainWebhook.push(await measure(env, PLAIN_WORKFLOW, lastAccepted.plainWebhook, concurrency));
		raw.forged.push(await measure(env, TRIGGER_WORKFLOW, deliveries(count, true), concurrency));
		const [salesOs, plain, forged] = [raw.salesOs, raw.plainWebhook, raw.forged].map((list) => list[list.length - 1]);
		log(
			`[5] run ${run}/${runs}: SalesOS Trigger ${formatNumber(salesOs.perSecond)}/s (${JSON.stringify(salesOs.statuses)}), ` +
				`Webhook ${formatNumber(plain.perSecond)}/s (${JSON.stringify(plain.statuses)}), forged ${JSON.stringify(forged.statuses)} in ${formatNumber(forged.seconds)} s`,
		);
	}
	// SalesOS retries an event with the same id and bytes; the trigger must not run the workflow again.
	const redelivered = Math.min(REDELIVERIES, count);
	const redelivery = {
		salesOs: await measure(env, TRIGGER_WORKFLOW, lastAccepted.salesOs.slice(-redelivered), concurrency),
		plainWebhook: await measure(env, PLAIN_WORKFLOW, lastAccepted.plainWebhook.slice(-redelivered), concurrency),
	};
	log(`[5] redelivered ${redelivered} accepted events: ${redelivery.salesOs.executionsStarted} new SalesOS Trigger executions, ${redelivery.plainWebhook.executionsStarted} Webhook executions`);
	const med = (key: keyof typeof raw, pick: (figures: LoadFigures) => number) => median(raw[key].map(pick));
	const runsLabel = runs === 1 ? '1 run' : `median of ${runs}`;
	const plainLabel = 'n8n Webhook node (no signature check)';
	const forgedRejected = med('forged', (f) => f.statuses['401'] ?? 0);
	const forgedPerSecond = med('forged', (f) => (f.statuses['401'] ?? 0) / f.seconds);
	const rows: Row[] = [
		{
			metric: `deliveries accepted/s (${concurrency} in flight)`,
			salesOs: formatNumber(med('salesOs', (f) => f.perSecond)),
			baseline: plainLabel,
			baselineValue: formatNumber(med('plainWebhook', (f) => f.perSecond)),
			ratio: med('salesOs', (f) => f.perSecond) / med('plainWebhook', (f) => f.perSecond),
			goal: 'ratio ≥ 0.9',
			met: med('salesOs', (f) => f.perSecond) / med('plainWebhook', (f) => f.perSecond) >= 0.9,
			runs: runsLabel,
		},
		{
			metric: 'executions completed/s (until n8n finished them all)',
			salesOs: formatNumber(med('salesOs', (f) => f.sustainedPerSecond)),
			baseline: plainLabel,
			baselineValue: formatNumber(med('plainWebhook', (f) => f.sustainedPerSecond)),
			ratio: med('salesOs', (f) => f.sustainedPerSecond) / med('plainWebhook', (f) => f.sustainedPerSecond),
			runs: runsLabel,
		},
		...(['p50Ms', 'p99Ms'] as const).map(
			(key): Row => ({
				metric: `time to acknowledge, ${key === 'p50Ms' ? 'p50' : 'p99'} (ms)`,
				salesOs: formatNumber(med('salesOs', (f) => f[key])),
				baseline: plainLabel,
				baselineValue: formatNumber(med('plainWebhook', (f) => f[key])),
				ratio: med('salesOs', (f) => f[key]) / med('plainWebhook', (f) => f[key]),
				runs: runsLabel,
			}),
		),
		{
			metric: 'forged deliveries rejected/s (wrong secret → 401)',
			salesOs: formatNumber(forgedPerSecond),
			baseline: plainLabel,
			baselineValue: 'accepts them',
			goal: `all ${formatNumber(count)} rejected, 0 executions`,
			met: forgedRejected === count && raw.forged.every((figures) => figures.executionsStarted === 0),
			runs: runsLabel,
		},
		{
			metric: `redelivered events (same id and body) that started an execution, of ${redelivered}`,
			salesOs: formatNumber(redelivery.salesOs.executionsStarted),
			baseline: plainLabel,
			baselineValue: formatNumber(redelivery.plainWebhook.executionsStarted),
			goal: '0',
			met: redelivery.salesOs.executionsStarted === 0 && redelivery.salesOs.accepted === redelivered,
			runs: '1 run (a count)',
		},
	];
	const executionsMatch = raw.salesOs.every((figures) => figures.executionsStarted === figures.accepted);
	return {
		id: 5,
		title: 'Webhook intake',
		setup: `${formatNumber(count)} signed lead.created deliveries per run and target, ${concurrency} concurrent keep-alive connections from the bench process over loopback; both workflows active in \`n8n start\`, each delivery starts one execution (n8n saves each, its default).`,
		rows,
		notes: [
			executionsMatch
				? 'Every accepted SalesOS Trigger delivery started exactly one execution (n8n’s execution count).'
				: `Executions started vs accepted deliveries differ: ${raw.salesOs.map((f) => `${f.executionsStarted}/${f.accepted}`).join(', ')}.`,
			`The redeliveries are the last ${redelivered} events of the last run, sent again after the load with the same bytes; the trigger acknowledged ${redelivery.salesOs.accepted} of them with 2xx.`,
			'n8n 2.40 handles a request for its own Webhook node (static parameters) without entering its expression sandbox (the default `vm` engine, one isolate); for every other trigger node, SalesOS Trigger included, it enters the sandbox for each request. ' +
				'`N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false npm run bench -- --only=5` puts both nodes on the same footing.',
			'The load generator, n8n and its task runner share the same cores, so absolute rates are lower than on a dedicated n8n host; the ratio is the comparable figure.',
		],
		raw: { ...raw, redelivery },
	};
}
