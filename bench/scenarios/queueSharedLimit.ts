// Scenario 7: one SalesOS rate limit shared by many executions at once, in n8n's queue mode
// (Redis, Postgres, 1 main, 2 workers --concurrency=5, 2 webhook processes) next to the same load
// in the one `n8n start` of the bench environment.
import { join } from 'node:path';

import { buildAndPack, REPO_ROOT } from '../../scripts/n8n/package';
import { QueueModeN8n } from '../../scripts/n8n/queue';
import type { BenchConfig } from '../config';
import { credentialImports, type BenchEnvironment } from '../lib/environment';
import { apiRequests, leadIntegrity } from '../lib/figures';
import { post } from '../lib/http';
import { formatNumber, type Row, type ScenarioResult } from '../lib/report';
import { benchLeads } from './leadWrites';

const WORKFLOW = 'benchSosLeadCreate';

interface LoadFigures {
	seconds: number;
	/** seconds ÷ (requests ÷ limit). */
	idealRatio: number;
	failedExecutions: number;
	stored: number;
	lost: number;
	duplicated: number;
	requests: number;
	rateLimited: number;
	tokenRequests: number;
}

export async function queueSharedLimit(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const { executions, leadsPerExecution, limit, windowMs, latencyMs } = config.queueShared;
	const settings = { rateLimit: { limit, windowMs, mode: 'tokenBucket' as const }, latencyMs };
	const idealSeconds = (executions * leadsPerExecution) / (limit / (windowMs / 1000));

	/** Starts every execution at once (the workflow answers when it is done) and counts the outcome at the sandbox. */
	const runLoad = async (webhookUrls: string[]): Promise<LoadFigures> => {
		env.resetSandbox(settings);
		const bodies = Array.from({ length: executions }, () => ({ leads: benchLeads(leadsPerExecution) }));
		const started = performance.now();
		const answers = await Promise.all(bodies.map((body, index) => post(webhookUrls[index % webhookUrls.length], body)));
		const seconds = (performance.now() - started) / 1000;
		const counters = env.sandbox.counters();
		const requests = apiRequests(counters, (route) => route === 'POST /v1/leads');
		const integrity = leadIntegrity(env.sandbox, bodies.flatMap((body) => body.leads.map((lead) => lead.email)));
		return {
			seconds,
			idealRatio: seconds / idealSeconds,
			failedExecutions: answers.filter((answer) => answer.status !== 200).length,
			...integrity,
			requests: requests.total,
			rateLimited: requests.rateLimited,
			tokenRequests: counters.tokenRequests,
		};
	};
	const describe = (figures: LoadFigures) =>
		`${formatNumber(figures.seconds)} s, ${figures.failedExecutions} failed, ${figures.stored} / ${figures.lost} / ${figures.duplicated}, ` +
		`${figures.rateLimited} × 429 of ${figures.requests}`;

	log(`[7] one n8n start: ${executions} executions × ${leadsPerExecution} creates at once, ${limit} per ${windowMs / 1000} s ...`);
	const single = await runLoad([env.webhookUrl(WORKFLOW)]);
	log(`[7]   ${describe(single)}`);

	log('[7] starting queue mode (Redis, Postgres, main, 2 workers, 2 webhook processes) ...');
	const tarball = await buildAndPack({ build: false, log, folder: join(REPO_ROOT, '.bench', 'queue-package') });
	const queue = await QueueModeN8n.create({ installation: env.installation, tarball, log });
	let queued: LoadFigures;
	try {
		await queue.importCredentials(credentialImports(env.sandbox));
		await queue.importWorkflows([env.workflow(WORKFLOW)]);
		await queue.main.publish(WORKFLOW);
		await queue.startN8n();
		const path = String(env.workflow(WORKFLOW).nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!.parameters.path);
		const urls = queue.webhookProcesses.map((webhookProcess) => `${webhookProcess.url}/webhook/${path}`);
		for (const url of urls) await waitForPostWebhook(url);
		log(`[7] queue mode: ${executions} executions × ${leadsPerExecution} creates at once ...`);
		queued = await runLoad(urls);
		log(`[7]   ${describe(queued)}`);
	} finally {
		await queue.stop();
	}

	const share = (figures: LoadFigures) => figures.rateLimited / figures.requests;
	const rows: Row[] = [
		{
			metric: 'time ÷ ideal (requests ÷ limit)',
			salesOs: formatNumber(queued.idealRatio, 3),
			baseline: 'the same load in one n8n start',
			baselineValue: formatNumber(single.idealRatio, 3),
			ratio: queued.seconds / single.seconds,
			goal: '≤ 1.15 (queue mode)',
			met: queued.idealRatio <= 1.15,
			runs: '1 run each',
		},
		{
			metric: 'failed executions; leads stored / lost / duplicated',
			salesOs: `${queued.failedExecutions}; ${[queued.stored, queued.lost, queued.duplicated].map((n) => formatNumber(n)).join(' / ')}`,
			baseline: 'the same load in one n8n start',
			baselineValue: `${single.failedExecutions}; ${[single.stored, single.lost, single.duplicated].map((n) => formatNumber(n)).join(' / ')}`,
			goal: `0; ${formatNumber(executions * leadsPerExecution)} / 0 / 0`,
			met: queued.failedExecutions === 0 && queued.lost === 0 && queued.duplicated === 0,
			runs: '1 run each',
		},
		{
			metric: '429s of all requests',
			salesOs: `${formatNumber(100 * share(queued), 1)} %`,
			baseline: 'the same load in one n8n start',
			baselineValue: `${formatNumber(100 * share(single), 1)} %`,
			goal: '≤ 5 %',
			met: share(queued) <= 0.05,
			runs: '1 run each',
		},
		{
			metric: 'token requests',
			salesOs: formatNumber(queued.tokenRequests),
			baseline: 'the same load in one n8n start',
			baselineValue: formatNumber(single.tokenRequests),
			goal: '≤ 1 per process',
			met: queued.tokenRequests <= queue.workers.length,
			runs: '1 run each',
		},
	];
	return {
		id: 7,
		title: 'Shared limit in queue mode',
		setup:
			`${executions} executions × ${leadsPerExecution} lead creates started at once (Webhook → Split Out → SalesOS Create, OAuth2 client credentials); ` +
			`sandbox token bucket of ${limit} requests per ${windowMs / 1000} s for the client, full at the start, ${latencyMs} ms latency. ` +
			`Queue mode: Redis, Postgres, 1 main, 2 workers --concurrency=5, 2 webhook processes; the baseline is the bench's one n8n start.`,
		rows,
		notes: [
			`Ideal = requests ÷ limit = ${formatNumber(idealSeconds)} s; a full bucket at the start lets a client finish sooner than that.`,
			'Time runs from the first webhook call to the last answer (the workflow answers when its last node is done). Leads are counted in the sandbox by email.',
		],
		raw: { idealSeconds, single, queued },
	};
}

/** A GET to the POST-only webhook says whether the webhook process knows it yet. */
async function waitForPostWebhook(url: string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(url);
		if (response.status === 404 && /POST request/i.test(await response.text())) return;
		if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
