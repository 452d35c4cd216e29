/**
 * The package in n8n's queue mode, as users scale it: real Redis and Postgres, one main process,
 * two `n8n worker --concurrency=5` and two `n8n webhook` processes, the package installed into
 * every process's user folder (scripts/n8n/queue.ts). Proves what issue 11 asks: one SalesOS rate
 * limit shared by many executions without failures, one token per process, the SalesOS Trigger
 * on every webhook process with exactly-once downstream (Manual registration with n8n's Remove
 * Duplicates; Automatic registration with OAuth2, the default, on its own: issue 22), the poll
 * trigger's cursor across a restart of the main process, and one subscription after restarting
 * every process. `npm run test:e2e -- queue-mode`.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { credentialsFor, CLIENT_CREDENTIAL_ID, sandboxConnection } from '../../scripts/examples';
import { ensureN8n } from '../../scripts/n8n/install';
import type { N8nInstance, WorkflowJson } from '../../scripts/n8n/instance';
import { buildAndPack, REPO_ROOT } from '../../scripts/n8n/package';
import { QueueModeN8n } from '../../scripts/n8n/queue';
import { startSandbox, type Sandbox } from '../sandbox';
import { waitFor } from './harness';

const progress = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const SIGNING_SECRET = 'whsec_queue_mode_e2e';
const TRIGGER_WEBHOOK_ID = '5b1f7d0e-4b1e-4a57-9a8e-0d6c1f3a9b21';
const AUTOMATIC_WEBHOOK_ID = '9d2c4e6a-7b1f-4c3d-8e5a-1f0b2c3d4e5f';
const AUTOMATIC_TRIGGER = 'SalesOS Trigger';
const credential = { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: 'SalesOS account' } };
// The load workflow's own credential (same SalesOS client): no process has fetched a token for it before the token test.
const LOAD_CREDENTIAL = { id: 'queueLoadCredential', name: 'SalesOS queue load' };

/** Webhook → Split Out → SalesOS Lead Create: one execution per POST, one create per lead in its body. */
const createLeads: WorkflowJson = {
	id: 'queueCreateLeads',
	name: 'Queue mode: create leads',
	nodes: [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			webhookId: '0f3c2a61-1d55-4d43-9a3e-5f2a0c7b8e11',
			parameters: { httpMethod: 'POST', path: 'queue-create-leads', responseMode: 'onReceived', options: {} },
		},
		{ name: 'Split Out Leads', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.leads', options: {} } },
		{
			name: 'SalesOS',
			type: 'n8n-nodes-salesos.salesOs',
			typeVersion: 1,
			position: [440, 0],
			parameters: { authentication: 'clientCredentials', resource: 'lead', operation: 'create', name: '={{ $json.name }}', email: '={{ $json.email }}', additionalFields: {}, options: {} },
			credentials: { salesOsClientCredentialsApi: LOAD_CREDENTIAL },
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Split Out Leads', type: 'main', index: 0 }]] },
		'Split Out Leads': { main: [[{ node: 'SalesOS', type: 'main', index: 0 }]] },
	},
};

/** SalesOS Trigger → Remove Duplicates (event id, across executions) → the external system. */
function eventsToExternal(sandbox: Sandbox): WorkflowJson {
	return {
		id: 'queueTriggerOnce',
		name: 'Queue mode: SalesOS Trigger exactly once',
		nodes: [
			{
				name: 'SalesOS Trigger',
				type: 'n8n-nodes-salesos.salesOsTrigger',
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: { registration: 'manual', signingSecret: SIGNING_SECRET, events: ['lead.created'], options: {} },
			},
			{
				name: 'Remove Duplicates',
				type: 'n8n-nodes-base.removeDuplicates',
				typeVersion: 2,
				position: [220, 0],
				parameters: { operation: 'removeItemsSeenInPreviousExecutions', dedupeValue: '={{ $json.event.id }}', options: {} },
			},
			externalPost('Send to External', sandbox, 'queue-events', '={{ { "event_id": $json.event.id } }}', [440, 0]),
		],
		connections: {
			'SalesOS Trigger': { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] },
			'Remove Duplicates': { main: [[{ node: 'Send to External', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * What a user gets by default: SalesOS Trigger (version 3, Automatic registration, OAuth2) → the
 * external system, with no Remove Duplicates node.
 */
function automaticEventsToExternal(sandbox: Sandbox): WorkflowJson {
	return {
		id: 'queueTriggerAutomatic',
		name: 'Queue mode: SalesOS Trigger, automatic registration',
		nodes: [
			{
				name: AUTOMATIC_TRIGGER,
				type: 'n8n-nodes-salesos.salesOsTrigger',
				typeVersion: 3,
				position: [0, 0],
				webhookId: AUTOMATIC_WEBHOOK_ID,
				// Not lead.created: the sandbox delivers that for every lead the other tests here create.
				parameters: { events: ['deal.won'], options: {} },
				credentials: credential,
			},
			externalPost('Send to External', sandbox, 'queue-automatic', '={{ { "event_id": $json.event.id } }}', [220, 0]),
		],
		connections: { [AUTOMATIC_TRIGGER]: { main: [[{ node: 'Send to External', type: 'main', index: 0 }]] } },
	};
}

/** SalesOS Poll Trigger (qualified leads, all records) → the external system. */
function pollToExternal(sandbox: Sandbox): WorkflowJson {
	return {
		id: 'queuePollLeads',
		name: 'Queue mode: poll leads',
		nodes: [
			{
				name: 'SalesOS Poll Trigger',
				type: 'n8n-nodes-salesos.salesOsPollTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					authentication: 'clientCredentials',
					resource: 'lead',
					startFrom: 'allRecords',
					// Only the poll test's leads, not the thousands the other tests create.
					filters: { status: 'qualified' },
					options: {},
					pollTimes: { item: [{ mode: 'everyHour' }] },
				},
				credentials: credential,
			},
			externalPost('Send to External', sandbox, 'queue-poll', '={{ { "lead_id": $json.id, "updated_at": $json.updated_at } }}', [220, 0]),
		],
		connections: { 'SalesOS Poll Trigger': { main: [[{ node: 'Send to External', type: 'main', index: 0 }]] } },
	};
}

function externalPost(name: string, sandbox: Sandbox, collection: string, body: string, position: number[]) {
	// No idempotency key: the stand-in then stores every request, so a second downstream run would show.
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: { method: 'POST', url: `${sandbox.url}/external/${collection}`, sendBody: true, specifyBody: 'json', jsonBody: body, options: {} },
	};
}

let sandbox: Sandbox;
let queue: QueueModeN8n;
const suiteStarted = Date.now();

beforeAll(async () => {
	// No skipping: a machine that cannot install n8n, Redis or Postgres fails this suite with the installer's error.
	const installation = await ensureN8n({ log: progress });
	const tarball = await buildAndPack({ log: progress, folder: join(REPO_ROOT, '.n8n-e2e', 'queue-package') });
	sandbox = await startSandbox();
	sandbox.seed({ resource: 'leads', count: 3, fields: { status: 'qualified' } });
	queue = await QueueModeN8n.create({ installation, tarball, log: progress });
	const [clientCredentials] = credentialsFor(sandboxConnection(sandbox.credentials())).filter((entry) => entry.id === CLIENT_CREDENTIAL_ID);
	await queue.importCredentials([clientCredentials, { ...clientCredentials, ...LOAD_CREDENTIAL }]);
	const workflows = [createLeads, eventsToExternal(sandbox), pollToExternal(sandbox), automaticEventsToExternal(sandbox)];
	await queue.importWorkflows(workflows);
	for (const workflow of workflows) await queue.main.publish(workflow.id!);
	await queue.startN8n();
	await queue.main.rest.ensureOwner();
	for (const webhookProcess of queue.webhookProcesses) {
		await waitFor(`the webhooks on ${webhookProcess.url}`, async () => {
			const response = await fetch(`${webhookProcess.url}/webhook/queue-create-leads`);
			return response.status === 404 && /POST request/i.test(await response.text());
		}, 120_000);
	}
	progress(`[queue e2e] set up in ${Math.round((Date.now() - suiteStarted) / 1000)} s`);
}, 900_000);

afterAll(async () => {
	await queue?.stop(Boolean(process.env.SALESOS_E2E_KEEP));
	await sandbox?.close();
	progress(`[queue e2e] whole suite: ${Math.round((Date.now() - suiteStarted) / 1000)} s`);
}, 120_000);

let emailCounter = 0;
const newLeads = (count: number) =>
	Array.from({ length: count }, () => {
		emailCounter++;
		return { name: `Queue Lead ${emailCounter}`, email: `queue.lead.${emailCounter}@example.com` };
	});

/** POSTs each body to the create-leads webhook at once, alternating between the webhook processes. */
async function startExecutions(bodies: Array<{ leads: unknown[] }>): Promise<void> {
	const responses = await Promise.all(
		bodies.map(async (body, index) => {
			const target = queue.webhookProcesses[index % queue.webhookProcesses.length];
			return await fetch(`${target.url}/webhook/queue-create-leads`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
		}),
	);
	expect(responses.map((response) => response.status)).toEqual(bodies.map(() => 200));
}

const seen = new Set<string>();
/** Waits until `count` executions of a workflow that no earlier call returned have finished; returns them. */
async function finishedExecutions(workflowId: string, count: number, timeoutMs: number) {
	const fresh = await waitFor(`${count} finished executions of ${workflowId}`, async () => {
		const executions = (await queue.main.rest.listExecutions(workflowId)).filter((execution) => !seen.has(execution.id));
		const finished = executions.filter((execution) => execution.stoppedAt && !['new', 'running', 'waiting'].includes(execution.status));
		return finished.length >= count ? finished : undefined;
	}, timeoutMs);
	for (const execution of fresh) seen.add(execution.id);
	return fresh;
}

/** How often each lead the tests created (queue.lead.N@) is stored. */
function leadsByEmail(): Map<string, number> {
	const counts = new Map<string, number>();
	for (const { email } of sandbox.records('leads') as Array<{ email: string }>) {
		if (email.startsWith('queue.lead.')) counts.set(email, (counts.get(email) ?? 0) + 1);
	}
	return counts;
}

test('one token per process: 20 executions at once on 2 workers fetch at most 2 tokens, and at most 2 again after SalesOS expires every token', async () => {
	// The main process fetches a token of its own for the poll trigger's activation poll: wait for
	// that poll (it forwards the seeded leads) so its token is not counted as a worker's.
	await waitFor('the activation poll', async () => (await queue.main.rest.listExecutions(pollToExternal(sandbox).id!)).length > 0, 120_000);
	const before = sandbox.counters().tokenRequests;
	await startExecutions(Array.from({ length: 20 }, () => ({ leads: newLeads(5) })));
	const first = await finishedExecutions(createLeads.id!, 20, 180_000);
	expect(first.map((execution) => execution.status)).toEqual(Array(20).fill('success'));
	const afterFirst = sandbox.counters().tokenRequests;
	progress(`[queue e2e] token requests for 20 executions: ${afterFirst - before}`);
	expect(afterFirst - before).toBeGreaterThanOrEqual(1);
	expect(afterFirst - before).toBeLessThanOrEqual(2);

	sandbox.expireTokens();
	await startExecutions(Array.from({ length: 20 }, () => ({ leads: newLeads(5) })));
	const second = await finishedExecutions(createLeads.id!, 20, 180_000);
	expect(second.map((execution) => execution.status)).toEqual(Array(20).fill('success'));
	const afterExpiry = sandbox.counters().tokenRequests - afterFirst;
	progress(`[queue e2e] token requests after every token expired: ${afterExpiry}`);
	expect(afterExpiry).toBeGreaterThanOrEqual(1);
	expect(afterExpiry).toBeLessThanOrEqual(2);
	expect([...leadsByEmail().values()].every((count) => count === 1)).toBe(true);
	expect(leadsByEmail().size).toBe(200);
}, 420_000);

test('one limit shared fairly: 10 executions × 100 creates at once at 300 requests/minute → none fails, none lost or duplicated, 429s ≤ 5 %', async () => {
	sandbox.resetCounters();
	// A token bucket of 300 per minute for the client, full at the start.
	sandbox.updateSettings({ rateLimit: { limit: 300, windowMs: 60_000, mode: 'tokenBucket' }, rateLimitHint: 'all' });
	const bodies = Array.from({ length: 10 }, () => ({ leads: newLeads(100) }));
	const started = Date.now();
	await startExecutions(bodies);
	const executions = await finishedExecutions(createLeads.id!, 10, 480_000);
	const seconds = (Date.now() - started) / 1000;
	sandbox.updateSettings({ rateLimit: { limit: 10_000, windowMs: 60_000, mode: 'fixed' } });

	const statuses = executions.map((execution) => execution.status);
	const counts = leadsByEmail();
	const wanted = bodies.flatMap((body) => body.leads.map((lead) => lead.email));
	const lost = wanted.filter((email) => !counts.has(email)).length;
	const duplicated = wanted.filter((email) => (counts.get(email) ?? 0) > 1).length;
	const requests = sandbox.counters().requests['POST /v1/leads'] ?? {};
	const total = Object.values(requests).reduce((sum, count) => sum + count, 0);
	const limited = requests['429'] ?? 0;
	progress(
		`[queue e2e] 10 × 100 creates: ${seconds.toFixed(0)} s (ideal ${(1000 / 5).toFixed(0)} s, ratio ${(seconds / 200).toFixed(2)}), ` +
			`${limited} × 429 of ${total} requests (${((100 * limited) / total).toFixed(1)} %), ${lost} lost, ${duplicated} duplicated, statuses ${[...new Set(statuses)].join(',')}`,
	);
	expect(statuses).toEqual(Array(10).fill('success'));
	expect(lost).toBe(0);
	expect(duplicated).toBe(0);
	expect(limited / total).toBeLessThanOrEqual(0.05);
}, 600_000);

describe('SalesOS Trigger on every webhook process', () => {
	const triggerUrl = (webhookProcess: N8nInstance) => `${webhookProcess.url}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
	const forwardedEvents = () => sandbox.external('queue-events').map((record) => (record.body as { event_id: string }).event_id);

	test('each webhook process refuses forged deliveries; the same event id sent to both reaches the downstream node once', async () => {
		const triggerId = eventsToExternal(sandbox).id!;
		for (const webhookProcess of queue.webhookProcesses) {
			for (const signature of ['none', 'wrong-secret', 'tampered-body'] as const) {
				const response = await sandbox.deliver({ url: triggerUrl(webhookProcess), secret: SIGNING_SECRET, signature });
				expect([webhookProcess.url, signature, response.status]).toEqual([webhookProcess.url, signature, 401]);
			}
		}
		// SalesOS redelivers an event it saw no 2xx for; behind a load balancer the retry may reach the other process.
		const event = { id: `evt_${randomUUID()}`, type: 'lead.created' };
		const [firstProcess, secondProcess] = queue.webhookProcesses;
		const first = await sandbox.deliver({ url: triggerUrl(firstProcess), secret: SIGNING_SECRET, event, signature: 'valid' });
		expect([first.status, first.body]).toEqual([200, { received: true }]);
		expect((await finishedExecutions(triggerId, 1, 120_000)).map((execution) => execution.status)).toEqual(['success']);
		const second = await sandbox.deliver({ url: triggerUrl(secondProcess), secret: SIGNING_SECRET, event, signature: 'valid' });
		expect(second.status).toBe(200);
		// Either the trigger recognises the event (in queue mode the worker saved its delivery memory with
		// the first execution) or a second execution starts and Remove Duplicates stops it.
		const secondRan = !(second.body as { duplicate?: boolean }).duplicate;
		progress(`[queue e2e] redelivery to the other webhook process: ${secondRan ? 'ran, stopped by Remove Duplicates' : 'recognised by the trigger'}`);
		if (secondRan) expect((await finishedExecutions(triggerId, 1, 120_000)).map((execution) => execution.status)).toEqual(['success']);
		expect(forwardedEvents().filter((id) => id === event.id)).toEqual([event.id]);
		expect((await queue.main.rest.listExecutions(triggerId)).length).toBe(secondRan ? 2 : 1);
	}, 240_000);
});

test('poll trigger: after a restart of the main process the cursor continues where it stopped', async () => {
	const pollId = pollToExternal(sandbox).id!;
	const forwarded = () => sandbox.external('queue-poll').map((record) => record.body as { lead_id: string; updated_at: string });
	// The activation poll at the first start sent the three qualified leads seeded before it.
	await finishedExecutions(pollId, 1, 120_000);
	const before = forwarded();
	expect(before).toHaveLength(3);

	await queue.main.stop();
	const [created] = sandbox.seed({ resource: 'leads', count: 1, fields: { status: 'qualified' } }).records as Array<{ id: string; updated_at: string }>;
	const existing = (sandbox.records('leads') as Array<{ id: string; name: string }>).find((lead) => lead.id === before[0].lead_id)!;
	const changed = sandbox.mutate({ resource: 'leads', id: existing.id, changes: { name: `${existing.name} (edited)` } }) as { id: string; updated_at: string };
	await queue.main.start(300_000);

	const after = await waitFor('the activation poll after the restart to forward the changes', () => {
		const records = forwarded().slice(before.length);
		return records.length >= 2 ? records : undefined;
	}, 120_000);
	// Exactly the two changes made while main was down, each once; nothing sent before is sent again.
	expect(after.map((lead) => `${lead.lead_id}@${lead.updated_at}`).sort()).toEqual(
		[`${created.id}@${created.updated_at}`, `${changed.id}@${changed.updated_at}`].sort(),
	);
}, 480_000);

describe('SalesOS Trigger with Automatic registration (the default) in queue mode', () => {
	const automaticId = 'queueTriggerAutomatic';
	const path = `/webhook/${AUTOMATIC_WEBHOOK_ID}/webhook`;
	const urlOn = (webhookProcess: N8nInstance) => `${webhookProcess.url}${path}`;
	const subscriptions = () => sandbox.webhooks().filter((webhook) => new URL(webhook.url).pathname === path);
	const forwarded = () => sandbox.external('queue-automatic').map((record) => (record.body as { event_id: string }).event_id);
	const registration = async () => (await queue.main.rest.getWorkflow(automaticId)).staticData?.[`node:${AUTOMATIC_TRIGGER}`];
	const newestExecutionId = async () => Math.max(0, ...(await queue.main.rest.listExecutions(automaticId)).map((execution) => Number(execution.id)));
	const settled = async () =>
		await waitFor('no running execution', async () =>
			(await queue.main.rest.listExecutions(automaticId)).every((execution) => execution.stoppedAt && !['new', 'running', 'waiting'].includes(execution.status)),
		120_000);
	const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
	const wonDealEvent = (index: number) => ({ id: `evt_auto_${index}_${randomUUID()}`, type: 'deal.won', ts: new Date().toISOString(), data: { id: `deal-${index}`, name: `Deal ${index}`, status: 'won' } });

	test('200 events over ~2 minutes on both webhook processes, re-sent to both: each runs once downstream; forged ones get 401 and start nothing; the registration in static data survives', async () => {
		const [subscription] = await waitFor('the automatic subscription', () => (subscriptions().length === 1 ? subscriptions() : undefined), 120_000);
		const { secret } = subscription;
		const registered = await registration();
		expect(registered).toMatchObject({ webhookId: subscription.id, webhookUrl: subscription.url, nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect(JSON.stringify(registered)).not.toContain(secret);

		const [first, second] = queue.webhookProcesses;
		const events = Array.from({ length: 200 }, (_, index) => wonDealEvent(index));
		const deliveries: Array<Promise<{ kind: string; status: number | null; duplicate: boolean }>> = [];
		const send = (kind: string, target: N8nInstance, event: object, signature: 'valid' | 'wrong-secret' | 'tampered-body' = 'valid') =>
			deliveries.push(
				sandbox.deliver({ url: urlOn(target), secret, event, signature, timeoutMs: 60_000 }).then((result) => ({
					kind,
					status: result.status,
					duplicate: (result.body as { duplicate?: boolean } | undefined)?.duplicate === true,
				})),
			);
		const started = Date.now();
		for (const [index, event] of events.entries()) {
			const [target, other] = index % 2 === 0 ? [first, second] : [second, first];
			send('first', target, event);
			// SalesOS re-sends an event whose 2xx it did not see; behind a load balancer the retry may land anywhere.
			if (index % 4 === 0) setTimeout(() => send('re-send', other, event), 2_000);
			if (index % 10 === 0) setTimeout(() => send('re-send', target, event), 3_000);
			if (index % 20 === 0) send('forged', other, wonDealEvent(-index), index % 40 === 0 ? 'wrong-secret' : 'tampered-body');
			await sleep(550);
		}
		await sleep(3_500);
		const results = await Promise.all(deliveries);
		progress(`[queue e2e] ${results.length} deliveries sent over ${Math.round((Date.now() - started) / 1000)} s`);
		const statuses = (kind: string) => [...new Set(results.filter((result) => result.kind === kind).map((result) => result.status))];
		expect(statuses('first')).toEqual([200]);
		expect(statuses('re-send')).toEqual([200]);
		expect(statuses('forged')).toEqual([401]);

		await waitFor('every event downstream', () => new Set(forwarded()).size >= events.length, 300_000);
		await settled();
		const runs = new Map<string, number>();
		for (const id of forwarded()) runs.set(id, (runs.get(id) ?? 0) + 1);
		const twice = [...runs].filter(([, count]) => count > 1).length;
		const answeredByMemory = results.filter((result) => result.kind === 're-send' && result.duplicate).length;
		progress(`[queue e2e] automatic: ${runs.size} events downstream, ${twice} more than once; ${answeredByMemory} re-sends answered from a webhook process's memory`);
		expect(runs.size).toBe(events.length);
		expect(twice).toBe(0);
		expect([...runs.keys()].every((id) => events.some((event) => event.id === id))).toBe(true);

		// Forged deliveries start no execution.
		const newest = await newestExecutionId();
		for (const target of queue.webhookProcesses) {
			for (const signature of ['none', 'wrong-secret', 'tampered-body', 'reformatted'] as const) {
				expect((await sandbox.deliver({ url: urlOn(target), secret, event: wonDealEvent(-1), signature })).status).toBe(401);
			}
		}
		await sleep(5_000);
		expect(await newestExecutionId()).toBe(newest);

		expect(await registration()).toEqual(registered);
		expect(subscriptions()).toEqual([subscription]);
	}, 900_000);

	// n8n's deduplication store reads, decides and writes back with no lock (docs/n8n-trigger-lifecycle.md):
	// two executions of one event at the same moment can both pass. Measured, not hidden: 0, 1 and 2 of 20.
	test('the same event sent to both webhook processes at the same moment runs at least once and at most once per process', async () => {
		const [{ secret }] = subscriptions();
		const events = Array.from({ length: 20 }, (_, index) => wonDealEvent(1000 + index));
		for (const event of events) {
			const responses = await Promise.all(queue.webhookProcesses.map(async (target) => await sandbox.deliver({ url: urlOn(target), secret, event })));
			expect(responses.map((response) => response.status)).toEqual([200, 200]);
			await sleep(300);
		}
		await waitFor('every event downstream', () => events.every((event) => forwarded().includes(event.id)), 300_000);
		await settled();
		const runs = events.map((event) => forwarded().filter((id) => id === event.id).length);
		progress(`[queue e2e] simultaneous pairs: ${runs.filter((count) => count > 1).length} of ${events.length} events ran twice downstream`);
		expect(runs.every((count) => count >= 1 && count <= queue.webhookProcesses.length)).toBe(true);
	}, 600_000);
});

test('after restarting every process SalesOS holds exactly one subscription for the automatic trigger, and it still runs each event once', async () => {
	const path = `/webhook/${AUTOMATIC_WEBHOOK_ID}/webhook`;
	const subscriptions = () => sandbox.webhooks().filter((webhook) => new URL(webhook.url).pathname === path);
	const [before] = subscriptions();
	await queue.restartN8n();
	await queue.main.rest.ensureOwner();
	const [webhookProcess] = queue.webhookProcesses;
	await waitFor('the trigger to answer after the restart', async () => (await fetch(`${webhookProcess.url}${path}`, { method: 'POST' })).status === 401, 120_000);
	// Registration after a start may run a moment later (n8n activates through a queue).
	await new Promise((resolve) => setTimeout(resolve, 10_000));
	expect(subscriptions()).toHaveLength(1);
	const [after] = subscriptions();
	progress(`[queue e2e] after restarting every process: subscription ${after.id === before.id ? 'kept' : 'replaced'}`);
	const event = { id: `evt_after_restart_${randomUUID()}`, type: 'deal.won' };
	for (const target of queue.webhookProcesses) {
		expect((await sandbox.deliver({ url: `${target.url}${path}`, secret: after.secret, event })).status).toBe(200);
	}
	await waitFor('the event downstream', () => sandbox.external('queue-automatic').some((record) => (record.body as { event_id: string }).event_id === event.id), 120_000);
	await new Promise((resolve) => setTimeout(resolve, 5_000));
	expect(sandbox.external('queue-automatic').filter((record) => (record.body as { event_id: string }).event_id === event.id)).toHaveLength(1);
}, 900_000);
