// Two-way sync in a real n8n 2.40.7: the shipped example 04 between the SalesOS sandbox and its
// contact system (a plain contact API that reports every stored change, the sync's own writes too).
// A test driver edits either side as its users would: SalesOS leads (signed SalesOS webhooks follow)
// and contacts (the contact system's change webhook follows). Each case waits until both systems
// and n8n are quiet, then checks the values on both sides and the executions it took.
import { randomUUID } from 'node:crypto';

import { fingerprint, serialiseSyncBase } from '../../nodes/SalesOs/records/syncBase';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import type { Contact } from '../sandbox';
import { seededRandom } from '../sandbox/seededRandom';
import { allowedFinal, randomEdit, SYNCED_FIELDS as FIELDS, type Edit, type SyncedField as Field } from '../helpers/twoWayEdits';
import { productionWebhookUrl, setUpRealN8n, waitFor, type RealN8n } from './harness';

type Values = Record<Field, string>;

/** Example 04 with other Settings, its own webhook paths and id, so it can be published instead of it. */
interface Variant {
	key: string;
	workflow: WorkflowJson;
}

const VARIANT_SETTINGS: Record<string, { conflictPolicy?: string; onDelete?: string }> = {
	salesOsWins: { conflictPolicy: 'salesOsWins' },
	otherWins: { conflictPolicy: 'otherWins' },
	flag: { conflictPolicy: 'flag' },
	propagate: { onDelete: 'propagate' },
};

function variantOf(example: WorkflowJson, key: string): WorkflowJson {
	const copy = structuredClone(example);
	copy.id = `SalesOsE2eTwoWay${key[0].toUpperCase()}${key.slice(1)}`;
	copy.name = `${example.name} (${key})`;
	for (const node of copy.nodes) {
		if (node.name === 'Settings') {
			for (const assignment of node.parameters.assignments.assignments) {
				const value = VARIANT_SETTINGS[key][assignment.name as 'onDelete'];
				if (value) assignment.value = value;
			}
		}
		if (node.name === 'SalesOS Trigger') node.webhookId = randomUUID();
		if (node.name === 'Contact changed in your system') {
			node.webhookId = randomUUID();
			node.parameters.path = `salesos-two-way-contact-${key}`;
		}
	}
	return copy;
}

let env: RealN8n;
const variants: Record<string, Variant> = {};
let active: Variant;

const triggerUrl = (variant: Variant) => productionWebhookUrl(env.n8n, variant.workflow, 'SalesOS Trigger');
const subscriptionOf = (variant: Variant) =>
	env.sandbox.webhooks().find((webhook) => webhook.url === triggerUrl(variant) && webhook.active);

/**
 * Publishes this variant alone: its trigger subscribed, the contact system posting to its webhook.
 * Switched with the CLI while n8n is stopped, as example 04 itself is published: n8n 2.40.7
 * deregisters the unpublished trigger at the next start and registers the new one.
 */
async function use(key: string) {
	if (active.key === key) return;
	const next = variants[key];
	await env.n8n.stop();
	await env.n8n.cli(['unpublish:workflow', `--id=${active.workflow.id}`]);
	await env.n8n.publish(next.workflow.id!);
	await env.n8n.start();
	await env.n8n.rest.ensureOwner();
	await waitFor('the subscription of the variant', () => subscriptionOf(next), 60_000);
	// Registered is not yet live: SalesOS's retries (300 and 600 ms here) could miss the webhook.
	// Live, it refuses an unsigned delivery with 401 (before, n8n answers 404).
	await waitFor('the trigger’s webhook to be live', async () => (await fetch(triggerUrl(next), { method: 'POST', body: '{}' })).status === 401, 60_000);
	env.sandbox.contacts.webhookUrl = productionWebhookUrl(env.n8n, next.workflow, 'Contact changed in your system');
	active = next;
}

beforeAll(async () => {
	env = await setUpRealN8n({
		moreWorkflows: (examples) =>
			Object.keys(VARIANT_SETTINGS).map((key) => (variants[key] = { key, workflow: variantOf(examples['04'], key) }).workflow),
	});
	const example = env.examples['04'];
	variants.newestWins = { key: 'newestWins', workflow: example };
	active = variants.newestWins;
	await env.n8n.publish(example.id!);
	await env.n8n.start();
	await env.n8n.rest.ensureOwner();
	await waitFor('the trigger to register', () => subscriptionOf(active));
	env.sandbox.contacts.webhookUrl = productionWebhookUrl(env.n8n, example, 'Contact changed in your system');
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

// --- the two systems -------------------------------------------------------------------------

let serial = 0;
/** A lead and a contact that the sync linked earlier: equal values, the base stored in the lead. */
function linkedPair(values: Partial<Values> = {}): { leadId: string; contactId: string; start: Values } {
	const n = ++serial;
	const contactId = `crm-e2e-${n}`;
	const start: Values = {
		name: `Pessoa ${n}`,
		email: `pessoa.${n}.${Date.now()}@example.com`,
		phone: `+55119${String(10_000_000 + n).padStart(8, '0')}`,
		company: `Empresa ${n}`,
		...values,
	};
	const base = serialiseSyncBase(Object.fromEntries(FIELDS.map((field) => [field, fingerprint(field, start[field])])));
	const [lead] = env.sandbox.seed({ resource: 'leads', records: [{ ...start, custom_fields: { external_id: contactId, sync_base: base } }] })
		.records as any[];
	const url = env.sandbox.contacts.webhookUrl;
	env.sandbox.contacts.webhookUrl = undefined;
	env.sandbox.contacts.put(contactId, start, 'crm-user');
	env.sandbox.contacts.webhookUrl = url;
	return { leadId: lead.id, contactId, start };
}

const leadOf = (id: string): any => (env.sandbox.records('leads') as any[]).find((lead) => lead.id === id);
const contactOf = (id: string): Contact | undefined => env.sandbox.contacts.get(id);
const valuesOf = (record: Record<string, unknown> | undefined): Partial<Values> =>
	Object.fromEntries(FIELDS.map((field) => [field, record?.[field] ?? null]));

const editLead = (id: string, changes: Partial<Values>, updatedAt?: string) =>
	env.sandbox.mutate({ resource: 'leads', id, changes, ...(updatedAt ? { updatedAt } : {}) });
const editContact = (id: string, changes: Partial<Values>) => env.sandbox.contacts.patch(id, changes, 'crm-user');

// --- executions, counted where they start ------------------------------------------------------

/**
 * Executions started since `mark`: every contact-system delivery n8n took (its Webhook node always
 * starts one) and every SalesOS event the active trigger accepted, once (an attempt that timed out
 * on a busy n8n may have started one: its retry is answered as a duplicate, which counts it).
 */
function executionsSince(mark: { salesOs: number; contacts: number }): number {
	const accepted = env.sandbox
		.counters()
		.deliveries.slice(mark.salesOs)
		.filter((attempt) => attempt.ok && attempt.url === triggerUrl(active))
		.filter((attempt) => !(attempt.response as { ignored?: string } | undefined)?.ignored);
	const salesOs = new Set(accepted.map((attempt) => attempt.eventId)).size;
	const contacts = env.sandbox.contacts.deliveries.slice(mark.contacts).filter((delivery) => delivery.status === 200).length;
	return salesOs + contacts;
}

const markNow = () => ({ salesOs: env.sandbox.counters().deliveries.length, contacts: env.sandbox.contacts.deliveries.length });

/** Both systems and n8n quiet: nothing delivered, pending or running for two seconds. */
async function quiet(timeoutMs = 120_000): Promise<void> {
	const activity = () =>
		`${env.sandbox.counters().deliveries.length}/${env.sandbox.contacts.deliveries.length}/${env.sandbox.contacts.changes.length}/${env.sandbox.emittedEvents().length}`;
	await waitFor(
		'both systems and n8n to be quiet',
		async () => {
			const before = activity();
			await new Promise((resolve) => setTimeout(resolve, 2000));
			if (activity() !== before) return false;
			if (env.sandbox.counters().deliveryStats.pending > 0 || env.sandbox.contacts.deliveriesPending > 0) return false;
			const executions = await env.n8n.rest.listExecutions(active.workflow.id!);
			if (executions.some((execution) => execution.status === 'running' || execution.status === 'new')) return false;
			return true;
		},
		timeoutMs,
	);
}

/** Items that reached a node in the executions since `sinceId` (exclusive). */
async function itemsAt(nodeName: string, sinceId = 0): Promise<any[]> {
	const executions = (await env.n8n.rest.listExecutions(active.workflow.id!)).filter((execution) => Number(execution.id) > sinceId);
	const runs = await Promise.all(executions.map(async (execution) => (await env.n8n.rest.getExecution(execution.id)).data));
	return runs.flatMap((run) =>
		(run?.resultData?.runData?.[nodeName] ?? []).flatMap((entry: any) => (entry.data?.main?.[0] ?? []).map((item: any) => item.json)),
	);
}

async function lastExecutionId(): Promise<number> {
	const executions = await env.n8n.rest.listExecutions(active.workflow.id!);
	return Math.max(0, ...executions.map((execution) => Number(execution.id)));
}

/** Bound on executions: one per delivery of an edit (2 per edit: the edit and the sync's own write it caused). */
const MAX_EXECUTIONS_PER_EDIT = 2;

describe('cases (example 04, newest change wins unless said otherwise)', () => {
	test('a SalesOS user’s edit 1.5 s after the sync wrote that lead reaches the contact; the sync’s own write is skipped by content', async () => {
		const { leadId, contactId } = linkedPair();
		const mark = markNow();
		editContact(contactId, { company: 'Renamed by contact user' });
		await waitFor('the sync write in SalesOS', () => leadOf(leadId).company === 'Renamed by contact user');
		await new Promise((resolve) => setTimeout(resolve, 1500));
		editLead(leadId, { phone: '+5511988887777' });
		await waitFor('the phone in the contact', () => contactOf(contactId)?.phone === '+5511988887777', 30_000);
		await quiet();
		expect(valuesOf(contactOf(contactId))).toEqual(valuesOf(leadOf(leadId)));
		expect(leadOf(leadId)).toMatchObject({ company: 'Renamed by contact user', phone: '+5511988887777' });
		const answers = env.sandbox.counters().deliveries.slice(mark.salesOs).filter((attempt) => attempt.url === triggerUrl(active));
		expect(answers.map((attempt) => attempt.response)).toEqual(
			expect.arrayContaining([{ received: true, ignored: 'own change' }, { received: true }]),
		);
		expect(executionsSince(mark)).toBeLessThanOrEqual(2 * MAX_EXECUTIONS_PER_EDIT);
	});

	test('simultaneous edits of different fields on both sides both survive on both sides', async () => {
		const { leadId, contactId } = linkedPair();
		const mark = markNow();
		editLead(leadId, { phone: '+5511977776666' });
		editContact(contactId, { company: 'Contact side company' });
		await quiet();
		const expected = { phone: '+5511977776666', company: 'Contact side company' };
		expect(leadOf(leadId)).toMatchObject(expected);
		expect(contactOf(contactId)).toMatchObject(expected);
		expect(executionsSince(mark)).toBeLessThanOrEqual(2 * MAX_EXECUTIONS_PER_EDIT);
	});

	test('a contact emptied of its phone does not erase the SalesOS phone: the contact gets it back', async () => {
		const { leadId, contactId, start } = linkedPair();
		editContact(contactId, { phone: '' });
		await quiet();
		expect(leadOf(leadId).phone).toBe(start.phone);
		expect(contactOf(contactId)?.phone).toBe(start.phone);
	});

	test('deletes with onDelete = flag (the default): both deletions go to Deletions to review, nothing else is deleted', async () => {
		const first = linkedPair();
		const second = linkedPair();
		const since = await lastExecutionId();
		env.sandbox.mutate({ resource: 'leads', id: first.leadId, op: 'delete' });
		env.sandbox.contacts.delete(second.contactId, 'crm-user');
		await quiet();
		expect(contactOf(first.contactId)).toBeDefined();
		expect(leadOf(second.leadId)).toBeDefined();
		const reviewed = await itemsAt('Deletions to review', since);
		expect(reviewed.map((item) => item.event?.type ?? item.body?.change).sort()).toEqual(['deleted', 'lead.deleted']);
	});

});

// --- randomized convergence ------------------------------------------------------------------

const valueFor = (field: Field, seed: number, i: number): string =>
	({
		name: `Nome ${seed}-${i}`,
		email: `e${i}.s${seed}.${Date.now()}@example.com`,
		phone: `+55118${String(seed % 1000).padStart(3, '0')}${String(i).padStart(5, '0')}`,
		company: `Empresa ${seed}-${i}`,
	})[field];

const SEEDS = (process.env.SALESOS_TWO_WAY_SEEDS ?? '1,2,3').split(',').map(Number);
const RECORDS = 20;
const EDITS = 100;

describe('randomized convergence (newest change wins)', () => {
	test.each(SEEDS)('seed %i: 20 linked records, 100 edits at random moments on random sides and fields; once quiet, 0 records differ and 0 edits are lost', async (seed) => {
		const next = seededRandom(seed);
		const pairs = Array.from({ length: RECORDS }, () => linkedPair());
		const mark = markNow();
		const edits: Edit[] = [];
		for (let i = 0; i < EDITS; i++) {
			await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 600)));
			const edit = randomEdit(next, RECORDS, (field) => valueFor(field, seed, i));
			const { leadId, contactId } = pairs[edit.record];
			if (edit.side === 'salesOs') editLead(leadId, { [edit.field]: edit.value });
			else editContact(contactId, { [edit.field]: edit.value });
			edits.push(edit);
		}
		await quiet(300_000);

		const diverged: string[] = [];
		const lost: string[] = [];
		pairs.forEach((pair, record) => {
			const lead = valuesOf(leadOf(pair.leadId));
			const contact = valuesOf(contactOf(pair.contactId));
			for (const field of FIELDS) {
				const [inSalesOs, inContact] = [lead[field], contact[field]];
				if (String(inSalesOs).toLowerCase() !== String(inContact).toLowerCase()) diverged.push(`record ${record} ${field}: SalesOS ${inSalesOs}, contact ${inContact}`);
				const allowed = allowedFinal(edits.filter((edit) => edit.record === record && edit.field === field), pair.start[field]);
				if (!allowed.includes(String(inSalesOs))) lost.push(`record ${record} ${field}: ${inSalesOs}, expected one of ${allowed.join(' | ')}`);
			}
		});
		const executions = executionsSince(mark);
		process.stderr.write(
			`[two-way] seed ${seed}: ${EDITS} edits, ${diverged.length} fields differ, ${lost.length} edits lost, ${executions} executions (${(executions / EDITS).toFixed(2)} per edit)\n`,
		);
		expect({ seed, diverged, lost }).toEqual({ seed, diverged: [], lost: [] });
		expect(executions).toBeLessThanOrEqual(MAX_EXECUTIONS_PER_EDIT * EDITS);
	}, 600_000);
});

describe('the other policies and delete behaviours (example 04 with other Settings, published instead of it)', () => {
	test.each([
		// Both edits are stored before either system reports one: every run sees the same conflict.
		['newestWins', 'a SalesOS change 10 s older than the contact’s', -10_000, 'contact'],
		['newestWins', 'changes within the 2 s clock-skew tolerance', 0, 'salesOs'],
		['salesOsWins', 'simultaneous changes', 0, 'salesOs'],
		['otherWins', 'simultaneous changes', 0, 'contact'],
	])('same field changed on both sides, %s, %s: both end with the policy’s value', async (policy, _, salesOsAgeMs, winner) => {
		await use(policy);
		const { leadId, contactId } = linkedPair();
		const mark = markNow();
		editLead(leadId, { company: 'SalesOS value' }, salesOsAgeMs ? new Date(Date.now() + salesOsAgeMs).toISOString() : undefined);
		editContact(contactId, { company: 'Contact value' });
		await quiet();
		const expected = winner === 'salesOs' ? 'SalesOS value' : 'Contact value';
		expect([leadOf(leadId).company, contactOf(contactId)?.company]).toEqual([expected, expected]);
		expect(executionsSince(mark)).toBeLessThanOrEqual(2 * MAX_EXECUTIONS_PER_EDIT);
	});

	test('same field changed on both sides with Flag It: nothing written for it, the conflict reaches Conflicts to review, other fields still sync', async () => {
		await use('flag');
		const { leadId, contactId } = linkedPair();
		const since = await lastExecutionId();
		editLead(leadId, { company: 'SalesOS value', phone: '+5511966665555' });
		editContact(contactId, { company: 'Contact value' });
		await quiet();
		expect(leadOf(leadId).company).toBe('SalesOS value');
		expect(contactOf(contactId)).toMatchObject({ company: 'Contact value', phone: '+5511966665555' });
		const flagged = await itemsAt('Conflicts to review', since);
		expect(flagged.length).toBeGreaterThan(0);
		expect(flagged[0].conflicts).toEqual([expect.objectContaining({ field: 'company', resolution: 'flagged', salesOs: 'SalesOS value', otherSystem: 'Contact value' })]);
	});

	test('deletes with onDelete = propagate: a deleted lead deletes its contact, a deleted contact its lead', async () => {
		await use('propagate');
		const first = linkedPair();
		const second = linkedPair();
		env.sandbox.mutate({ resource: 'leads', id: first.leadId, op: 'delete' });
		env.sandbox.contacts.delete(second.contactId, 'crm-user');
		await quiet();
		expect(contactOf(first.contactId)).toBeUndefined();
		expect(leadOf(second.leadId)).toBeUndefined();
	});
});
