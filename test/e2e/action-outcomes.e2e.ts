// Issue 12 in a real n8n 2.40.7: what SalesOS did is visible (Default Integration results and the
// run's hints), list filters a SalesOS ignores are checked, a 502-then-409 is not passed off as
// "created", SalesOS's own messages reach the user, users can be invited, the run's hints show the
// rate-limit budget, and a failed production execution of an example reaches the error workflow
// (example 05), which reports it to the external system; and (issue 13) a version-2 SalesOS Trigger
// with the top-level Ignore Own Changes skips the echo of a version-2 SalesOS node's write with the
// top-level Sync Marker. (The debug log of every API call is
// checked in test/action-outcomes.test.ts through n8n-core's logger: at debug level n8n's console
// output interleaves with the run `n8n execute` prints, and a file log hides n8n start's ready line.)
import { CLIENT_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME } from '../../scripts/examples';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import { mappingColumns } from '../../nodes/SalesOs/records/mappedFields';
import { LEAD } from '../../nodes/SalesOs/records/specs';
import { allOutputsOf, expectSuccess, outputOf, productionWebhookUrl, salesOsWorkflow, setUpRealN8n, waitFor, type RealN8n } from './harness';
import { mapEachColumn } from '../helpers/fieldMapping';

let env: RealN8n;

const workflows = {
	skippedActivities: salesOsWorkflow(
		'E2eSkippedActivities',
		{ authentication: 'apiKey', resource: 'activity', operation: 'sync', activityCode: '001', externalId: '={{ $json.id }}', collaboratorEmail: 'ghost@example.com' },
		{ items: [{ id: 'a-1' }, { id: 'a-2' }, { id: 'a-3' }], onError: 'continueErrorOutput' },
	),
	customFieldFilter: salesOsWorkflow('E2eCustomFieldFilter', {
		resource: 'lead',
		operation: 'getMany',
		returnAll: true,
		filters: { customFields: { field: [{ key: 'crm_id', value: 'crm-200' }] } },
	}),
	createAfter502: salesOsWorkflow(
		'E2eCreateAfter502',
		{ resource: 'lead', operation: 'create', name: 'New Person', email: 'taken@example.com' },
		{ onError: 'continueRegularOutput' },
	),
	convert: salesOsWorkflow('E2eConvert', { resource: 'lead', operation: 'convert', leadId: '={{ $json.leadId }}' }, { onError: 'continueRegularOutput' }),
	inviteUser: salesOsWorkflow('E2eInviteUser', { resource: 'user', operation: 'create', name: 'Ida Invite', email: 'ida@example.com', role: 'sales_rep' }),
};

const clientCredentials = { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME } };

/** Version 2 nodes with the settings that left Options: the trigger's Ignore Own Changes, the write's Sync Marker. */
const ownChanges = {
	trigger: {
		// At most 21 characters: n8n 2.40.7 saves no static data (the trigger's secret) for a longer workflow id.
		id: 'E2eOwnChangesTrigger',
		name: 'e2e: SalesOS Trigger 2 ignoring own changes',
		nodes: [
			{
				id: 'e2e-own-changes-trigger',
				name: 'SalesOS Trigger',
				type: 'n8n-nodes-salesos.salesOsTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5b0f7c1e-2d7a-4b8e-9a51-0e2b7f3c9d10',
				parameters: { registration: 'automatic', events: ['lead.created'], ignoreOwnChanges: true },
				credentials: clientCredentials,
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	} as WorkflowJson,
	write: {
		id: 'E2eMarkedWriteV2',
		name: 'e2e: SalesOS 2 creates a lead with Sync Marker',
		nodes: [
			{
				id: 'e2e-marked-write-webhook',
				name: 'New contact',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '0c9d4e2a-7f13-4a6b-8c25-6e1f0b9a3d47',
				parameters: { httpMethod: 'POST', path: 'e2e-marked-write', responseMode: 'lastNode', options: {} },
			},
			{
				id: 'e2e-marked-write-salesos',
				name: 'SalesOS',
				type: 'n8n-nodes-salesos.salesOs',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					resource: 'lead',
					operation: 'create',
					columns: mapEachColumn(
						{ name: '={{ $json.body.name }}', email: '={{ $json.body.email }}' },
						mappingColumns(LEAD, { requireFields: true }, []),
					),
					syncMarker: true,
				},
				credentials: clientCredentials,
			},
		],
		connections: { 'New contact': { main: [[{ node: 'SalesOS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as WorkflowJson,
};

beforeAll(async () => {
	env = await setUpRealN8n();
	await env.n8n.importWorkflows([...Object.values(workflows), ownChanges.trigger, ownChanges.write]);
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

const hintsOf = (result: { run?: any }, node = 'SalesOS'): string[] =>
	(result.run?.data?.resultData?.runData?.[node]?.[0]?.hints ?? []).map((hint: { message: string }) => hint.message);

describe('headless (`n8n execute`)', () => {
	beforeEach(() => env.sandbox.reset({ webhookRetryDelaysMs: [300, 600] }));

	test('1. activities of an unknown collaborator go to the error output with the reason; the totals are a hint', async () => {
		const result = await env.n8n.execute(workflows.skippedActivities.id!);
		expectSuccess(result);
		expect(outputOf(result, 'SalesOS', 0)).toHaveLength(0);
		const failed = outputOf(result, 'SalesOS', 1);
		expect(failed.map((item) => item.error.code)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED']);
		expect(failed[0].error.message).toBe('SalesOS skipped this activity: Collaborator unknown: sync collaborators first');
		expect(hintsOf(result)[0]).toBe('SalesOS sync_activities: 3 activities in 1 request: 0 processed, 3 skipped, 0 duplicates, 0 rejected');
	});

	test('2. a SalesOS that ignores custom_fields filters: only the matching lead, and a hint that the node filtered', async () => {
		env.sandbox.updateSettings({ ignoredListFilters: ['custom_fields'] });
		const records = Array.from({ length: 240 }, (_, index) => ({
			name: `Lead ${index}`,
			email: `lead${index}@example.com`,
			custom_fields: { crm_id: `crm-${index}` },
		}));
		env.sandbox.seed({ resource: 'leads', records, returnRecords: false });
		const result = await env.n8n.execute(workflows.customFieldFilter.id!);
		expectSuccess(result);
		expect(outputOf(result, 'SalesOS').map((lead) => lead.email)).toEqual(['lead200@example.com']);
		expect(hintsOf(result)[0]).toMatch(/^SalesOS ignored the filter custom_fields\.crm_id/);
	});

	test('3. 502 then 409 for an existing lead is a duplicate, not "created"', async () => {
		env.sandbox.seed({ resource: 'leads', records: [{ name: 'Old Owner', email: 'taken@example.com' }] });
		env.sandbox.setFaults([{ route: '/v1/leads', method: 'POST', status: 502, count: 1 }]);
		const result = await env.n8n.execute(workflows.createAfter502.id!);
		expectSuccess(result);
		const [item] = outputOf(result, 'SalesOS');
		expect(item.operationResult).toBeUndefined();
		expect(item.error).toMatchObject({ status: 409, code: 'CONFLICT' });
	});

	test('4. converting a converted lead keeps SalesOS’s message', async () => {
		const [lead] = env.sandbox.seed({ resource: 'leads', records: [{ name: 'Conv', email: 'conv@example.com' }] }).records!;
		const workflow = structuredClone(workflows.convert);
		workflow.nodes[1].parameters.jsCode = `return [{ json: { leadId: ${JSON.stringify(lead.id)} } }];`;
		await env.n8n.importWorkflows([workflow]);
		expectSuccess(await env.n8n.execute(workflow.id!));
		const again = await env.n8n.execute(workflow.id!);
		expect(outputOf(again, 'SalesOS')[0].error.message).toBe('SalesOS did not convert the lead: Lead already converted (409)');
	});

	test('5. a user is invited; 6. the run reports the rate-limit budget left as a hint', async () => {
		const result = await env.n8n.execute(workflows.inviteUser.id!);
		expectSuccess(result);
		expect(outputOf(result, 'SalesOS')[0]).toMatchObject({ email: 'ida@example.com', status: 'invited', operationResult: 'created' });
		expect(hintsOf(result)).toContainEqual(expect.stringMatching(/^SalesOS rate limit: [\d,]+ of 10,000 requests left in the current window/));
	});

	test('6. example 05 (error workflow) runs headless with its sample failure and reports it', async () => {
		expectSuccess(await env.n8n.execute(env.examples['05'].id!));
		const [incident] = env.sandbox.external('incidents').map((record) => record.body as any);
		expect(incident).toMatchObject({ node: 'Create or update lead', item_index: 0, salesos_status: 403, salesos_code: 'FORBIDDEN' });
		expect(incident.text).toContain('SalesOS 403 FORBIDDEN');
	});
});

describe('published (`n8n start`)', () => {
	beforeAll(async () => {
		const { n8n, sandbox, examples } = env;
		sandbox.reset({ webhookRetryDelaysMs: [300, 600] });
		// n8n 2.x runs an error workflow only when it is published (measured: "Workflow … is not active and cannot be executed").
		for (const id of [examples['05'].id, examples['04'].id, ownChanges.trigger.id, ownChanges.write.id]) await n8n.publish(id!);
		await n8n.start();
		await n8n.rest.ensureOwner();
	}, 300_000);

	test('a failed SalesOS sync reaches the error workflow: example 04 fails on a SalesOS 403; example 05 reports node, item and SalesOS code to the incident endpoint', async () => {
		const { n8n, sandbox, examples } = env;
		expect((examples['04'].settings as { errorWorkflow?: string }).errorWorkflow).toBe(examples['05'].id);
		const url = productionWebhookUrl(n8n, examples['04'], 'Contact changed in your system');
		// n8n 2.x publishes through an outbox: the workflow is live once its SalesOS Trigger registered.
		await waitFor('the workflow to be published', () => sandbox.webhooks().length >= 1);

		sandbox.setFaults([
			{ route: '/v1/leads', status: 403, body: { error: { code: 'FORBIDDEN', message: 'This API client may not write leads' } } },
		]);
		const change = { contact_id: 'crm-9001', name: 'Gil Souza', email: 'gil.souza@example.com', updated_by: 'crm-user' };
		await sandbox.externalSend({ url, body: change });
		const incident = await waitFor('the incident report', () =>
			sandbox.external('incidents').map((record) => record.body as any).find((body) => body.salesos_code === 'FORBIDDEN'),
		).catch(async (error: Error) => {
			const executions = await n8n.rest.listExecutions(examples['05'].id!).catch(() => []);
			const executions04 = await n8n.rest.listExecutions(examples['04'].id!).catch(() => []);
			throw new Error(`${error.message}\nexecutions of 05: ${JSON.stringify(executions)}\nof 04: ${JSON.stringify(executions04)}\nlog: ${n8n.logFile}`);
		});
		expect(incident).toMatchObject({
			workflow: examples['04'].name,
			node: 'Two-way sync lead from contact',
			item_index: 0,
			salesos_status: 403,
			salesos_code: 'FORBIDDEN',
		});
		expect(incident.message).toContain('403');
	}, 300_000);

	test('a version 2 SalesOS Trigger with Ignore Own Changes skips the echo of a version 2 SalesOS node’s write with Sync Marker; a SalesOS user’s new lead runs it', async () => {
		const { n8n, sandbox } = env;
		sandbox.clearFaults();
		const triggerUrl = productionWebhookUrl(n8n, ownChanges.trigger, 'SalesOS Trigger');
		const subscription = await waitFor('the version 2 trigger’s subscription', () =>
			sandbox.webhooks().find((webhook) => webhook.url === triggerUrl && webhook.active),
		);

		const written = await sandbox.externalSend({
			url: productionWebhookUrl(n8n, ownChanges.write, 'New contact'),
			body: { name: 'Marked Write', email: 'marked.write@example.com' },
		});
		expect(written.status).toBe(200);
		const lead = (sandbox.records('leads') as any[]).find((record) => record.email === 'marked.write@example.com');
		expect(lead.custom_fields.sync_marker).toMatch(/^n8n@\d{4}-/);
		const echo = sandbox.emittedEvents('lead.created').find((event) => (event.data as any).id === lead.id)!;
		await sandbox.waitForDeliveries({ eventId: echo.id, webhookId: subscription.id, ok: true, timeoutMs: 20_000 });

		const [human] = sandbox.seed({ resource: 'leads', count: 1, events: true }).records as any[];
		const userEvent = sandbox.emittedEvents('lead.created').find((event) => (event.data as any).id === human.id)!;
		await sandbox.waitForDeliveries({ eventId: userEvent.id, webhookId: subscription.id, ok: true, timeoutMs: 20_000 });
		const started = await waitFor('the run of the user’s lead', async () => {
			const executions = await n8n.rest.listExecutions(ownChanges.trigger.id!);
			if (executions.some((execution) => execution.status === 'running' || execution.status === 'new')) return undefined;
			const runs = await Promise.all(executions.map(async (execution) => (await n8n.rest.getExecution(execution.id)).data));
			const leads = runs.flatMap((run) => allOutputsOf({ data: run }, 'SalesOS Trigger')).map((item) => item.id);
			return leads.includes(human.id) ? leads : undefined;
		});
		// The echo was acknowledged before the user's event and started no execution.
		expect(started).toEqual([human.id]);
	}, 120_000);
});
