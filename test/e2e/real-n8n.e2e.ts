// The package inside a real n8n 2.40.7: the shipped example workflows run headless with
// `n8n execute`, then published in a running `n8n start` that receives real signed deliveries
// from the SalesOS sandbox. Effects are checked at the sandbox and its external-system stand-in.
import { API_KEY_CREDENTIAL_ID, API_KEY_CREDENTIAL_NAME } from '../../scripts/examples';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import {
	allOutputsOf,
	expectSuccess,
	outputOf,
	productionWebhookUrl,
	setUpRealN8n,
	waitFor,
	type RealN8n,
} from './harness';

let env: RealN8n;

beforeAll(async () => {
	env = await setUpRealN8n();
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

const example = (key: '01' | '02' | '03' | '04'): WorkflowJson => env.examples[key];
const externalBodies = (collection: string): any[] => env.sandbox.external(collection).map((record) => record.body);
const leadsWithEmail = (email: string): any[] =>
	(env.sandbox.records('leads') as any[]).filter((lead) => lead.email === email);

describe('each example runs headless (`n8n execute`)', () => {
	test('01 SalesOS → external: every won deal becomes exactly one ERP order, also when run twice', async () => {
		const { sandbox, n8n } = env;
		const deals = sandbox.seed({ resource: 'deals', count: 4 }).records as any[];
		const won = deals.slice(0, 2).map((deal) => sandbox.mutate({ resource: 'deals', id: deal.id, changes: { status: 'won' } }) as any);

		const first = await n8n.execute(example('01').id!);
		expectSuccess(first);
		const second = await n8n.execute(example('01').id!);
		expectSuccess(second);

		const orders = externalBodies('orders');
		expect(orders.map((order) => order.salesos_deal_id).sort()).toEqual(won.map((deal) => deal.id).sort());
		for (const deal of won) {
			expect(orders.find((order) => order.salesos_deal_id === deal.id)).toEqual({
				idempotency_key: `backfill-${deal.id}`,
				salesos_deal_id: deal.id,
				title: deal.name,
				customer: deal.company,
				contact_email: deal.contact_email,
				amount: deal.value,
				won_at: deal.updated_at,
			});
		}
		// The second run sent the same idempotency keys, and the ERP recognised both as repeats.
		expect(outputOf(second, 'Create ERP order').map((response) => response.duplicate)).toEqual([true, true]);
	});

	test('02 form → lead: submissions create or update one lead each (409 becomes an update); the 422 goes to the error branch with its field errors', async () => {
		const { sandbox, n8n } = env;
		// Bruno already exists in SalesOS without an external ID: creating him answers 409 (email).
		const [bruno] = sandbox.seed({
			resource: 'leads',
			records: [{ name: 'B. Lima', email: 'bruno.lima@example.com', custom_fields: {} }],
		}).records as any[];

		const first = await n8n.execute(example('02').id!);
		expectSuccess(first);
		expect(outputOf(first, 'Create or update lead').map((lead) => [lead.email, lead.operationResult])).toEqual([
			['ana.souza@example.com', 'created'],
			['bruno.lima@example.com', 'updated'],
		]);
		const [failed] = outputOf(first, 'Create or update lead', 1);
		expect(failed).toMatchObject({
			external_id: 'form-1003',
			email: 'carla.dias(at)example.com',
			error: { status: 422, code: 'VALIDATION_ERROR', details: [expect.objectContaining({ field: 'email' })] },
		});

		const second = await n8n.execute(example('02').id!);
		expectSuccess(second);
		expect(outputOf(second, 'Create or update lead').map((lead) => lead.operationResult)).toEqual(['unchanged', 'unchanged']);

		expect(leadsWithEmail('ana.souza@example.com')).toEqual([
			expect.objectContaining({ name: 'Ana Souza', source: 'web-form', custom_fields: { external_id: 'form-1001' } }),
		]);
		expect(leadsWithEmail('bruno.lima@example.com')).toEqual([
			expect.objectContaining({ id: bruno.id, name: 'Bruno Lima', custom_fields: { external_id: 'form-1002' } }),
		]);
		expect(leadsWithEmail('carla.dias(at)example.com')).toEqual([]);
		const reports = externalBodies('form-errors');
		expect(reports).toHaveLength(2);
		for (const report of reports) {
			expect(report).toEqual({
				contact_id: 'form-1003',
				email: 'carla.dias(at)example.com',
				status: 422,
				code: 'VALIDATION_ERROR',
				problems: [expect.objectContaining({ field: 'email' })],
			});
		}
	});

	test('03 batch sync: changed deals go out in batches of 50, once each; a record the ERP rejects is reported and does not stop the batch', async () => {
		const { sandbox, n8n } = env;
		sandbox.seed({ resource: 'deals', count: 56 });
		const deals = sandbox.records('deals') as any[];
		expect(deals.length).toBeGreaterThan(50);
		const rejected = deals[7];
		sandbox.setFaults([{ route: `/external/erp-deals/${rejected.id}`, method: 'PUT', status: 422 }]);
		try {
			const result = await n8n.execute(example('03').id!);
			expectSuccess(result);
			expect(result.run.data.resultData.runData['Map deal to ERP record']).toHaveLength(Math.ceil(deals.length / 50));
		} finally {
			sandbox.clearFaults();
		}

		const pushed = externalBodies('erp-deals');
		const expected = deals.filter((deal) => deal.id !== rejected.id);
		expect(pushed.map((record) => record.salesos_id).sort()).toEqual(expected.map((deal) => deal.id).sort());
		for (const deal of expected) {
			expect(pushed.find((record) => record.salesos_id === deal.id)).toMatchObject({
				idempotency_key: `${deal.id}@${deal.updated_at}`,
				amount: deal.value,
				stage: deal.stage.name,
			});
		}
		expect(externalBodies('sync-failures')).toEqual([
			expect.objectContaining({ salesos_id: rejected.id, sync_status: 'failed', error: expect.stringMatching(/\S/) }),
		]);
	});

	test('04 two-way: the sample contact change syncs contact crm-2001 of the contact system into one new lead with its sync base; a repeat changes nothing', async () => {
		const { sandbox, n8n } = env;
		sandbox.contacts.put('crm-2001', { name: 'Diego Alves', email: 'diego.alves@example.com', phone: '+5511955554444', company: 'Alves Logística' }, 'crm-user');
		const first = await n8n.execute(example('04').id!);
		expectSuccess(first);
		const second = await n8n.execute(example('04').id!);
		expectSuccess(second);
		expect(outputOf(first, 'Two-way sync lead from contact')[0]).toMatchObject({ operationResult: 'created', otherSystemNeedsUpdate: false });
		expect(outputOf(second, 'Two-way sync lead from contact')[0]).toMatchObject({ operationResult: 'unchanged', writtenToSalesOs: {} });
		const leads = leadsWithEmail('diego.alves@example.com');
		expect(leads).toHaveLength(1);
		expect(leads[0]).toMatchObject({ name: 'Diego Alves', phone: '+5511955554444', company: 'Alves Logística' });
		expect(leads[0].custom_fields).toEqual({ external_id: 'crm-2001', sync_base: expect.stringMatching(/"company":"[0-9a-f]{16}"/) });
	});

	test('the API-key credential signs every request (P2S-SIGN-V1) inside n8n', async () => {
		const { sandbox, n8n } = env;
		const keys = sandbox.settings.apiKeys;
		// Plain `Bearer <key>` is refused from now on: only signed requests get through.
		sandbox.updateSettings({ apiKeys: keys.map((key) => ({ ...key, requireSignature: true })) });
		try {
			const workflow: WorkflowJson = {
				id: 'SalesOsE2eApiKey',
				name: 'e2e: stages with the API key',
				nodes: [
					{ id: 'e2e-manual', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: 'e2e-stages',
						name: 'Stages',
						type: 'n8n-nodes-salesos.salesOs',
						typeVersion: 1,
						position: [220, 0],
						parameters: { authentication: 'apiKey', resource: 'stage', operation: 'getMany', returnAll: true },
						credentials: { salesOsApiKeyApi: { id: API_KEY_CREDENTIAL_ID, name: API_KEY_CREDENTIAL_NAME } },
					},
				],
				connections: { Start: { main: [[{ node: 'Stages', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			};
			await n8n.importWorkflows([workflow]);
			const result = await n8n.execute(workflow.id!);
			expectSuccess(result);
			expect(outputOf(result, 'Stages').map((stage) => stage.name)).toEqual([
				'Prospecting',
				'Qualification',
				'Proposal',
				'Negotiation',
				'Closed Won',
				'Closed Lost',
			]);
		} finally {
			sandbox.updateSettings({ apiKeys: keys });
		}
	});
});

describe('published in a running n8n (`n8n start`)', () => {
	const triggerUrl = (key: '01' | '04') => productionWebhookUrl(env.n8n, example(key), 'SalesOS Trigger');
	const executionsOf = async (key: string) =>
		(await env.n8n.rest.listExecutions(example(key as '01').id!)).filter((execution) => execution.mode !== 'cli');
	/** Run data of every execution (oldest first) once none is still running. */
	const finishedRunsOf = async (key: string) => {
		const executions = await executionsOf(key);
		if (executions.some((execution) => execution.status === 'running' || execution.status === 'new')) return undefined;
		executions.sort((a, b) => Number(a.id) - Number(b.id));
		return await Promise.all(executions.map(async (execution) => (await env.n8n.rest.getExecution(execution.id)).data));
	};

	beforeAll(async () => {
		const { n8n } = env;
		// The activation poll of "Start From: All Records" emits every deal, so the poll trigger has
		// work as soon as n8n starts (polls can not run more often than once a minute).
		const pollCopy = structuredClone(example('03'));
		pollCopy.nodes.find((node) => node.name === 'SalesOS Poll Trigger')!.parameters.startFrom = 'allRecords';
		await n8n.importWorkflows([pollCopy]);
		for (const key of ['01', '02', '03', '04'] as const) await n8n.publish(example(key).id!);
		await n8n.start();
		await n8n.rest.ensureOwner();
		// n8n 2.x publishes through an outbox: the triggers register a moment after the editor is up.
		await waitFor('the triggers to register', () => env.sandbox.webhooks().length >= 2);
	}, 180_000);

	test('automatic registration: exactly one subscription per SalesOS Trigger, at its Production URL, with its events', async () => {
		const subscriptions = env.sandbox.webhooks();
		expect(subscriptions.map((subscription) => [subscription.url, [...subscription.events].sort(), subscription.active]).sort()).toEqual(
			[
				[triggerUrl('01'), ['deal.won', 'lead.created'], true],
				[triggerUrl('04'), ['lead.created', 'lead.deleted', 'lead.updated'], true],
			].sort(),
		);
	});

	test('poll trigger: the activation poll pushes every deal to the ERP once', async () => {
		const runs = await waitFor('the poll-triggered batch sync to finish', async () => {
			const finished = await finishedRunsOf('03');
			return finished && finished.length > 0 ? finished : undefined;
		}, 60_000);
		expect(runs).toHaveLength(1);
		expect(runs[0].resultData.error).toBeUndefined();
		const sent = allOutputsOf({ data: runs[0] }, 'Map deal to ERP record').map((record) => record.idempotency_key);
		const deals = env.sandbox.records('deals') as any[];
		expect(sent.sort()).toEqual(deals.map((deal) => `${deal.id}@${deal.updated_at}`).sort());
	});

	test('SalesOS Trigger: a won deal runs the workflow once; forged or malformed deliveries are refused without an execution; a redelivery does not run it again', async () => {
		const { sandbox } = env;
		const before = (await executionsOf('01')).length;
		const [deal] = sandbox.seed({ resource: 'deals', count: 1 }).records as any[];
		sandbox.mutate({ resource: 'deals', id: deal.id, changes: { status: 'won' } });
		const wonEvent = sandbox.emittedEvents('deal.won').find((event) => (event.data as any).id === deal.id)!;
		await sandbox.waitForDeliveries({ eventId: wonEvent.id, ok: true, count: 1, timeoutMs: 20_000 });
		const order = await waitFor('the ERP order of the won deal', () =>
			externalBodies('orders').find((candidate) => candidate.salesos_deal_id === deal.id),
		);
		expect(order).toMatchObject({ idempotency_key: wonEvent.id, amount: deal.value });
		// Finished, so its static data (the accepted event ids) is saved.
		await waitFor('the execution to finish', async () => (await finishedRunsOf('01'))?.length === before + 1);

		const subscription = sandbox.webhooks().find((candidate) => candidate.url === triggerUrl('01'))!;
		for (const signature of ['none', 'wrong-secret', 'tampered-body', 'truncated', 'wrong-prefix'] as const) {
			const response = await sandbox.deliver({
				url: subscription.url,
				secret: subscription.secret,
				event: { type: 'deal.won', data: deal },
				signature,
			});
			expect([signature, response.status]).toEqual([signature, 401]);
		}
		// A signed body that is not JSON: n8n's own body parser answers 422 before the trigger runs.
		const notJson = await sandbox.deliver({ url: subscription.url, secret: subscription.secret, rawBody: 'deal won!', signature: 'valid' });
		expect([400, 422]).toContain(notJson.status);
		const empty = await sandbox.deliver({ url: subscription.url, secret: subscription.secret, rawBody: '', signature: 'valid' });
		expect(empty.status).toBe(400);

		// SalesOS retries with the same event id and bytes: acknowledged, not run again.
		const attempts = sandbox.deliveries({ eventId: wonEvent.id }).length;
		expect(sandbox.retryEvent(wonEvent.id)).toBe(1);
		const [redelivery] = (await sandbox.waitForDeliveries({ eventId: wonEvent.id, count: attempts + 1, timeoutMs: 20_000 })).slice(attempts);
		expect(redelivery.status).toBe(200);

		// One more valid event proves the trigger still runs; anything refused above would show up before it.
		const [other] = sandbox.seed({ resource: 'deals', count: 1 }).records as any[];
		const otherWon = { type: 'deal.won', data: { ...other, status: 'won' } };
		// Sent as a content type n8n does not parse itself (trigger version 1.1): the trigger reads the bytes.
		const accepted = await sandbox.deliver({
			url: subscription.url,
			secret: subscription.secret,
			event: otherWon,
			signature: 'valid',
			headers: { 'Content-Type': 'application/octet-stream' },
		});
		expect([accepted.status, accepted.body]).toEqual([200, { received: true }]);
		const repeated = await sandbox.deliver({
			url: subscription.url,
			secret: subscription.secret,
			event: { ...otherWon, id: accepted.eventId },
			signature: 'valid',
		});
		expect([repeated.status, repeated.body]).toEqual([200, { received: true, duplicate: true }]);
		await waitFor('the ERP order of the second won deal', () =>
			externalBodies('orders').find((candidate) => candidate.salesos_deal_id === other.id),
		);
		await waitFor('the second execution to be listed', async () => (await executionsOf('01')).length >= before + 2);
		// Exactly the two won deals ran the workflow: no forged delivery, no redelivery.
		expect((await executionsOf('01')).length).toBe(before + 2);
		expect(externalBodies('orders').filter((candidate) => candidate.salesos_deal_id === deal.id)).toHaveLength(1);
	});

	test('web form: a submission creates a lead and gets its id back; an invalid one gets 422 with the field problems', async () => {
		const { sandbox, n8n } = env;
		const url = productionWebhookUrl(n8n, example('02'), 'Web form submission');
		const saved = await sandbox.externalSend({
			url,
			encoding: 'form',
			body: { contact_id: 'form-2001', full_name: 'Eva Rocha', email: 'eva.rocha@example.com', company: 'Rocha Tech' },
		});
		expect(saved.status).toBe(200);
		const [lead] = leadsWithEmail('eva.rocha@example.com');
		expect(saved.body).toEqual({ ok: true, lead_id: lead.id, result: 'created' });
		expect(lead.custom_fields).toEqual({ external_id: 'form-2001' });

		const rejected = await sandbox.externalSend({
			url,
			body: { contact_id: 'form-2002', full_name: 'No Email', email: 'not-an-email' },
		});
		expect(rejected.status).toBe(422);
		expect(rejected.body).toEqual({ ok: false, problems: [expect.objectContaining({ field: 'email' })] });
	});

	test('two-way sync: a contact change reaches SalesOS once; the lead.created of that write is skipped as the sync’s own; a later SalesOS user edit reaches the contact', async () => {
		const { sandbox, n8n } = env;
		sandbox.contacts.webhookUrl = productionWebhookUrl(n8n, example('04'), 'Contact changed in your system');
		sandbox.contacts.put('crm-3001', { name: 'Fabio Nunes', email: 'fabio.nunes@example.com', phone: '+5511944443333', company: 'Nunes SA' }, 'crm-user');
		const lead = await waitFor('the lead written by n8n', () => leadsWithEmail('fabio.nunes@example.com')[0]);
		expect(lead.custom_fields).toMatchObject({ external_id: 'crm-3001', sync_base: expect.any(String) });

		const created = sandbox.emittedEvents('lead.created').find((event) => (event.data as any).id === lead.id)!;
		const [delivery] = await sandbox.waitForDeliveries({ eventId: created.id, webhookId: subscriptionFor('04').id, ok: true, count: 1 });
		expect(delivery.response).toEqual({ received: true, ignored: 'own change' });

		sandbox.mutate({ resource: 'leads', id: lead.id, changes: { company: 'Nunes Holding' } });
		await waitFor('the contact update', () => sandbox.contacts.get('crm-3001')?.company === 'Nunes Holding');
		expect(sandbox.contacts.get('crm-3001')).toMatchObject({ name: 'Fabio Nunes', phone: '+5511944443333', company: 'Nunes Holding' });
		expect(leadsWithEmail('fabio.nunes@example.com')).toEqual([expect.objectContaining({ name: 'Fabio Nunes', company: 'Nunes Holding' })]);
	});

	test('credential: one token request across the whole suite; after SalesOS expires it, exactly one new token', async () => {
		const { sandbox, n8n } = env;
		expect(sandbox.counters().tokenRequests).toBe(1);
		sandbox.expireTokens();
		const url = productionWebhookUrl(n8n, example('02'), 'Web form submission');
		for (const [index, email] of ['gil.souto@example.com', 'helena.reis@example.com'].entries()) {
			const response = await sandbox.externalSend({ url, body: { contact_id: `form-300${index}`, full_name: 'After Expiry', email } });
			expect(response.status).toBe(200);
		}
		expect(sandbox.counters().tokenRequests).toBe(2);
	});

	test('restart: subscriptions are kept (not duplicated) and the poll trigger continues where it stopped', async () => {
		const { sandbox, n8n } = env;
		const earlierRuns = (await waitFor('earlier syncs to finish', () => finishedRunsOf('03')))!;
		const alreadySent = new Set(
			earlierRuns.flatMap((run) => allOutputsOf({ data: run }, 'Map deal to ERP record').map((record) => record.idempotency_key)),
		);
		const [first, second] = sandbox.seed({ resource: 'deals', count: 2 }).records as any[];
		const changed = [first, sandbox.mutate({ resource: 'deals', id: second.id, changes: { value: second.value + 1000 } }) as any];
		const subscriptionIds = sandbox.webhooks().map((subscription) => subscription.id).sort();
		expect(subscriptionIds).toHaveLength(2);

		await n8n.restart();
		const runs = await waitFor('the activation poll after the restart', async () => {
			const finished = await finishedRunsOf('03');
			return finished && finished.length > earlierRuns.length ? finished : undefined;
		}, 60_000);
		expect(runs).toHaveLength(earlierRuns.length + 1);
		const sent = allOutputsOf({ data: runs[runs.length - 1] }, 'Map deal to ERP record').map((record) => record.idempotency_key);
		// Every change since the previous poll (also those of earlier tests), each once, nothing sent before.
		expect(sent).toEqual(expect.arrayContaining(changed.map((deal) => `${deal.id}@${deal.updated_at}`)));
		expect(new Set(sent).size).toBe(sent.length);
		expect(sent.filter((key) => alreadySent.has(key))).toEqual([]);
		// The triggers' subscriptions were recognised, not registered again.
		expect(sandbox.webhooks().map((subscription) => subscription.id).sort()).toEqual(subscriptionIds);
	});

	test('deactivating a workflow in the running n8n removes its subscription and leaves the other one', async () => {
		const { sandbox, n8n } = env;
		await n8n.rest.deactivateWorkflow(example('01').id!);
		await waitFor('the subscription of workflow 01 to be deleted', () => sandbox.webhooks().length === 1);
		expect(sandbox.webhooks().map((subscription) => subscription.url)).toEqual([triggerUrl('04')]);
	});

	function subscriptionFor(key: '01' | '04') {
		const subscription = env.sandbox.webhooks().find((candidate) => candidate.url === triggerUrl(key));
		if (!subscription) throw new Error(`No subscription for workflow ${key}`);
		return subscription;
	}
});
