// Issue 13, point 4 in a real n8n 2.40.7: node version 2 maps lead and deal fields with n8n's
// resource mapper. Create with "Map Automatically" takes the input items' matching fields; Update
// and Create or Update with "Map Each Column Manually" send the values set (empty ones are not sent),
// checked against the column types n8n saved with the workflow. Last, the running n8n loads the
// mapper's columns as the editor does. (Example 06's agent, run by ai-agent.e2e, writes its lead
// through mapped $fromAI() fields.)
import { CLIENT_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME } from '../../scripts/examples';
import { mappingColumns } from '../../nodes/SalesOs/records/mappedFields';
import { DEAL, LEAD } from '../../nodes/SalesOs/records/specs';
import { expectSuccess, outputOf, salesOsWorkflow, setUpRealN8n, type RealN8n } from './harness';
import { mapEachColumn as mapBelow } from '../helpers/fieldMapping';

let env: RealN8n;

const leadUpdateColumns = mappingColumns(LEAD, { requireFields: false }, ['region']);
const dealUpsertColumns = mappingColumns(DEAL, { requireFields: true }, ['external_id']);

const workflows = {
	createAutomatically: salesOsWorkflow(
		'E2eMapCreateAuto',
		{ resource: 'lead', operation: 'create', columns: { mappingMode: 'autoMapInputData', value: null }, options: {} },
		{
			items: [
				{ name: 'Ana Souza', email: 'ana.map@example.com', company: 'Acme Ltda', tags: 'vip, inbound', 'custom_fields.region': 'south', note: 'not a SalesOS field' },
				{ name: 'Bruno Reis', email: 'bruno.map@example.com', status: 'qualified' },
				{ name: 'No Email', mail: 'typo@example.com' },
			],
			onError: 'continueRegularOutput',
			typeVersion: 2,
		},
	),
	updateBelow: salesOsWorkflow(
		'E2eMapUpdateBelow',
		{
			resource: 'lead',
			operation: 'update',
			leadId: '={{ $json.id }}',
			columns: mapBelow({ ...Object.fromEntries(leadUpdateColumns.map((column) => [column.id, null])), phone: '={{ $json.phone }}', 'custom_fields.region': '={{ $json.region }}' }, leadUpdateColumns),
			options: {},
		},
		{ items: [], onError: 'continueRegularOutput', typeVersion: 2 },
	),
	upsertBelow: salesOsWorkflow(
		'E2eMapUpsertBelow',
		{
			resource: 'deal',
			operation: 'upsert',
			matchOn: 'externalId',
			externalId: '={{ $json.crmId }}',
			columns: mapBelow(
				{ name: '={{ $json.title }}', value: '={{ $json.amount }}', expected_close_date: '={{ $json.closes }}', company: null, stage_id: null },
				dealUpsertColumns,
			),
			options: {},
		},
		{
			items: [
				{ crmId: 'crm-1', title: 'Acme rollout', amount: '1500.5', closes: '2026-03-31' },
				{ crmId: 'crm-2', title: 'Bad amount', amount: 'lots', closes: '2026-03-31' },
			],
			onError: 'continueRegularOutput',
			typeVersion: 2,
		},
	),
};

beforeAll(async () => {
	env = await setUpRealN8n({ moreWorkflows: () => Object.values(workflows) });
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

beforeEach(() => env.sandbox.reset());

const leads = (): any[] => env.sandbox.records('leads') as any[];
const deals = (): any[] => env.sandbox.records('deals') as any[];

test('1. Create with Map Automatically: matching input fields become the lead; a missing email fails that item only', async () => {
	const result = await env.n8n.execute(workflows.createAutomatically.id!);
	expectSuccess(result);
	const output = outputOf(result, 'SalesOS');
	expect(output.slice(0, 2).map((item) => item.operationResult)).toEqual(['created', 'created']);
	expect(output[2].error).toMatchObject({ message: '"Email" is empty' });
	expect(leads()).toEqual([
		expect.objectContaining({ name: 'Ana Souza', email: 'ana.map@example.com', company: 'Acme Ltda', tags: ['vip', 'inbound'], custom_fields: { region: 'south' } }),
		expect.objectContaining({ name: 'Bruno Reis', email: 'bruno.map@example.com', status: 'qualified', company: null }),
	]);
	expect(leads()[0]).not.toHaveProperty('note');
});

test('2. Update with Map Each Column Manually: the mapped values are written, the empty ones leave the lead as it was', async () => {
	const [lead] = env.sandbox.seed({ resource: 'leads', records: [{ name: 'Carla Dias', email: 'carla@example.com', company: 'Dias & Filhos', phone: '+5511900000000' }] }).records as any[];
	const workflow = structuredClone(workflows.updateBelow);
	workflow.nodes[1].parameters.jsCode = `return [{ json: ${JSON.stringify({ id: lead.id, phone: '+5511911111111', region: 'north' })} }];`;
	await env.n8n.importWorkflows([workflow]);
	const result = await env.n8n.execute(workflow.id!);
	expectSuccess(result);
	expect(outputOf(result, 'SalesOS')[0]).toMatchObject({ id: lead.id, phone: '+5511911111111' });
	expect(leads()).toEqual([
		expect.objectContaining({ id: lead.id, name: 'Carla Dias', email: 'carla@example.com', company: 'Dias & Filhos', phone: '+5511911111111', custom_fields: { region: 'north' } }),
	]);
});

test('3. Create or Update with Map Each Column Manually: typed values, matched by external ID; a value of the wrong type names its field', async () => {
	const first = await env.n8n.execute(workflows.upsertBelow.id!);
	expectSuccess(first);
	const [created, bad] = outputOf(first, 'SalesOS');
	expect(created.operationResult).toBe('created');
	expect(bad.error.message).toBe("Invalid input for 'value' [item 1]");
	expect(bad.error.description).toBe("'value' expects a number but we got 'lots'");
	expect(deals()).toEqual([
		expect.objectContaining({ name: 'Acme rollout', value: 1500.5, expected_close_date: '2026-03-31', custom_fields: { external_id: 'crm-1' } }),
	]);

	const again = await env.n8n.execute(workflows.upsertBelow.id!);
	expect(outputOf(again, 'SalesOS')[0]).toMatchObject({ id: created.id, operationResult: 'unchanged' });
	expect(deals()).toHaveLength(1);
});

test('4. the editor’s mapper loads every lead field and the custom field keys of recent leads from SalesOS', async () => {
	env.sandbox.seed({ resource: 'leads', records: [{ name: 'Dora Lima', email: 'dora@example.com', custom_fields: { external_id: 'crm-9', region: 'east' } }] });
	await env.n8n.start();
	const { fields } = await env.n8n.rest.resourceMapperFields({
		nodeTypeAndVersion: { name: 'n8n-nodes-salesos.salesOs', version: 2 },
		methodName: 'getRecordFields',
		currentNodeParameters: { authentication: 'clientCredentials', resource: 'lead', operation: 'create' },
		credentials: { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME } },
	});
	expect(fields.map((field: any) => field.displayName)).toEqual([
		...mappingColumns(LEAD, { requireFields: true }, []).map((column) => column.displayName),
		'Custom Field: external_id',
		'Custom Field: region',
	]);
	expect(fields.filter((field: any) => field.required).map((field: any) => field.id)).toEqual(['name', 'email']);
});
