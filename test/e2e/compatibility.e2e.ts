// The compatibility subset: the package installed into the other n8n versions people run
// (COMPATIBILITY_N8N_VERSIONS: the newest 1.x, the newest 2.x that installs from the registry),
// each in its own real n8n. It covers every node, both credentials, 409/422/429 handling and both
// triggers; real-n8n.e2e.ts runs the full suite on the primary version.
import { API_KEY_CREDENTIAL_ID, CLIENT_CREDENTIAL_ID } from '../../scripts/examples';
import { COMPATIBILITY_N8N_VERSIONS } from '../../scripts/n8n/install';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import { allOutputsOf, expectSuccess, outputOf, productionWebhookUrl, setUpRealN8n, waitFor, type RealN8n } from './harness';

const credentials = {
	clientCredentials: { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: 'SalesOS account' } },
	apiKey: { salesOsApiKeyApi: { id: API_KEY_CREDENTIAL_ID, name: 'SalesOS API key' } },
};

/** A workflow whose Manual Trigger feeds each SalesOS node (one branch each), with errors on an error output. */
function manualWorkflow(
	id: string,
	nodes: Array<{ name: string; parameters: Record<string, unknown>; apiKey?: boolean; typeVersion?: number }>,
): WorkflowJson {
	return {
		id,
		name: `compatibility: ${id}`,
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			...nodes.map((node, index) => ({
				id: `${id}-${index}`,
				name: node.name,
				type: 'n8n-nodes-salesos.salesOs',
				typeVersion: node.typeVersion ?? 1,
				position: [240, index * 160],
				onError: 'continueErrorOutput',
				parameters: { authentication: node.apiKey ? 'apiKey' : 'clientCredentials', ...node.parameters },
				credentials: node.apiKey ? credentials.apiKey : credentials.clientCredentials,
			})),
		],
		connections: { Start: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } },
		settings: { executionOrder: 'v1' },
	};
}

const create = (onDuplicate: string, company: string) => ({
	resource: 'lead',
	operation: 'create',
	name: 'Clara Melo',
	email: 'clara.melo@example.com',
	additionalFields: { company },
	options: { onDuplicate },
});

/** The headless checks in one workflow (each `n8n` CLI start costs seconds, on n8n 1.x tens of seconds). */
const headlessChecks = manualWorkflow('CompatHeadless', [
	{ name: 'Return existing', parameters: create('returnExisting', 'Ignored Co'), apiKey: true },
	{ name: 'Fail', parameters: create('error', 'Ignored Co'), apiKey: true },
	{ name: 'Get missing lead', parameters: { resource: 'lead', operation: 'get', leadId: 'no-such-lead' }, apiKey: true },
	{
		name: 'Get missing lead by link (v2)',
		typeVersion: 2,
		parameters: {
			resource: 'lead',
			operation: 'get',
			leadId: { __rl: true, mode: 'url', value: 'https://app.play2sell.com/crm/leads/no-such-lead?tab=notes' },
		},
		apiKey: true,
	},
	{ name: 'Update existing', parameters: create('update', 'New Co'), apiKey: true },
	{ name: 'Deals', parameters: { resource: 'deal', operation: 'getMany', returnAll: true } },
]);

describe.each(COMPATIBILITY_N8N_VERSIONS)('n8n %s', (version) => {
	let env: RealN8n;
	const leadsWithEmail = (email: string): any[] => (env.sandbox.records('leads') as any[]).filter((lead) => lead.email === email);
	const externalBodies = (collection: string): any[] => env.sandbox.external(collection).map((record) => record.body);

	beforeAll(async () => {
		env = await setUpRealN8n({
			version,
			moreWorkflows: (examples) => {
				// The activation poll of "Start From: All Records" emits every deal at once.
				const pollFromAllRecords = structuredClone(examples['03']);
				pollFromAllRecords.nodes.find((node) => node.name === 'SalesOS Poll Trigger')!.parameters.startFrom = 'allRecords';
				return [pollFromAllRecords, headlessChecks];
			},
		});
	}, 30 * 60_000);

	afterAll(async () => {
		await env?.tearDown();
	}, 60_000);

	test('example 02: Create or Update turns a 409 into an update; a 422 reaches the error branch with its field errors', async () => {
		const { sandbox, n8n, examples } = env;
		sandbox.seed({ resource: 'leads', records: [{ name: 'B. Lima', email: 'bruno.lima@example.com', custom_fields: {} }] });
		const result = await n8n.execute(examples['02'].id!);
		expectSuccess(result);
		expect(outputOf(result, 'Create or update lead').map((lead) => [lead.email, lead.operationResult])).toEqual([
			['ana.souza@example.com', 'created'],
			['bruno.lima@example.com', 'updated'],
		]);
		expect(outputOf(result, 'Create or update lead', 1)).toEqual([
			expect.objectContaining({
				external_id: 'form-1003',
				error: expect.objectContaining({ status: 422, code: 'VALIDATION_ERROR', details: [expect.objectContaining({ field: 'email' })] }),
			}),
		]);
		expect(leadsWithEmail('bruno.lima@example.com')).toEqual([expect.objectContaining({ name: 'Bruno Lima' })]);
	});

	test('On Duplicate uses the 409 (Return Existing, Update Existing, Fail with the existing id), a missing lead is a 404, both signed with the API key; a 429 is waited out and retried', async () => {
		const { sandbox, n8n } = env;
		const [existing] = sandbox.seed({
			resource: 'leads',
			records: [{ name: 'Clara Melo', email: 'clara.melo@example.com', company: 'Old Co', custom_fields: {} }],
		}).records as any[];
		sandbox.seed({ resource: 'deals', count: 3 });
		// Only signed requests are accepted: the API-key credential must sign inside this n8n.
		const keys = sandbox.settings.apiKeys;
		sandbox.updateSettings({ apiKeys: keys.map((key) => ({ ...key, requireSignature: true })) });
		sandbox.setFaults([{ route: '/v1/deals', method: 'GET', status: 429, count: 2, retryAfterSeconds: 1 }]);
		try {
			const result = await n8n.execute(headlessChecks.id!);
			expectSuccess(result);
			expect(outputOf(result, 'Return existing')).toEqual([expect.objectContaining({ id: existing.id, company: 'Old Co', operationResult: 'existing' })]);
			expect(outputOf(result, 'Fail', 1)).toEqual([
				expect.objectContaining({
					error: expect.objectContaining({
						status: 409,
						code: 'CONFLICT',
						message: `SalesOS already has a record with this email (existing record ${existing.id}) (409 Conflict)`,
						details: [expect.objectContaining({ field: 'email' })],
					}),
				}),
			]);
			for (const node of ['Get missing lead', 'Get missing lead by link (v2)']) {
				expect(outputOf(result, node, 1)).toEqual([
					expect.objectContaining({ error: expect.objectContaining({ status: 404, message: 'SalesOS found nothing at /leads/no-such-lead (404)' }) }),
				]);
			}
			expect(outputOf(result, 'Update existing')).toEqual([expect.objectContaining({ id: existing.id, company: 'New Co', operationResult: 'updated' })]);
			expect(leadsWithEmail('clara.melo@example.com')).toEqual([expect.objectContaining({ id: existing.id, company: 'New Co' })]);
			expect(outputOf(result, 'Deals')).toHaveLength((sandbox.records('deals') as any[]).length);
			expect(sandbox.requestCount('GET /v1/deals', 429)).toBe(2);
		} finally {
			sandbox.updateSettings({ apiKeys: keys });
			sandbox.clearFaults();
		}
	});

	describe('activated in a running n8n', () => {
		const triggerUrl = () => productionWebhookUrl(env.n8n, env.examples['01'], 'SalesOS Trigger');
		const runsOf = async (key: '01' | '03') => {
			const executions = (await env.n8n.rest.listExecutions(env.examples[key].id!)).filter((execution) => execution.mode !== 'cli');
			if (executions.some((execution) => execution.status === 'running' || execution.status === 'new')) return undefined;
			return await Promise.all(executions.map(async (execution) => (await env.n8n.rest.getExecution(execution.id)).data));
		};
		let dealIdsAtStart: string[] = [];

		beforeAll(async () => {
			const { n8n, examples } = env;
			dealIdsAtStart = (env.sandbox.records('deals') as any[]).map((deal) => deal.id);
			await n8n.start();
			// As the editor's toggle does: the triggers register while n8n runs.
			for (const key of ['01', '03']) await n8n.rest.activateWorkflow(examples[key].id!);
			await waitFor('the SalesOS Trigger to register', () => env.sandbox.webhooks().length === 1);
		}, 180_000);

		test('SalesOS Trigger: registered at its Production URL; a won deal runs the workflow once; a forged delivery is refused', async () => {
			const { sandbox } = env;
			const [subscription] = sandbox.webhooks();
			expect([subscription.url, [...subscription.events].sort()]).toEqual([triggerUrl(), ['deal.won', 'lead.created']]);

			const [deal] = sandbox.seed({ resource: 'deals', count: 1 }).records as any[];
			const forged = await sandbox.deliver({ url: subscription.url, secret: subscription.secret, event: { type: 'deal.won', data: deal }, signature: 'wrong-secret' });
			expect(forged.status).toBe(401);
			sandbox.mutate({ resource: 'deals', id: deal.id, changes: { status: 'won' } });
			const won = sandbox.emittedEvents('deal.won').find((event) => (event.data as any).id === deal.id)!;
			await sandbox.waitForDeliveries({ eventId: won.id, ok: true, count: 1, timeoutMs: 20_000 });
			const order = await waitFor('the ERP order of the won deal', () => externalBodies('orders').find((candidate) => candidate.salesos_deal_id === deal.id));
			expect(order).toMatchObject({ idempotency_key: won.id, amount: deal.value });
			const runs = await waitFor('the execution to finish', async () => {
				const finished = await runsOf('01');
				return finished && finished.length > 0 ? finished : undefined;
			});
			expect(runs).toHaveLength(1);
		});

		test('SalesOS Poll Trigger: the activation poll pushes every deal to the ERP once', async () => {
			const runs = await waitFor('the poll-triggered batch sync', async () => {
				const finished = await runsOf('03');
				return finished && finished.length > 0 ? finished : undefined;
			}, 60_000);
			expect(runs[0].resultData.error).toBeUndefined();
			const sent = runs.flatMap((run) => allOutputsOf({ data: run }, 'Map deal to ERP record').map((record) => record.salesos_id));
			expect(new Set(sent).size).toBe(sent.length);
			expect(sent).toEqual(expect.arrayContaining(dealIdsAtStart));
		});

		test('deactivating the workflow in the running n8n deletes its SalesOS subscription', async () => {
			await env.n8n.rest.deactivateWorkflow(env.examples['01'].id!);
			await waitFor('the subscription to be deleted', () => env.sandbox.webhooks().length === 0);
		});
	});
});
