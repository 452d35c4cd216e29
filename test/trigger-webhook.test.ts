/**
 * SalesOS Trigger end to end: the node's webhook() runs in a real n8n-core WebhookContext behind
 * a real HTTP server (test/helpers/engine/webhookServer.ts); every delivery is a real HTTP
 * POST from the SalesOS sandbox; registration talks to the sandbox's /v1/webhooks through the
 * transport. An execution is counted when the trigger's items ran through the engine.
 */
import { createHmac } from 'node:crypto';
import { HookContext } from 'n8n-core';
import type { IDataObject, IHookFunctions, INodeParameters, IWebhookData } from 'n8n-workflow';

import { SalesOsTrigger } from '../nodes/SalesOs/SalesOsTrigger.node';
import { fingerprint, serialiseSyncBase } from '../nodes/SalesOs/records/syncBase';
import { SALESOS_EVENTS } from '../nodes/SalesOs/trigger/events';
import { resetSigningSecretMemory } from '../nodes/SalesOs/trigger/signingSecrets';
import { forgetAcceptedEvents } from '../nodes/SalesOs/trigger/deliveryMemory';
import {
	clearProcessedData,
	createAdditionalData,
	startWebhookServer,
	TestCredentialsHelper,
	type WebhookServer,
} from './helpers/engine';
import { sandboxClientCredentials } from './helpers/sandboxCredentials';
import { startSandbox, type DeliverResult, type Sandbox, type WebhookEvent } from './sandbox';

const TRIGGER = 'SalesOS Trigger';
const hooks = new SalesOsTrigger().webhookMethods.default;

let sandbox: Sandbox;
const servers: WebhookServer[] = [];

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset({ webhookRetryDelaysMs: [30, 30] });
	clearProcessedData();
	resetSigningSecretMemory();
});
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

function credentials() {
	return new TestCredentialsHelper({
		salesOsClientCredentialsApi: sandboxClientCredentials(sandbox),
	});
}

async function triggerServer(parameters: INodeParameters, staticData?: IDataObject, typeVersion?: number): Promise<WebhookServer> {
	const server = await startWebhookServer({
		node: { name: TRIGGER, type: 'salesOsTrigger', parameters, typeVersion },
		credentials: credentials(),
		staticData,
	});
	servers.push(server);
	return server;
}

/** What n8n does on activation: checkExists, then create when it said false. */
async function activate(server: WebhookServer, context: IHookFunctions = server.hookContext()) {
	if (!(await hooks.checkExists.call(context))) await hooks.create.call(context);
}

/** The hook context of the editor's "Listen for test event": manual mode, the test URL. */
function editorTestRun(server: WebhookServer): IHookFunctions {
	const node = server.workflow.getNode(TRIGGER)!;
	const webhookBaseUrl = server.webhookUrl.slice(0, server.webhookUrl.indexOf('/webhook/') + '/webhook'.length);
	const additionalData = createAdditionalData({ credentialsHelper: credentials(), webhookBaseUrl });
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'webhook',
		webhookDescription: new SalesOsTrigger().description.webhooks![0],
		workflowId: server.workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest: true,
	};
	return new HookContext(server.workflow, node, additionalData, 'manual', 'manual', webhookData);
}

/** The same hook context as seen from another n8n instance (another encryption key). */
function onAnotherInstance(context: IHookFunctions): IHookFunctions {
	return Object.create(context, { getInstanceId: { value: () => 'another-n8n' } }) as IHookFunctions;
}

async function deactivate(server: WebhookServer) {
	await hooks.delete.call(server.hookContext());
}

/** The workflow's static data as n8n stores it (JSON). */
const savedStaticData = (server: WebhookServer) => JSON.parse(JSON.stringify(server.workflow.staticData)) as IDataObject;

const ownSubscriptions = (server: WebhookServer) => sandbox.webhooks().filter((w) => w.url === server.webhookUrl);
/** The secret SalesOS signs this trigger's deliveries with: SalesOS's word, the node stores none. */
const secretOf = (server: WebhookServer) => {
	const [subscription] = ownSubscriptions(server);
	if (!subscription) throw new Error('no subscription for this trigger in SalesOS');
	return subscription.secret;
};
/** The secret's bytes and hex appear nowhere in the workflow's static data. */
function expectNoSecretIn(server: WebhookServer, secret: string) {
	const saved = JSON.stringify(server.workflow.staticData);
	expect(saved).not.toContain(secret);
	expect(saved).not.toContain(Buffer.from(secret).toString('hex'));
}

/** Executions started so far (trigger items that ran through the engine), once all are done. */
async function executions(server: WebhookServer) {
	const deadline = Date.now() + 5000;
	while (server.calls.some((call) => call.response.workflowData && !call.execution)) {
		if (Date.now() > deadline) throw new Error('an execution did not finish');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	return server.calls.filter((call) => call.execution).map((call) => call.execution!);
}

async function triggerItems(server: WebhookServer) {
	return (await executions(server)).map((execution) => {
		expect(execution.error).toBeUndefined();
		return execution.outputOf(TRIGGER).map((item) => item.json);
	});
}

function sampleEvent(overrides: Partial<WebhookEvent> = {}): Partial<WebhookEvent> {
	const now = new Date().toISOString();
	return {
		id: `evt_${Math.random().toString(36).slice(2)}`,
		type: 'lead.created',
		ts: now,
		data: { id: 'lead-1', name: 'Ada', email: 'ada@example.com', custom_fields: {}, updated_at: now },
		...overrides,
	};
}

describe('automatic registration', () => {
	test('activation registers exactly one subscription with a fresh secret; re-activation adds none', async () => {
		const other = sandbox.subscribe({ url: 'https://other.example.com/hook', events: ['lead.created'] });
		const server = await triggerServer({ events: ['lead.created', 'deal.won'] });

		await activate(server);
		const [subscription] = ownSubscriptions(server);
		expect(ownSubscriptions(server)).toHaveLength(1);
		expect(subscription).toMatchObject({ events: ['deal.won', 'lead.created'], active: true });
		expect(server.staticData).toMatchObject({ webhookId: subscription.id, webhookUrl: server.webhookUrl });
		// The secret SalesOS signs with is derived by the node and kept nowhere in the workflow.
		expect(secretOf(server)).toMatch(/^[0-9a-f]{64}$/);
		expectNoSecretIn(server, secretOf(server));
		expect(subscription.description).toMatch(/\[n8n-nonce:[0-9a-f]{32}\]$/);

		await activate(server);
		await activate(server);
		expect(ownSubscriptions(server)).toHaveLength(1);
		expect(sandbox.requestCount('POST /v1/webhooks')).toBe(1);
		expect(sandbox.webhooks().find((w) => w.id === other.id)).toEqual(other);
	});

	test('deactivation removes its own subscription and leaves every other one alone', async () => {
		const server = await triggerServer({ events: ['*'] });
		// Someone registered the same URL by hand: not this node's (no nonce of it), so left alone.
		const foreign = sandbox.subscribe({ url: server.webhookUrl, events: ['lead.created'], secret: 'theirs' });
		const other = sandbox.subscribe({ url: 'https://other.example.com/hook', events: ['deal.won'] });

		await activate(server);
		const own = () => ownSubscriptions(server).filter((w) => w.id !== foreign.id);
		expect(own()).toHaveLength(1);
		expect(own()[0].events).toEqual(SALESOS_EVENTS.map((event) => event.value));

		const secret = own()[0].secret;
		await deactivate(server);
		expect(sandbox.webhooks().map((w) => w.id).sort()).toEqual([foreign.id, other.id].sort());
		expect(server.staticData.webhookId).toBeUndefined();

		// Publishing again rotates: a new nonce, so a new secret.
		await activate(server);
		const [again] = own();
		expect(again.secret).not.toBe(secret);
		expect(server.staticData.webhookId).toBe(again.id);
	});

	test('a copy of the workflow on another n8n instance registers its own subscription and never touches the original', async () => {
		const original = await triggerServer({ events: ['lead.created'] });
		await activate(original);
		const [originalSubscription] = ownSubscriptions(original);
		expect(original.staticData.instanceId).toBe(original.hookContext().getInstanceId());

		// Exported and imported elsewhere: the static data names the original's subscription and instance.
		const copy = await triggerServer({ events: ['lead.created'] }, savedStaticData(original));
		const copyContext = onAnotherInstance(copy.hookContext());
		expect(await hooks.checkExists.call(copyContext)).toBe(false);
		await hooks.create.call(copyContext);
		expect(copy.staticData).toMatchObject({ instanceId: 'another-n8n', webhookUrl: copy.webhookUrl });
		expect(sandbox.webhooks().map((w) => w.url).sort()).toEqual([original.webhookUrl, copy.webhookUrl].sort());
		expect(sandbox.webhooks().find((w) => w.id === originalSubscription.id)).toMatchObject({ active: true });
		expect(ownSubscriptions(copy)[0].secret).not.toBe(originalSubscription.secret);

		// Unpublishing a copy that still carries the original's record deletes nothing.
		const untouched = await triggerServer({ events: ['lead.created'] }, savedStaticData(original));
		await hooks.delete.call(onAnotherInstance(untouched.hookContext()));
		expect(sandbox.webhooks().some((w) => w.id === originalSubscription.id)).toBe(true);

		await hooks.delete.call(copyContext);
		expect(sandbox.webhooks().map((w) => w.id)).toEqual([originalSubscription.id]);
	});

	test('a record made before instance ids were kept is claimed only for the URL this instance serves', async () => {
		const server = await triggerServer({ events: ['lead.created'] });
		await activate(server);
		const [subscription] = ownSubscriptions(server);
		delete server.staticData.instanceId;

		const elsewhere = await triggerServer({ events: ['lead.created'] }, savedStaticData(server));
		await activate(elsewhere, onAnotherInstance(elsewhere.hookContext()));
		expect(sandbox.webhooks().some((w) => w.id === subscription.id)).toBe(true);

		expect(await hooks.checkExists.call(server.hookContext())).toBe(true);
		expect(server.staticData.instanceId).toBe(server.hookContext().getInstanceId());
	});

	test('a subscription deleted in SalesOS is re-created on activation, and deleting it again is not an error', async () => {
		const server = await triggerServer({ events: ['lead.created'] });
		await activate(server);
		const first = server.staticData.webhookId as string;
		sandbox.state.webhooks.delete(first);

		expect(await hooks.checkExists.call(server.hookContext())).toBe(false);
		await activate(server);
		expect(ownSubscriptions(server)).toHaveLength(1);
		expect(server.staticData.webhookId).not.toBe(first);

		sandbox.state.webhooks.delete(server.staticData.webhookId as string);
		await expect(hooks.delete.call(server.hookContext())).resolves.toBe(true);
		expect(server.staticData.webhookId).toBeUndefined();
	});

	test('re-activation brings the subscription in line with changed events and re-enables it', async () => {
		const server = await triggerServer({ events: ['lead.created'] });
		await activate(server);
		const [subscription] = ownSubscriptions(server);
		sandbox.state.webhooks.get(subscription.id)!.active = false; // SalesOS gave up after failures
		server.workflow.getNode(TRIGGER)!.parameters.events = ['lead.created', 'lead.deleted'];

		await activate(server);
		expect(ownSubscriptions(server)).toEqual([
			expect.objectContaining({ id: subscription.id, active: true, events: ['lead.created', 'lead.deleted'] }),
		]);
		expect(sandbox.requestCount('POST /v1/webhooks')).toBe(1);
	});

	test('an editor test run registers the test URL on its own and leaves the production subscription alone', async () => {
		const server = await triggerServer({ events: ['lead.created'] });
		await activate(server);
		const [production] = ownSubscriptions(server);
		// n8n runs a test from the stored workflow: its own copy of the static data.
		const editor = await triggerServer({ events: ['lead.created'] }, savedStaticData(server));
		const testRun = editorTestRun(editor);
		const testUrl = testRun.getNodeWebhookUrl('default')!;
		expect(testUrl).toContain('/webhook-test/');

		await activate(editor, testRun);
		expect(sandbox.webhooks().filter((w) => w.url === testUrl)).toHaveLength(1);
		await hooks.delete.call(testRun);
		expect(sandbox.webhooks()).toEqual([production]);
		expect(server.staticData.webhookId).toBe(production.id);
	});

	test('after N8N_WEBHOOK_URL changed, activation replaces its own subscription for the old URL', async () => {
		const before = await triggerServer({ events: ['lead.created'] });
		await activate(before);
		// Same workflow, n8n now reachable under another address (here: another port).
		const after = await triggerServer({ events: ['lead.created'] }, savedStaticData(before));
		await activate(after);
		expect(sandbox.webhooks().map((w) => w.url)).toEqual([after.webhookUrl]);
	});

	test('a subscription whose URL was changed in SalesOS is not ours any more: a new one is made, it stays', async () => {
		const server = await triggerServer({ events: ['lead.created'] });
		await activate(server);
		const [original] = ownSubscriptions(server);
		sandbox.state.webhooks.get(original.id)!.url = 'https://elsewhere.example.com/hook';

		await activate(server);
		expect(ownSubscriptions(server)).toHaveLength(1);
		expect(ownSubscriptions(server)[0].id).not.toBe(original.id);
		await deactivate(server);
		expect(sandbox.webhooks().map((w) => w.id)).toEqual([original.id]);
	});

	test('a URL SalesOS refuses gives a clear error naming N8N_WEBHOOK_URL', async () => {
		sandbox.updateSettings({ webhookAllowHttpLoopback: false });
		const server = await triggerServer({ events: ['lead.created'] });
		const failure = activate(server);
		await expect(failure).rejects.toThrow(`SalesOS rejected the webhook URL ${server.webhookUrl}`);
		await expect(failure).rejects.toMatchObject({ description: expect.stringContaining('N8N_WEBHOOK_URL environment variable (WEBHOOK_URL on n8n 1.x)') });
		expect(server.staticData.webhookId).toBeUndefined();
	});
});

describe('deliveries', () => {
	async function activeServer(parameters: INodeParameters = {}, typeVersion?: number) {
		const server = await triggerServer({ events: ['lead.created', 'lead.updated', 'deal.won'], ...parameters }, undefined, typeVersion);
		await activate(server);
		return server;
	}

	const deliver = async (server: WebhookServer, options: Partial<Parameters<Sandbox['deliver']>[0]> = {}) =>
		await sandbox.deliver({ url: server.webhookUrl, secret: secretOf(server), event: sampleEvent(), ...options });

	test('a signed event from SalesOS starts one execution with the record and the event', async () => {
		const server = await activeServer();
		const lead = sandbox.mutate({
			resource: 'leads',
			op: 'create',
			changes: { name: 'Grace Hopper', email: 'grace@example.com' },
		}) as IDataObject;
		const [delivery] = await sandbox.waitForDeliveries({ type: 'lead.created', ok: true });
		expect(delivery.status).toBe(200);

		const [event] = sandbox.emittedEvents('lead.created');
		expect(await triggerItems(server)).toEqual([
			[
				{
					...lead,
					event: { id: event.id, type: 'lead.created', ts: event.ts, version: '1', tenant: event.tenant },
				},
			],
		]);
	});

	test.each([
		['no header', 'none', 401, 'Missing X-SalesOS-Signature header'],
		['wrong secret', 'wrong-secret', 401, 'Invalid signature'],
		['tampered body', 'tampered-body', 401, 'Invalid signature'],
		['re-serialised body', 'reformatted', 401, 'Invalid signature'],
		['truncated hex', 'truncated', 401, 'Malformed X-SalesOS-Signature header'],
		['wrong prefix', 'wrong-prefix', 401, 'Malformed X-SalesOS-Signature header'],
	] as const)('%s → %s and no execution', async (_case, signature, status, reason) => {
		const server = await activeServer();
		const result = await deliver(server, { signature });
		expect(result.status).toBe(status);
		expect(result.body).toMatchObject({ error: expect.stringContaining(reason) });
		expect(await executions(server)).toHaveLength(0);
	});

	test.each([
		['non-JSON', 'this is not json', 'Body is not valid JSON'],
		['empty', '', 'Empty body'],
		['JSON that is not an event', '[1,2,3]', 'not a SalesOS event'],
	])('%s body, validly signed → 400 and no execution', async (_case, rawBody, reason) => {
		const server = await activeServer();
		const result = await deliver(server, { rawBody });
		expect(result.status).toBe(400);
		expect(result.body).toEqual({ error: expect.stringContaining(reason) });
		expect(await executions(server)).toHaveLength(0);
	});

	test('the same event delivered three times starts one execution', async () => {
		const server = await activeServer();
		sandbox.mutate({ resource: 'leads', op: 'create', changes: { name: 'Lin', email: 'lin@example.com' } });
		const [first] = await sandbox.waitForDeliveries({ type: 'lead.created', ok: true });
		// SalesOS re-sends the same bytes (as after a lost acknowledgement), twice.
		expect(sandbox.retryEvent(first.eventId)).toBe(1);
		expect(sandbox.retryEvent(first.eventId)).toBe(1);
		const attempts = await sandbox.waitForDeliveries({ eventId: first.eventId, count: 3 });

		expect(attempts.map((attempt) => attempt.status)).toEqual([200, 200, 200]);
		expect(server.calls.map((call) => call.status)).toEqual([200, 200, 200]);
		expect(await executions(server)).toHaveLength(1);
	});

	test('a redelivery to the same process is answered without an execution, and no delivery writes static data', async () => {
		const server = await activeServer();
		const event = sampleEvent();
		// n8n saves static data only when it is flagged as changed; in queue mode a worker's save
		// would overwrite the registration.
		server.workflow.staticData.__dataChanged = false;
		expect((await deliver(server, { event })).status).toBe(200);
		const again = await deliver(server, { event });
		expect(again).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
		expect(await executions(server)).toHaveLength(1);
		expect(server.workflow.staticData.__dataChanged).toBe(false);
		expect(Object.keys(server.staticData).sort()).toEqual(['instanceId', 'nonce', 'webhookId', 'webhookUrl']);
	});

	test('a redelivery to another process starts an execution that passes nothing on: n8n’s deduplication store knew the event', async () => {
		const server = await activeServer();
		const event = sampleEvent();
		expect((await deliver(server, { event })).status).toBe(200);
		// Another n8n process: no memory of the event in webhook(), the same database.
		forgetAcceptedEvents();
		const again = await deliver(server, { event });
		expect(again).toMatchObject({ status: 200, body: { received: true } });
		expect((await triggerItems(server)).map((items) => items.length)).toEqual([1, 0]);
	});

	test('events not selected are acknowledged without an execution', async () => {
		const server = await activeServer();
		const result = await deliver(server, { event: sampleEvent({ type: 'deal.created' }) });
		expect(result).toMatchObject({ status: 200, body: { received: true, ignored: 'event type not selected' } });
		expect(await executions(server)).toHaveLength(0);
	});

	// Versions before 2 keep Ignore Own Changes in Options; from 2 it and its settings are top-level.
	test.each([
		{ version: 1.1, parameters: { options: { ignoreOwnChanges: true } }, key: 'sync_marker', value: 'n8n', humanAfterMs: 60_000 },
		{ version: 2, parameters: { ignoreOwnChanges: true }, key: 'sync_marker', value: 'n8n', humanAfterMs: 60_000 },
		{
			version: 2,
			parameters: { ignoreOwnChanges: true, syncMarkerKey: 'origin', syncMarkerValue: 'hub', echoWindowSeconds: 2 },
			key: 'origin',
			value: 'hub',
			humanAfterMs: 3_000,
		},
	])('Ignore Own Changes drops the echo of our write but passes a later human edit (version $version, $parameters)', async ({ version, parameters, key, value, humanAfterMs }) => {
		const server = await activeServer(parameters, version);
		const written = Date.parse('2024-05-01T10:00:00.000Z');
		const record = (updatedAt: number) => ({
			id: 'lead-9',
			custom_fields: { [key]: `${value}@${new Date(written).toISOString()}` },
			updated_at: new Date(updatedAt).toISOString(),
		});

		const echo = await deliver(server, { event: sampleEvent({ type: 'lead.updated', data: record(written + 300) }) });
		expect(echo).toMatchObject({ status: 200, body: { received: true, ignored: 'own change' } });
		const human = await deliver(server, { event: sampleEvent({ type: 'lead.updated', data: record(written + humanAfterMs) }) });
		expect(human.status).toBe(200);
		expect((await triggerItems(server)).map(([item]) => item.updated_at)).toEqual([record(written + humanAfterMs).updated_at]);
	});

	test('Ignore Own Changes by sync base: a lead at its base is skipped at any time; any edit, however soon, runs with the changed fields; a delete always runs', async () => {
		const server = await activeServer({ ignoreOwnChanges: true, ownChangesBy: 'syncBase', syncedFields: ['name', 'phone'] }, 2);
		const agreed = { id: 'lead-7', name: 'Ada', phone: '+5511900000001' };
		const base = serialiseSyncBase({ name: fingerprint('name', 'Ada'), phone: fingerprint('phone', '+5511900000001') });
		const now = new Date().toISOString();
		const lead = (fields: IDataObject) => ({ ...agreed, ...fields, custom_fields: { sync_base: base }, updated_at: now });

		const echo = await deliver(server, { event: sampleEvent({ type: 'lead.updated', data: lead({ company: 'not synced' }) }) });
		expect(echo).toMatchObject({ status: 200, body: { received: true, ignored: 'own change' } });
		// Same updated_at as the echo: no time window decides, the content does.
		expect((await deliver(server, { event: sampleEvent({ type: 'lead.updated', data: lead({ phone: '+5511900000002' }) }) })).status).toBe(200);
		const deleted = sampleEvent({ type: 'lead.updated', data: lead({}) });
		const triggerWithDeletes = await activeServer({ events: ['lead.deleted'], ignoreOwnChanges: true, ownChangesBy: 'syncBase' }, 2);
		expect((await deliver(triggerWithDeletes, { event: { ...deleted, type: 'lead.deleted' } })).body).toEqual({ received: true });

		expect((await triggerItems(server)).map(([item]) => [item.phone, item.changedFields])).toEqual([['+5511900000002', ['phone']]]);
		expect(await executions(triggerWithDeletes)).toHaveLength(1);
	});

	test('Max Event Age refuses stale events with 401 and accepts fresh ones', async () => {
		const server = await activeServer({ options: { maxEventAgeSeconds: 300 } });
		const stale = await deliver(server, { event: sampleEvent({ ts: new Date(Date.now() - 3_600_000).toISOString() }) });
		expect(stale).toMatchObject({ status: 401, body: { error: expect.stringContaining('300 s') } });
		expect((await deliver(server)).status).toBe(200);
		expect(await executions(server)).toHaveLength(1);
	});

	test('Output Raw Envelope outputs the delivery as SalesOS sent it', async () => {
		const server = await activeServer({ options: { outputRawEnvelope: true } });
		const event = sampleEvent();
		const result: DeliverResult = await deliver(server, { event });
		expect(await triggerItems(server)).toEqual([[JSON.parse(result.sentBody)]]);
	});
});

describe('manual registration', () => {
	test('verifies with the pasted secret and never touches SalesOS subscriptions', async () => {
		const secret = 'whsec_pasted_by_the_user';
		const server = await triggerServer({ registration: 'manual', signingSecret: secret, events: ['*'] }, undefined, 2);
		await activate(server);
		await deactivate(server);
		expect(sandbox.webhooks()).toEqual([]);
		expect(sandbox.requestCount('GET /v1/webhooks') + sandbox.requestCount('POST /v1/webhooks')).toBe(0);

		const body = JSON.stringify(sampleEvent({ type: 'user.activated' }));
		const ok = await sandbox.deliver({ url: server.webhookUrl, secret, rawBody: body });
		expect(ok.status).toBe(200);
		const wrong = await sandbox.deliver({ url: server.webhookUrl, secret: 'whsec_other', rawBody: body });
		expect(wrong.status).toBe(401);
		// Our own HMAC over the bytes sent agrees with what the sandbox signed.
		expect(ok.signatureHeader).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
		expect(await executions(server)).toHaveLength(1);
	});
});

describe('signing secrets', () => {
	const events = ['lead.created'];

	test('a re-publish rotates the secret; the previous one verifies within Previous Secret Valid For, then gets 401 with a hint', async () => {
		const server = await triggerServer({ events, options: { previousSecretValidForSeconds: 1 } });
		await activate(server);
		const before = secretOf(server);
		await deactivate(server);
		await activate(server);
		const after = secretOf(server);
		expect(after).not.toBe(before);
		expect(server.staticData).toMatchObject({ previousNonce: expect.any(String), previousNonceExpiresAt: expect.any(Number) });
		expectNoSecretIn(server, before);
		expectNoSecretIn(server, after);

		expect((await sandbox.deliver({ url: server.webhookUrl, secret: before, event: sampleEvent() })).status).toBe(200);
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: after, event: sampleEvent() })).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const refused = await sandbox.deliver({ url: server.webhookUrl, secret: before, event: sampleEvent() });
		expect(refused).toMatchObject({
			status: 401,
			body: { error: 'Invalid signature', description: expect.stringContaining('If you changed the SalesOS credential’s secret, publish the workflow again') },
		});
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: after, event: sampleEvent() })).status).toBe(200);
		expect(await executions(server)).toHaveLength(3);
	});

	test('a stale static-data save after a re-registration does not lock deliveries out; forgeries cause at most one SalesOS lookup per interval', async () => {
		const server = await triggerServer({ events });
		await activate(server);
		const stale = savedStaticData(server);
		await deactivate(server);
		await activate(server);
		const current = secretOf(server);
		// An execution that loaded the static data before the re-registration saves it when it ends.
		for (const key of Object.keys(server.staticData)) delete server.staticData[key];
		Object.assign(server.staticData, (stale as Record<string, IDataObject>)[`node:${TRIGGER}`]);

		const lookups = () => sandbox.requestCount('GET /v1/webhooks');
		const before = lookups();
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: current, event: sampleEvent() })).status).toBe(200);
		for (let index = 0; index < 10; index++) {
			expect((await sandbox.deliver({ url: server.webhookUrl, secret: 'whsec_forged', event: sampleEvent() })).status).toBe(401);
		}
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: current, event: sampleEvent() })).status).toBe(200);
		expect(lookups() - before).toBe(1);
		expect(await executions(server)).toHaveLength(2);
	});

	test('static data lost: activation adopts the subscription SalesOS holds for this URL instead of registering a second one', async () => {
		const server = await triggerServer({ events });
		await activate(server);
		const [subscription] = ownSubscriptions(server);
		for (const key of Object.keys(server.staticData)) delete server.staticData[key];

		expect(await hooks.checkExists.call(server.hookContext())).toBe(true);
		expect(ownSubscriptions(server)).toEqual([subscription]);
		expect(server.staticData).toMatchObject({ webhookId: subscription.id, nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: subscription.secret, event: sampleEvent() })).status).toBe(200);

		// A create with the record lost replaces the subscription for this URL, never adds one.
		for (const key of Object.keys(server.staticData)) delete server.staticData[key];
		await hooks.create.call(server.hookContext());
		expect(ownSubscriptions(server)).toHaveLength(1);
		expect(ownSubscriptions(server)[0].id).not.toBe(subscription.id);
	});

	test('a record of an earlier package version (the secret itself in static data) still verifies; the next publish replaces it with a derived one', async () => {
		const legacySecret = 'f'.repeat(64);
		const server = await triggerServer({ events });
		const subscription = sandbox.subscribe({ url: server.webhookUrl, events, secret: legacySecret });
		Object.assign(server.staticData, { webhookId: subscription.id, webhookUrl: server.webhookUrl, secret: legacySecret, instanceId: server.hookContext().getInstanceId() });
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: legacySecret, event: sampleEvent() })).status).toBe(200);

		await activate(server);
		expect(ownSubscriptions(server)).toHaveLength(1);
		expect(secretOf(server)).not.toBe(legacySecret);
		expect(server.staticData.secret).toBeUndefined();
		expectNoSecretIn(server, secretOf(server));
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: secretOf(server), event: sampleEvent() })).status).toBe(200);
	});

	test('Manual registration from version 3 verifies with the signing secret credential, not a parameter', async () => {
		const secret = 'whsec_from_the_credential_store';
		const server = await startWebhookServer({
			node: { name: TRIGGER, type: 'salesOsTrigger', typeVersion: 3, parameters: { registration: 'manual', events: ['*'], signingSecret: 'whsec_ignored_parameter' } },
			credentials: new TestCredentialsHelper({ salesOsWebhookSigningSecretApi: { secret } }),
		});
		servers.push(server);
		await activate(server);
		expect(sandbox.webhooks()).toEqual([]);
		expect((await sandbox.deliver({ url: server.webhookUrl, secret, event: sampleEvent() })).status).toBe(200);
		expect((await sandbox.deliver({ url: server.webhookUrl, secret: 'whsec_ignored_parameter', event: sampleEvent() })).status).toBe(401);
		expect(await executions(server)).toHaveLength(1);
	});

	test('a failing SalesOS lookup refuses the delivery with 401 (SalesOS retries it), not with an n8n error', async () => {
		const server = await triggerServer({ events });
		await activate(server);
		const current = secretOf(server);
		delete server.staticData.nonce; // as after a stale save of an unusable record
		sandbox.setFaults([{ route: '/v1/webhooks', method: 'GET', status: 400, count: 1 }]);
		const refused = await sandbox.deliver({ url: server.webhookUrl, secret: current, event: sampleEvent() });
		expect(refused).toMatchObject({ status: 401, body: { error: 'Invalid signature' } });
		expect(server.failures).toEqual([]);
		expect(await executions(server)).toHaveLength(0);
	});

	test('Manual registration (version 3) without a credential answers 401 "no signing secret configured"', async () => {
		const server = await startWebhookServer({
			node: { name: TRIGGER, type: 'salesOsTrigger', typeVersion: 3, parameters: { registration: 'manual', events: ['*'] } },
			credentials: new TestCredentialsHelper({}),
		});
		servers.push(server);
		const result = await sandbox.deliver({ url: server.webhookUrl, secret: 'whsec_any', event: sampleEvent() });
		expect(result).toMatchObject({ status: 401, body: { error: expect.stringContaining('No signing secret configured') } });
	});

	test('the signing secret credential test says what it can and cannot check', async () => {
		const { signingSecretTest } = await import('../nodes/SalesOs/trigger/signingSecrets');
		const run = async (secret: string) => await signingSecretTest.call({} as never, { id: '1', name: 'x', type: 'salesOsWebhookSigningSecretApi', data: { secret } });
		expect(await run('')).toMatchObject({ status: 'Error' });
		expect(await run(' whsec_x')).toMatchObject({ status: 'Error', message: expect.stringContaining('space') });
		expect(await run('whsec_x')).toMatchObject({ status: 'OK', message: expect.stringContaining('SalesOS cannot check a signing secret in advance') });
	});
});
