// The SalesOS Trigger over a deployment's life, each scenario performed with real processes against
// one SalesOS sandbox: n8n stopped and started again (a redelivery after the restart, a delivery
// SalesOS retries), n8n down until SalesOS switches the subscription off, the workflow exported to a
// second n8n instance, n8n's public URL changed, the workflow unpublished with the CLI while n8n was
// stopped. The workflow is the shipped example 01 (SalesOS Trigger → Once per event → …).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { credentialsFor, sandboxConnection } from '../../scripts/examples';
import { N8nInstance, type WorkflowJson } from '../../scripts/n8n/instance';
import { allOutputsOf, productionWebhookUrl, setUpRealN8n, waitFor, type RealN8n } from './harness';

/** SalesOS switches a subscription off after this many failed deliveries in a row (10 in production). */
const FAILURES_UNTIL_DEACTIVATED = 3;

let env: RealN8n;
const workflow = (): WorkflowJson => env.examples['01'];
const TRIGGER = 'SalesOS Trigger';
/** The first node behind "Once per event" (Remove Duplicates): reaching it is reaching the downstream nodes. */
const DOWNSTREAM = 'Settings';

beforeAll(async () => {
	env = await setUpRealN8n();
	// Retries wait for the test to run them (flushRetries), so a retry can be pending across a restart.
	env.sandbox.updateSettings({
		webhookMaxConsecutiveFailures: FAILURES_UNTIL_DEACTIVATED,
		webhookRetryDelaysMs: [600_000, 600_000, 600_000, 600_000, 600_000],
	});
	await env.n8n.publish(workflow().id!);
	await startAndWaitForTrigger(env.n8n);
	await waitFor('the subscription of example 01', () => env.sandbox.webhooks().length === 1);
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

const progress = (line: string) => process.stderr.write(`[lifecycle] ${line}\n`);
/** Ceilings for a loaded CI machine: each test stops and starts n8n, the copy test a second one too. */
const RESTART_TEST_MS = 10 * 60_000;
const START_MS = 300_000;

/** Starts n8n and resolves when the trigger takes deliveries (an unsigned POST gets the trigger's 401). */
async function startAndWaitForTrigger(n8n: N8nInstance): Promise<void> {
	await n8n.start(START_MS);
	await n8n.rest.ensureOwner();
	const url = productionWebhookUrl(n8n, workflow(), TRIGGER);
	await waitFor('the SalesOS Trigger to answer', async () => (await fetch(url, { method: 'POST' })).status === 401);
}

/** A lead created in SalesOS; returns its lead.created event. */
function createLead() {
	const [lead] = env.sandbox.seed({ resource: 'leads', count: 1, events: true }).records as any[];
	return env.sandbox.emittedEvents('lead.created').find((event) => (event.data as any).id === lead.id)!;
}

/** Run data of every finished execution of example 01 on `n8n`, once none is still running. */
async function finishedRuns(n8n: N8nInstance): Promise<any[] | undefined> {
	const executions = (await n8n.rest.listExecutions(workflow().id!)).filter((execution) => execution.mode !== 'cli');
	if (executions.some((execution) => execution.status === 'running' || execution.status === 'new')) return undefined;
	return await Promise.all(executions.map(async (execution) => (await n8n.rest.getExecution(execution.id)).data));
}

/** How often the event started an execution, and how often it reached the nodes behind Remove Duplicates. */
async function runsOf(n8n: N8nInstance, eventId: string): Promise<{ executions: number; downstream: number }> {
	const runs = await waitFor('executions to finish', () => finishedRuns(n8n));
	const count = (nodeName: string) =>
		runs.flatMap((run) => allOutputsOf({ data: run }, nodeName)).filter((item) => item.event?.id === eventId).length;
	return { executions: count(TRIGGER), downstream: count(DOWNSTREAM) };
}

async function waitForRun(n8n: N8nInstance, eventId: string) {
	return await waitFor(`the run of ${eventId}`, async () => {
		const runs = await runsOf(n8n, eventId);
		return runs.downstream > 0 ? runs : undefined;
	});
}

const ownSubscription = () => {
	const [subscription, ...more] = env.sandbox.webhooks();
	if (!subscription || more.length) throw new Error(`expected one subscription, SalesOS has ${env.sandbox.webhooks().length}`);
	return subscription;
};

test('a redelivery after a restart reaches the downstream nodes zero times; a delivery that failed while n8n was down runs once when SalesOS retries it', async () => {
	const { sandbox, n8n } = env;
	const delivered = createLead();
	await sandbox.waitForDeliveries({ eventId: delivered.id, ok: true, timeoutMs: 20_000 });
	expect(await waitForRun(n8n, delivered.id)).toEqual({ executions: 1, downstream: 1 });

	await n8n.stop();
	const missed = createLead();
	const [failed] = await sandbox.waitForDeliveries({ eventId: missed.id, timeoutMs: 20_000 });
	expect(failed.ok).toBe(false);

	await startAndWaitForTrigger(n8n);
	// SalesOS sends the delivered event again (its 2xx got lost) and retries the missed one.
	expect(sandbox.retryEvent(delivered.id)).toBe(1);
	expect(sandbox.flushRetries()).toBe(1);
	const [redelivery] = (await sandbox.waitForDeliveries({ eventId: delivered.id, count: 2, timeoutMs: 20_000 })).slice(1);
	expect(redelivery.status).toBe(200);
	await sandbox.waitForDeliveries({ eventId: missed.id, ok: true, timeoutMs: 20_000 });

	expect(await waitForRun(n8n, missed.id)).toEqual({ executions: 1, downstream: 1 });
	// The trigger passed the redelivery on zero times: n8n's deduplication store (in its database)
	// had the event from the first execution, across the restart.
	expect(await runsOf(n8n, delivered.id)).toEqual({ executions: 1, downstream: 1 });
}, RESTART_TEST_MS);

test('SalesOS switched the subscription off while n8n was down: after the restart it is on again, still one, and a new change runs the workflow once', async () => {
	const { sandbox, n8n } = env;
	const subscription = ownSubscription();
	await n8n.stop();

	const lost = createLead();
	for (let attempt = 1; attempt <= FAILURES_UNTIL_DEACTIVATED; attempt++) {
		if (attempt > 1) expect(sandbox.flushRetries()).toBe(1);
		await sandbox.waitForDeliveries({ eventId: lost.id, count: attempt, timeoutMs: 20_000 });
	}
	expect(sandbox.deliveries({ eventId: lost.id }).map((attempt) => attempt.ok)).toEqual([false, false, false]);
	expect(ownSubscription()).toMatchObject({ id: subscription.id, active: false });
	const checksBefore = sandbox.requestCount('GET /v1/webhooks');

	await startAndWaitForTrigger(n8n);
	// n8n runs the trigger's subscription check on start (the node has a trigger()): it switches it on again.
	await waitFor('the subscription to be active again', () => ownSubscription().active);
	expect(sandbox.requestCount('GET /v1/webhooks')).toBeGreaterThan(checksBefore);
	expect(ownSubscription()).toMatchObject({ id: subscription.id, url: subscription.url, active: true });

	const next = createLead();
	await sandbox.waitForDeliveries({ eventId: next.id, ok: true, timeoutMs: 20_000 });
	expect(await waitForRun(n8n, next.id)).toEqual({ executions: 1, downstream: 1 });
	expect(sandbox.webhooks()).toHaveLength(1);
	// SalesOS does not deliver what happened while the subscription was off (the contract).
	expect(await runsOf(n8n, lost.id)).toEqual({ executions: 0, downstream: 0 });
}, RESTART_TEST_MS);

test('a copy of the workflow on a second n8n instance registers its own subscription; the original keeps its own and keeps receiving', async () => {
	const { sandbox, n8n } = env;
	const original = ownSubscription();
	const exportFile = join(n8n.userFolder, 'export-01.json');
	progress('exporting example 01 from the first instance');
	const exported = await n8n.cli(['export:workflow', `--id=${workflow().id}`, `--output=${exportFile}`]);
	expect(exported.code).toBe(0);
	// The export carries the original's subscription record in its static data.
	const [copy] = JSON.parse(readFileSync(exportFile, 'utf8')) as WorkflowJson[];
	expect(JSON.stringify(copy.staticData)).toContain(original.id);

	const userFolder = mkdtempSync(join(tmpdir(), 'salesos-e2e-second-n8n-'));
	const second = await N8nInstance.create({ installation: n8n.installation, userFolder, env: { N8N_LOG_LEVEL: 'info' } });
	try {
		progress('second instance: installing the package, importing credentials and the copy');
		await second.installPackage(env.tarball);
		await second.importCredentials(credentialsFor(sandboxConnection(sandbox.credentials())));
		await second.importWorkflows([copy]);
		await second.publish(copy.id!);
		progress('second instance: starting');
		await startAndWaitForTrigger(second);
		const copyUrl = productionWebhookUrl(second, copy, TRIGGER);
		await waitFor('the copy to register its subscription', () => sandbox.webhooks().some((w) => w.url === copyUrl));
		expect(sandbox.webhooks().map((w) => [w.id === original.id ? 'original' : 'copy', w.url, w.active]).sort()).toEqual(
			[
				['copy', copyUrl, true],
				['original', original.url, true],
			].sort(),
		);

		const event = createLead();
		await sandbox.waitForDeliveries({ eventId: event.id, ok: true, count: 2, timeoutMs: 20_000 });
		expect(await waitForRun(n8n, event.id)).toEqual({ executions: 1, downstream: 1 });
		expect(await waitForRun(second, event.id)).toEqual({ executions: 1, downstream: 1 });

		// Unpublishing the copy removes the copy's subscription only.
		await second.rest.deactivateWorkflow(copy.id!);
		await waitFor('the copy to remove its subscription', () => sandbox.webhooks().length === 1);
		expect(ownSubscription()).toMatchObject({ id: original.id, active: true });
	} finally {
		await second.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	const after = createLead();
	await sandbox.waitForDeliveries({ eventId: after.id, webhookId: original.id, ok: true, timeoutMs: 20_000 });
	expect(await waitForRun(n8n, after.id)).toEqual({ executions: 1, downstream: 1 });
}, RESTART_TEST_MS);

test('after N8N_WEBHOOK_URL changed, the instance that registered the old URL replaces its subscription at the next start', async () => {
	const { sandbox, n8n } = env;
	const before = ownSubscription();
	const newBase = `http://localhost:${n8n.port}/`;
	await n8n.restart({ N8N_WEBHOOK_URL: newBase }, START_MS);
	const newUrl = productionWebhookUrl(n8n, workflow(), TRIGGER).replace(`${n8n.url}/`, newBase);
	await waitFor('the subscription for the new URL', () => sandbox.webhooks().some((w) => w.url === newUrl));
	expect(ownSubscription()).toMatchObject({ url: newUrl, active: true });
	expect(ownSubscription().id).not.toBe(before.id);

	const event = createLead();
	await sandbox.waitForDeliveries({ eventId: event.id, ok: true, timeoutMs: 20_000 });
	expect(await waitForRun(n8n, event.id)).toEqual({ executions: 1, downstream: 1 });
}, RESTART_TEST_MS);

test('unpublished with the CLI while n8n is stopped: the subscription is removed at the next start', async () => {
	const { sandbox, n8n } = env;
	ownSubscription();
	await n8n.stop();
	progress('unpublishing with the CLI while n8n is stopped');
	const unpublished = await n8n.cli(['unpublish:workflow', `--id=${workflow().id}`]);
	expect(unpublished.code).toBe(0);
	await n8n.start(START_MS);
	const startedAt = Date.now();
	await waitFor('the subscription to be removed', () => sandbox.webhooks().length === 0, 60_000);
	progress(`subscription removed ${Date.now() - startedAt} ms after "Editor is now accessible"`);
}, RESTART_TEST_MS);
