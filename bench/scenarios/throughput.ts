// Scenario 2: lead creates with no rate limit, SalesOS node vs n8n's HTTP Request node, and the
// SalesOS node's ways to fill in the fields: expressions per field (version 1's Name and Email)
// vs the field mapper's Map Automatically (version 2), which evaluates no expression per item, and
// the mapper with Name and Email as expressions (Map Each Column Manually, version 2).
import type { BenchConfig } from '../config';
import type { BenchEnvironment } from '../lib/environment';
import { formatNumber, type Row, type ScenarioResult } from '../lib/report';
import { median } from '../lib/stats';
import { HTTP_NODE, runLeadWorkflow, SALESOS_NODE, warmUp, type LeadRunFigures, type LeadWorkflow } from './leadWrites';

const SALESOS_DEFAULT: LeadWorkflow = { key: 'salesOsCreate', label: 'SalesOS Create, default options', workflowId: 'benchSosLeadCreate', node: SALESOS_NODE };
const SALESOS_100: LeadWorkflow = {
	key: 'salesOsCreate100',
	label: 'SalesOS Create, Max Concurrent Requests 100',
	workflowId: 'benchSosLeadCreate100',
	node: SALESOS_NODE,
};
const SALESOS_MAPPING: LeadWorkflow = {
	key: 'salesOsCreateMapping',
	label: 'SalesOS Create, Map Automatically (node version 2)',
	workflowId: 'benchSosLeadCreateMapping',
	node: SALESOS_NODE,
};
const SALESOS_MAPPED_EXPRESSIONS: LeadWorkflow = {
	key: 'salesOsCreateMappedExpressions',
	label: 'SalesOS Create, Map Each Column Manually with Name and Email as expressions (node version 2)',
	workflowId: 'benchSosLeadCreateMappedExpressions',
	node: SALESOS_NODE,
};
const HTTP_DEFAULT: LeadWorkflow = { key: 'httpDefault', label: 'HTTP Request, default settings', workflowId: 'benchHttpLeadCreate', node: HTTP_NODE };

export async function throughput(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const { leads, latencyMs, runs } = config.throughput;
	const settings = { rateLimit: null, latencyMs };
	const workflows = [SALESOS_DEFAULT, SALESOS_MAPPING, SALESOS_MAPPED_EXPRESSIONS, SALESOS_100, HTTP_DEFAULT];
	await warmUp(env, workflows, Math.max(config.warmUpItems, Math.round(leads / 10)), settings);

	const raw: Record<string, LeadRunFigures[]> = Object.fromEntries(workflows.map((workflow) => [workflow.key, []]));
	// Interleaved, so a slow moment of the shared machine does not hit one variant only.
	for (let run = 1; run <= runs; run++) {
		for (const workflow of workflows) {
			const figures = await runLeadWorkflow(env, workflow, leads, settings);
			raw[workflow.key].push(figures);
			log(`[2] run ${run}/${runs} ${workflow.label}: ${formatNumber(figures.leadsPerSecond)} leads/s (${formatNumber(figures.nodeSeconds)} s, ${figures.stored} stored${figures.ok ? '' : `, FAILED: ${figures.error}`})`);
		}
	}
	const rate = (key: string) => median(raw[key].map((figures) => figures.leadsPerSecond));
	const runsLabel = `median of ${runs}`;
	const rows: Row[] = [SALESOS_DEFAULT, SALESOS_100].map((variant) => ({
		metric: `leads created/s (${variant === SALESOS_DEFAULT ? 'default options' : 'Max Concurrent Requests 100'})`,
		salesOs: formatNumber(rate(variant.key)),
		baseline: HTTP_DEFAULT.label,
		baselineValue: formatNumber(rate(HTTP_DEFAULT.key)),
		ratio: rate(variant.key) / rate(HTTP_DEFAULT.key),
		goal: 'ratio ≥ 1',
		met: rate(variant.key) / rate(HTTP_DEFAULT.key) >= 1,
		runs: runsLabel,
	}));
	for (const [variant, metric] of [
		[SALESOS_MAPPING, 'leads created/s (fields mapped automatically, node version 2)'],
		[SALESOS_MAPPED_EXPRESSIONS, 'leads created/s (Name and Email as expressions in mapped fields, node version 2)'],
	] as const) {
		rows.push({
			metric,
			salesOs: formatNumber(rate(variant.key)),
			baseline: 'SalesOS Create, Name and Email as expressions (node version 1)',
			baselineValue: formatNumber(rate(SALESOS_DEFAULT.key)),
			ratio: rate(variant.key) / rate(SALESOS_DEFAULT.key),
			runs: runsLabel,
		});
	}
	const allStored = workflows.every((workflow) => raw[workflow.key].every((figures) => figures.stored === leads && figures.duplicated === 0));
	return {
		id: 2,
		title: 'Throughput with no limit',
		setup: `${formatNumber(leads)} lead creates, no rate limit, ${latencyMs} ms latency per request; rate = leads stored in the sandbox ÷ the node’s run time in n8n.`,
		rows,
		notes: [
			'Map Automatically takes each item’s name and email as they are; the expressions variants (version 1’s Name and Email, version 2’s mapped fields) evaluate {{ $json.name }} and {{ $json.email }} for every item. Same items, same sandbox, runs interleaved.',
			'The HTTP Request node sends every item’s request at once by default; the SalesOS node keeps at most “Max Concurrent Requests” (default 50) in flight and holds back when X-RateLimit-Remaining runs low, so large inputs meet SalesOS’s rate limits.',
			allStored ? `Every run stored all ${formatNumber(leads)} leads exactly once.` : 'Some runs did not store every lead exactly once: see the JSON file.',
		],
		raw: { ...raw },
	};
}
