// Where the SalesOS Trigger's signing secrets live, in real n8n (issue 22): nothing usable in the
// workflow (REST, export), Manual registration from a credential (node version 3), a version-1
// workflow with the old parameter still verifying, a re-publish rotating the automatic secret
// with a stated overlap, and a stale static-data save not locking deliveries out. On the primary
// n8n version and on the compatibility versions (the newest 1.x, the newest installable 2.x).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { LOOKUP_INTERVAL_MS } from '../../nodes/SalesOs/trigger/signingSecrets';
import { CLIENT_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME } from '../../scripts/examples';
import { COMPATIBILITY_N8N_VERSIONS, PRIMARY_N8N_VERSION } from '../../scripts/n8n/install';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import { allOutputsOf, productionWebhookUrl, setUpRealN8n, waitFor, type RealN8n } from './harness';

const TRIGGER = 'SalesOS Trigger';
const MANUAL_SECRET = `whsec_${randomUUID().replace(/-/g, '')}`;
const LEGACY_SECRET = 'whsec_version_one_parameter';
const SIGNING_CREDENTIAL = { id: 'signingSecretCredential', name: 'SalesOS webhook signing secret' };
/** Short, so the test sees the previous secret refused after it. */
const OVERLAP_SECONDS = 20;

function triggerWorkflow(id: string, typeVersion: number, parameters: Record<string, unknown>, credentials: Record<string, unknown>): WorkflowJson {
	return {
		id,
		name: `e2e secrets: ${id}`,
		nodes: [
			{ name: TRIGGER, type: 'n8n-nodes-salesos.salesOsTrigger', typeVersion, position: [0, 0], webhookId: randomUUID(), parameters: { events: ['lead.created'], options: {}, ...parameters }, credentials },
			{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	};
}

const automatic = triggerWorkflow('secretsAutomatic', 3, { options: { previousSecretValidForSeconds: OVERLAP_SECONDS } }, {
	salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME },
});
const manualV3 = triggerWorkflow('secretsManualV3', 3, { registration: 'manual' }, { salesOsWebhookSigningSecretApi: SIGNING_CREDENTIAL });
const manualV1 = triggerWorkflow('secretsManualV1', 1, { registration: 'manual', signingSecret: LEGACY_SECRET }, {});

/**
 * Writes a workflow's static data straight into n8n's SQLite database, as an execution's late save
 * does. Node's own SQLite (this suite's Node 24), so no sqlite3 program is needed; the busy timeout
 * waits out the moment n8n holds the write lock (it saves executions), as n8n itself would.
 */
function writeStaticData(database: string, workflowId: string, staticData: unknown) {
	const script = `const { DatabaseSync } = require('node:sqlite');
const [database, id, data] = process.argv.slice(1);
new DatabaseSync(database, { timeout: 30000 }).prepare('UPDATE workflow_entity SET staticData = ? WHERE id = ?').run(data, id);`;
	execFileSync(process.execPath, ['--no-warnings', '-e', script, database, workflowId, JSON.stringify(staticData)]);
}

describe.each([PRIMARY_N8N_VERSION, ...COMPATIBILITY_N8N_VERSIONS])('n8n %s', (version) => {
	let env: RealN8n;

	beforeAll(async () => {
		env = await setUpRealN8n({ version, moreWorkflows: () => [automatic, manualV3, manualV1] });
		await env.n8n.importCredentials([{ ...SIGNING_CREDENTIAL, type: 'salesOsWebhookSigningSecretApi', data: { secret: MANUAL_SECRET } }]);
		for (const workflow of [automatic, manualV3, manualV1]) await env.n8n.publish(workflow.id!);
		await env.n8n.start(300_000);
		await env.n8n.rest.ensureOwner();
		for (const workflow of [automatic, manualV3, manualV1]) {
			const url = productionWebhookUrl(env.n8n, workflow, TRIGGER);
			await waitFor(`${workflow.id} to answer`, async () => (await fetch(url, { method: 'POST' })).status === 401, 120_000);
		}
		// n8n stores the webhook (it answers) before it runs create(): the subscription and the
		// static data the trigger saves come a moment later (0 subscriptions on a loaded CI machine).
		await waitFor('the automatic trigger’s registration', async () => {
			const registration = (await env.n8n.rest.getWorkflow(automatic.id!)).staticData?.[`node:${TRIGGER}`];
			return registration?.webhookId !== undefined && automaticSubscriptions().length === 1;
		}, 120_000);
	}, 30 * 60_000);

	afterAll(async () => {
		await env?.tearDown();
	}, 60_000);

	const urlOf = (workflow: WorkflowJson) => productionWebhookUrl(env.n8n, workflow, TRIGGER);
	function automaticSubscriptions() {
		const path = new URL(urlOf(automatic)).pathname;
		return env.sandbox.webhooks().filter((webhook) => new URL(webhook.url).pathname === path);
	}
	const subscription = () => {
		const found = automaticSubscriptions();
		if (found.length !== 1) throw new Error(`expected one subscription for the automatic trigger, SalesOS has ${found.length}`);
		return found[0];
	};
	const deliver = async (workflow: WorkflowJson, secret: string, signature: 'valid' | 'wrong-secret' = 'valid') => {
		const event = { id: `evt_${randomUUID()}`, type: 'lead.created' };
		const result = await env.sandbox.deliver({ url: urlOf(workflow), secret, event, signature });
		return { ...result, eventId: event.id };
	};
	/** Whether the event reached the node behind the trigger. */
	async function ran(workflow: WorkflowJson, eventId: string): Promise<boolean> {
		return await waitFor(`the run of ${eventId}`, async () => {
			for (const execution of await env.n8n.rest.listExecutions(workflow.id!)) {
				if (!execution.stoppedAt) continue;
				const { data } = await env.n8n.rest.getExecution(execution.id);
				if (allOutputsOf({ data }, 'Done').some((item) => item.event?.id === eventId)) return true;
			}
			return undefined;
		}, 60_000);
	}

	/** The secret's bytes (as text, hex and base64) appear nowhere in the text. */
	function expectNoSecretIn(text: string, secret: string) {
		for (const form of [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')]) expect(text).not.toContain(form);
	}

	test('GET /rest/workflows/:id and n8n export:workflow contain no signing secret (Automatic and Manual version 3)', async () => {
		const { secret } = subscription();
		for (const [workflow, known] of [[automatic, secret], [manualV3, MANUAL_SECRET]] as const) {
			const rest = await env.n8n.rest.getWorkflow(workflow.id!);
			expectNoSecretIn(JSON.stringify(rest), known);
			const file = join(env.n8n.userFolder, `export-${workflow.id}.json`);
			expect((await env.n8n.cli(['export:workflow', `--id=${workflow.id}`, `--output=${file}`])).code).toBe(0);
			expectNoSecretIn(readFileSync(file, 'utf8'), known);
		}
		// What static data keeps instead: non-secret facts.
		const rest = await env.n8n.rest.getWorkflow(automatic.id!);
		expect(Object.keys(rest.staticData[`node:${TRIGGER}`]).sort()).toEqual(['instanceId', 'nonce', 'webhookId', 'webhookUrl']);
	}, 300_000);

	test('Manual registration (version 3) verifies with the credential; a version-1 workflow with the old Signing Secret parameter still verifies', async () => {
		const v3 = await deliver(manualV3, MANUAL_SECRET);
		expect(v3.status).toBe(200);
		expect(await ran(manualV3, v3.eventId)).toBe(true);
		expect((await deliver(manualV3, MANUAL_SECRET, 'wrong-secret')).status).toBe(401);

		const v1 = await deliver(manualV1, LEGACY_SECRET);
		expect(v1.status).toBe(200);
		expect(await ran(manualV1, v1.eventId)).toBe(true);
		expect((await deliver(manualV1, LEGACY_SECRET, 'wrong-secret')).status).toBe(401);
	}, 300_000);

	test(`a re-publish rotates the automatic secret: the previous one is accepted for ${OVERLAP_SECONDS} s, then refused with a hint`, async () => {
		const before = subscription();
		expect((await deliver(automatic, before.secret)).status).toBe(200);

		await env.n8n.rest.deactivateWorkflow(automatic.id!);
		await env.n8n.rest.activateWorkflow(automatic.id!);
		const after = await waitFor('the new subscription', () => {
			const current = subscription();
			return current.id !== before.id ? current : undefined;
		});
		// n8n registers a moment after the REST call returns: the expiry the trigger stored is the reference.
		const { previousNonceExpiresAt } = await waitFor('the rotated registration in static data', async () => {
			const registration = (await env.n8n.rest.getWorkflow(automatic.id!)).staticData?.[`node:${TRIGGER}`];
			return registration?.webhookId === after.id ? registration : undefined;
		});
		expect(after.secret).not.toBe(before.secret);
		expect((await deliver(automatic, after.secret)).status).toBe(200);
		expect(Date.now()).toBeLessThan(previousNonceExpiresAt);
		const old = await deliver(automatic, before.secret);
		expect(old.status).toBe(200);
		expect(await ran(automatic, old.eventId)).toBe(true);

		await new Promise((resolve) => setTimeout(resolve, Math.max(0, previousNonceExpiresAt + 1000 - Date.now())));
		const refused = await deliver(automatic, before.secret);
		expect(refused.status).toBe(401);
		expect(refused.body).toMatchObject({ error: 'Invalid signature', description: expect.stringContaining('publish the workflow again') });
		expect((await deliver(automatic, after.secret)).status).toBe(200);
	}, 300_000);

	test('a stale static-data save during re-registration does not lock deliveries out, and forgeries do not flood SalesOS with lookups', async () => {
		// The previous test's refused delivery made this process look SalesOS up; the next lookup for
		// this trigger is allowed LOOKUP_INTERVAL_MS later (until then a valid delivery after a stale
		// save gets 401 and SalesOS's retry, a minute later, is accepted).
		await new Promise((resolve) => setTimeout(resolve, LOOKUP_INTERVAL_MS + 1000));
		const stale = (await env.n8n.rest.getWorkflow(automatic.id!)).staticData;
		await env.n8n.rest.deactivateWorkflow(automatic.id!);
		await env.n8n.rest.activateWorkflow(automatic.id!);
		const current = await waitFor('the new subscription', () => {
			const found = subscription();
			return found.id !== stale[`node:${TRIGGER}`].webhookId ? found : undefined;
		});
		// An execution that loaded the static data before the re-registration saves it when it ends.
		writeStaticData(join(env.n8n.userFolder, '.n8n', 'database.sqlite'), automatic.id!, stale);
		expect((await env.n8n.rest.getWorkflow(automatic.id!)).staticData).toEqual(stale);

		const lookupsBefore = env.sandbox.requestCount('GET /v1/webhooks');
		const delivered = await deliver(automatic, current.secret);
		expect(delivered.status).toBe(200);
		expect(await ran(automatic, delivered.eventId)).toBe(true);
		for (let index = 0; index < 20; index++) expect((await deliver(automatic, 'whsec_forged', 'valid')).status).toBe(401);
		expect((await deliver(automatic, current.secret)).status).toBe(200);
		const lookups = env.sandbox.requestCount('GET /v1/webhooks') - lookupsBefore;
		progress(`n8n ${version}: SalesOS lookups for 1 delivery after the stale save, 20 forgeries and 1 more delivery: ${lookups}`);
		expect(lookups).toBe(1);
	}, 300_000);
});

function progress(line: string) {
	process.stderr.write(`[secrets e2e] ${line}\n`);
}
