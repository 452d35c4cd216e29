// Scenario 8: two-way sync between SalesOS and the sandbox's contact system (a plain contact API
// that posts every stored change to n8n), example 04 as shipped before issue 25 (whole-record
// pushes, echo recognised by a time window) and as shipped now (reconcile on state against a sync
// base), one after the other in the same n8n. The driver edits random fields of 20 linked records
// on random sides at a rising rate; after each rate, once everything is quiet, it counts the fields
// that differ between the systems and the edits lost, and how long each edit took to reach the
// other side.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { sleep } from '../../scripts/n8n/process';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import { withExternalUrl } from '../../scripts/examples';
import type { BenchConfig } from '../config';
import { CREDENTIALS, type BenchEnvironment } from '../lib/environment';
import { formatNumber, type Row, type ScenarioResult } from '../lib/report';
import { percentile } from '../lib/stats';
import { allowedFinal, randomEdit, SIMULTANEOUS_MS, SYNCED_FIELDS as FIELDS, type Edit } from '../../test/helpers/twoWayEdits';
import { seededRandom } from '../../test/sandbox/seededRandom';

const RECORDS = 20;
const BEFORE = 'example 04 before issue 25';

interface RateFigures {
	rate: number;
	edits: number;
	differingFields: number;
	lostEdits: number;
	reachedOtherSide: number;
	p50Ms: number;
	p99Ms: number;
	executions: number;
	salesOsRequests: number;
}

const VARIANTS = [
	{ key: 'before', label: 'example 04 before issue 25', file: join(__dirname, '..', 'twoWay', '04-before-issue-25.json') },
	{ key: 'now', label: 'example 04 now', file: join(__dirname, '..', '..', 'workflows', '04-two-way-sync.json') },
];

/** The example with the bench credential and the sandbox's contact system, under its own id. */
function benchCopy(file: string, key: string, sandboxUrl: string): WorkflowJson {
	const workflow = withExternalUrl(JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson, `${sandboxUrl}/external`);
	workflow.id = `benchTwoWay${key}`;
	workflow.name = `bench: two-way sync (${key})`;
	delete (workflow.settings as { errorWorkflow?: string }).errorWorkflow;
	for (const node of workflow.nodes) {
		if (node.credentials?.salesOsClientCredentialsApi) {
			node.credentials = { salesOsClientCredentialsApi: { id: CREDENTIALS.clientCredentials.id, name: CREDENTIALS.clientCredentials.name } };
		}
	}
	return workflow;
}

const totalRequests = (env: BenchEnvironment) =>
	Object.entries(env.sandbox.counters().requests)
		.filter(([route]) => route.includes('/v1/'))
		.reduce((sum, [, statuses]) => sum + Object.values(statuses).reduce((a, b) => a + b, 0), 0);

async function quiet(env: BenchEnvironment, workflowId: string): Promise<void> {
	const activity = () =>
		`${env.sandbox.counters().deliveries.length}/${env.sandbox.contacts.deliveries.length}/${env.sandbox.contacts.changes.length}/${env.sandbox.emittedEvents().length}`;
	for (;;) {
		const before = activity();
		await sleep(3000);
		if (activity() !== before || env.sandbox.counters().deliveryStats.pending > 0 || env.sandbox.contacts.deliveriesPending > 0) continue;
		const executions = await env.n8n.rest.listExecutions(workflowId);
		if (!executions.some((execution) => execution.status === 'running' || execution.status === 'new')) return;
	}
}

async function measureRate(env: BenchEnvironment, workflowId: string, contactIds: string[], rate: number, seconds: number, seed: number): Promise<RateFigures> {
	const leadOf = (contactId: string): any => (env.sandbox.records('leads') as any[]).find((lead) => lead.custom_fields?.external_id === contactId);
	const next = seededRandom(seed);
	const executionsBefore = await env.executionCount(workflowId);
	const requestsBefore = totalRequests(env);
	const edits: Edit[] = [];
	const count = rate * seconds;
	const started = Date.now();
	for (let i = 0; i < count; i++) {
		const due = started + (i * 1000) / rate;
		if (due > Date.now()) await sleep(due - Date.now());
		const edit = randomEdit(next, RECORDS, (field) =>
			({
				name: `Nome ${seed}-${rate}-${i}`,
				email: `b${i}.r${rate}.s${seed}.${Date.now()}@example.com`,
				phone: `+55117${String(rate).padStart(3, '0')}${String(i).padStart(5, '0')}`,
				company: `Empresa ${seed}-${rate}-${i}`,
			})[field],
		);
		const contactId = contactIds[edit.record];
		if (edit.side === 'salesOs') env.sandbox.mutate({ resource: 'leads', id: leadOf(contactId).id, changes: { [edit.field]: edit.value } });
		else env.sandbox.contacts.patch(contactId, { [edit.field]: edit.value }, 'crm-user');
		edits.push(edit);
	}
	await quiet(env, workflowId);

	let differingFields = 0;
	let lostEdits = 0;
	contactIds.forEach((contactId, record) => {
		const lead = leadOf(contactId) ?? {};
		const contact = env.sandbox.contacts.get(contactId) ?? ({} as Record<string, unknown>);
		for (const field of FIELDS) {
			if (String(lead[field] ?? '').toLowerCase() !== String(contact[field] ?? '').toLowerCase()) differingFields++;
			const own = edits.filter((edit) => edit.record === record && edit.field === field);
			if (own.length === 0) continue;
			const allowed = allowedFinal(own, '');
			// An edit counts as lost when neither system ends with it (nor with the policy's pick).
			if (!allowed.includes(String(lead[field])) && !allowed.includes(String(contact[field]))) lostEdits++;
		}
	});
	const latencies = edits.flatMap((edit) => {
		const contactId = contactIds[edit.record];
		const arrivedAt =
			edit.side === 'salesOs'
				? env.sandbox.contacts.changes.find((change) => change.contact.contact_id === contactId && change.contact[edit.field] === edit.value)?.contact.updated_at
				: env.sandbox.emittedEvents('lead.updated').find((event) => (event.data as any).custom_fields?.external_id === contactId && (event.data as any)[edit.field] === edit.value)?.ts;
		const at = arrivedAt === undefined ? NaN : Date.parse(String(arrivedAt));
		return Number.isNaN(at) ? [] : [Math.max(0, at - edit.at)];
	});
	return {
		rate,
		edits: edits.length,
		differingFields,
		lostEdits,
		reachedOtherSide: latencies.length,
		p50Ms: percentile(latencies, 50),
		p99Ms: percentile(latencies, 99),
		executions: (await env.executionCount(workflowId)) - executionsBefore,
		salesOsRequests: totalRequests(env) - requestsBefore,
	};
}

/** Links RECORDS contacts to leads through the workflow itself (contact created → lead created). */
async function linkRecords(env: BenchEnvironment, workflowId: string, key: string): Promise<string[]> {
	const ids = Array.from({ length: RECORDS }, (_, n) => `bench-${key}-${n}`);
	for (const [n, id] of ids.entries()) {
		env.sandbox.contacts.put(id, { name: `Bench ${n}`, email: `bench.${key}.${n}@example.com`, phone: `+551190000${String(n).padStart(4, '0')}`, company: `Bench Co ${n}` }, 'crm-user');
	}
	await quiet(env, workflowId);
	const linked = ids.filter((id) => (env.sandbox.records('leads') as any[]).some((lead) => lead.custom_fields?.external_id === id));
	if (linked.length !== ids.length) throw new Error(`only ${linked.length} of ${ids.length} contacts reached SalesOS`);
	return ids;
}

export async function twoWaySync(env: BenchEnvironment, config: BenchConfig, log: (line: string) => void): Promise<ScenarioResult> {
	const rates = config.quick ? [1, 4] : [1, 2, 4, 8];
	const seconds = config.quick ? 15 : 30;
	const raw: Record<string, RateFigures[]> = {};
	for (const variant of VARIANTS) {
		env.resetSandbox();
		const workflow = benchCopy(variant.file, variant.key, env.sandbox.url);
		// Created as the editor's Save does; active only while this variant is measured.
		const { id } = await env.n8n.rest.createWorkflow(workflow as unknown as Record<string, unknown>);
		await env.n8n.rest.activateWorkflow(id);
		const trigger = workflow.nodes.find((node) => node.name === 'Contact changed in your system')!;
		env.sandbox.contacts.webhookUrl = `${env.n8n.url}/webhook/${String(trigger.parameters.path)}`;
		await sleep(3000);
		try {
			const contactIds = await linkRecords(env, id, variant.key);
			raw[variant.key] = [];
			for (const rate of rates) {
				const figures = await measureRate(env, id, contactIds, rate, seconds, 25 + rate);
				log(`[bench] ${variant.label}, ${rate} edits/s: ${JSON.stringify(figures)}`);
				raw[variant.key].push(figures);
			}
		} finally {
			await env.n8n.rest.deactivateWorkflow(id);
			env.sandbox.contacts.webhookUrl = undefined;
		}
	}
	const sustained = (figures: RateFigures[]) => Math.max(0, ...figures.filter((run) => run.differingFields === 0 && run.lostEdits === 0).map((run) => run.rate));
	const [before, now] = [raw.before, raw.now];
	const at = (figures: RateFigures[], rate: number) => figures.find((run) => run.rate === rate)!;
	const rows: Row[] = [
		{ metric: 'Highest edit rate with 0 differing fields and 0 lost edits (edits/s)', salesOs: String(sustained(now)), baseline: BEFORE, baselineValue: String(sustained(before)), runs: `${seconds} s per rate, rates ${rates.join(', ')}` },
		...rates.flatMap((rate): Row[] => [
			{ metric: `${rate} edits/s: differing fields / lost edits after quiet`, salesOs: `${at(now, rate).differingFields} / ${at(now, rate).lostEdits}`, baseline: BEFORE, baselineValue: `${at(before, rate).differingFields} / ${at(before, rate).lostEdits}`, runs: `${at(now, rate).edits} edits` },
			{ metric: `${rate} edits/s: edit → other side p50 / p99 (ms)`, salesOs: `${formatNumber(at(now, rate).p50Ms, 0)} / ${formatNumber(at(now, rate).p99Ms, 0)}`, baseline: BEFORE, baselineValue: `${formatNumber(at(before, rate).p50Ms, 0)} / ${formatNumber(at(before, rate).p99Ms, 0)}`, runs: `${at(now, rate).reachedOtherSide} vs ${at(before, rate).reachedOtherSide} edits reached the other side` },
			{ metric: `${rate} edits/s: executions / SalesOS requests per edit`, salesOs: `${formatNumber(at(now, rate).executions / at(now, rate).edits)} / ${formatNumber(at(now, rate).salesOsRequests / at(now, rate).edits)}`, baseline: BEFORE, baselineValue: `${formatNumber(at(before, rate).executions / at(before, rate).edits)} / ${formatNumber(at(before, rate).salesOsRequests / at(before, rate).edits)}`, runs: '1 run' },
		]),
	];
	return {
		id: 8,
		title: 'Two-way sync: example 04 before and after issue 25',
		setup: `${RECORDS} linked lead/contact pairs, random side, record and field (name, email, phone, company) per edit, seeded; sandbox without latency`,
		rows,
		notes: [
			'"SalesOS" column: example 04 now; "baseline": example 04 as shipped before issue 25 (bench/twoWay/04-before-issue-25.json).',
			`Lost edit: neither system ends with the field's latest edit (nor, when the other side edited it within ${SIMULTANEOUS_MS / 1000} s, with that one).`,
			'Latency: from the driver\'s edit to the other system storing the value (contact updated_at, or the lead.updated event time).',
		],
		raw: raw as unknown as Record<string, unknown>,
	};
}
