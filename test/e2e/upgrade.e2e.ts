// Upgrade suite (issue 24, point 6), real n8n 2.40.7 with the current build: workflow JSON exactly
// as each earlier SalesOS node version saved it, imported and run unchanged. n8n refuses a whole
// workflow when one node has parameter issues and drops saved parameters the description no
// longer declares, so each saved shape runs as one workflow: every node must run, and every
// operation must succeed with the parameters it was saved with.
//
// Shapes (recovered with `git log -p nodes/`):
// - version 1 as released in 0.1.0: every operation of every resource; Collaborator Sync with
//   Name and External ID under Additional Fields; Sort, Sync Marker and retry settings in Options;
//   Max Concurrent Requests saved explicitly (its default changed later);
// - version 1 as saved after Name and External ID became parameters of their own, with the
//   operations added since (User Invite, Update, Deactivate; Lookup in Create or Update);
// - version 2: Lead and Deal pickers, mapped fields, Sync Marker and Sort as parameters of their own,
//   Collaborator and Activity Sync with Authentication API Key saved (its default was OAuth2).
import { API_KEY_CREDENTIAL_ID, CLIENT_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME } from '../../scripts/examples';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import { mappingColumns } from '../../nodes/SalesOs/records/mappedFields';
import { LEAD } from '../../nodes/SalesOs/records/specs';
import { mapEachColumn } from '../helpers/fieldMapping';
import { expectSuccess, outputOf, setUpRealN8n, type RealN8n } from './harness';

let env: RealN8n;

type Step = [name: string, parameters: Record<string, unknown>];

const oauth = { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME } };
const apiKey = { salesOsApiKeyApi: { id: API_KEY_CREDENTIAL_ID, name: 'SalesOS API key' } };
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

/**
 * Manual Trigger → Items → chains of SalesOS nodes of one version, each chain starting at Items.
 * Nodes continue on error, so the test sees each node's own outcome.
 */
function savedWorkflow(id: string, typeVersion: number, items: Array<Record<string, unknown>>, chains: Step[][]): WorkflowJson {
	const nodes: WorkflowJson['nodes'] = [
		{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: `${id}-items`,
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
		},
	];
	const connections: WorkflowJson['connections'] = { Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] } };
	const link = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	chains.forEach((chain, row) => {
		chain.forEach(([name, parameters], column) => {
			nodes.push({
				id: `${id}-${row}-${column}`,
				name,
				type: 'n8n-nodes-salesos.salesOs',
				typeVersion,
				position: [400 + column * 200, row * 200],
				parameters,
				onError: 'continueRegularOutput',
				credentials: parameters.authentication === 'apiKey' ? apiKey : oauth,
			});
			link(column === 0 ? 'Items' : chain[column - 1][0], name);
		});
	});
	return { id, name: `e2e upgrade: ${id}`, nodes, connections, settings: { executionOrder: 'v1' } };
}

const person = { name: 'Ana Souza', email: 'ana@example.com', crmId: 'crm-1', rep: 'rep@example.com' };

/** Version 1 as 0.1.0 saved it: every operation, the parameters of that release. */
const v1Released = savedWorkflow('E2eUpgradeV1Released', 1, [person], [
	[
		['Lead Create', { resource: 'lead', operation: 'create', name: '={{ $json.name }}', email: '={{ $json.email }}', additionalFields: { company: 'Acme', tags: 'vip, inbound', customFields: { field: [{ key: 'external_id', value: '={{ $json.crmId }}' }] } }, options: { onDuplicate: 'returnExisting', maxConcurrentRequests: 5 } }],
		['Lead Get', { resource: 'lead', operation: 'get', leadId: '={{ $json.id }}' }],
		['Lead Update', { resource: 'lead', operation: 'update', leadId: '={{ $json.id }}', updateFields: { position: 'CTO' }, options: { syncMarker: true, syncMarkerKey: 'sync_marker', syncMarkerValue: 'n8n' } }],
		['Lead Create or Update', { resource: 'lead', operation: 'upsert', matchOn: 'externalId', externalIdKey: 'external_id', externalId: "={{ $('Items').item.json.crmId }}", name: "={{ $('Items').item.json.name }}", email: "={{ $('Items').item.json.email }}", additionalFields: { status: 'contacted' }, options: {} }],
		['Lead Convert', { resource: 'lead', operation: 'convert', leadId: "={{ $('Lead Create').item.json.id }}", additionalFields: { dealName: 'Acme deal', value: 1200, stage: 'stg_qualification' } }],
		['Lead Delete', { resource: 'lead', operation: 'delete', leadId: "={{ $('Lead Create').item.json.id }}" }],
	],
	[['Lead Get Many', { resource: 'lead', operation: 'getMany', returnAll: false, limit: 5, filters: { status: 'new' }, options: { sortField: 'created_at', sortDirection: 'desc', maxRetries: 3, maxWaitSeconds: 60 } }]],
	[
		['Deal Create', { resource: 'deal', operation: 'create', name: 'Big deal', additionalFields: { value: 5000, stage: 'stg_prospecting', contactEmail: '={{ $json.email }}' }, options: {} }],
		['Deal Get', { resource: 'deal', operation: 'get', dealId: '={{ $json.id }}' }],
		['Deal Update', { resource: 'deal', operation: 'update', dealId: '={{ $json.id }}', updateFields: { value: 6000 }, options: { syncMarker: true } }],
		['Deal Move', { resource: 'deal', operation: 'move', dealId: '={{ $json.id }}', stage: 'stg_proposal' }],
		['Deal Create or Update', { resource: 'deal', operation: 'upsert', matchOn: 'id', dealId: '={{ $json.id }}', name: 'Bigger deal', additionalFields: { priority: 'high' }, options: {} }],
		['Deal Close', { resource: 'deal', operation: 'close', dealId: '={{ $json.id }}', status: 'won', reason: 'Signed' }],
		['Deal Delete', { resource: 'deal', operation: 'delete', dealId: '={{ $json.id }}' }],
	],
	[['Deal Get Many', { resource: 'deal', operation: 'getMany', returnAll: true, filters: { minValue: 1 }, options: { sortField: 'value', sortDirection: 'asc' } }]],
	[['Stage Get Many', { resource: 'stage', operation: 'getMany', returnAll: true }]],
	[['Team Get Many', { resource: 'team', operation: 'getMany', returnAll: false, limit: 10 }]],
	[
		['User Get Many', { resource: 'user', operation: 'getMany', returnAll: false, limit: 1, filters: { status: 'active' } }],
		['User Get', { resource: 'user', operation: 'get', userId: '={{ $json.id }}' }],
	],
	[
		['Webhook Create', { resource: 'webhook', operation: 'create', url: 'https://example.com/hook', events: ['user.deactivated'], additionalFields: { description: 'CRM' } }],
		['Webhook Update', { resource: 'webhook', operation: 'update', webhookId: '={{ $json.id }}', updateFields: { active: false } }],
		['Webhook Get Many', { resource: 'webhook', operation: 'getMany', returnAll: true }],
		['Webhook Delete', { resource: 'webhook', operation: 'delete', webhookId: '={{ $json.id }}' }],
	],
	[
		['Collaborator Sync', { authentication: 'apiKey', resource: 'collaborator', operation: 'sync', email: '={{ $json.rep }}', additionalFields: { name: 'Rep One', externalId: 'emp-1', team: 'Vendas SP' }, options: {} }],
		['Activity Sync', { authentication: 'apiKey', resource: 'activity', operation: 'sync', activityCode: '001', externalId: 'act-1', collaboratorEmail: "={{ $('Items').item.json.rep }}", additionalFields: { occurredAt: '2026-03-17T09:15:00' }, options: { maxRetries: 2 } }],
	],
]);

/** Version 1 after Name and External ID became parameters of their own, with the operations added since. */
const v1Later = savedWorkflow('E2eUpgradeV1Later', 1, [person], [
	[
		['Collaborator Sync', { authentication: 'apiKey', resource: 'collaborator', operation: 'sync', email: '={{ $json.rep }}', name: 'Rep One', externalId: 'emp-1', additionalFields: { role: 'vendedor' }, options: {} }],
		['Activity Sync', { authentication: 'apiKey', resource: 'activity', operation: 'sync', activityCode: '1', externalId: 'act-2', collaboratorEmail: "={{ $('Items').item.json.rep }}", additionalFields: {}, options: { skippedActivities: 'error' } }],
	],
	[
		['User Invite', { resource: 'user', operation: 'create', name: 'Ida Invite', email: 'ida@example.com', role: 'sales_rep', additionalFields: {}, options: {} }],
		['User Update', { resource: 'user', operation: 'update', userId: '={{ $json.id }}', updateFields: { role: 'manager' } }],
		['User Deactivate', { resource: 'user', operation: 'deactivate', userId: '={{ $json.id }}' }],
	],
	[['Lead Create or Update', { resource: 'lead', operation: 'upsert', matchOn: 'email', name: '={{ $json.name }}', email: '={{ $json.email }}', additionalFields: {}, options: { upsertLookup: 'lookUpFirst' } }]],
]);

const leadColumns = mappingColumns(LEAD, { requireFields: true }, []);

/** Version 2: pickers, mapped fields, Sync Marker and Sort of their own, Default Integration with API Key saved. */
const v2 = savedWorkflow('E2eUpgradeV2', 2, [person], [
	[
		['Lead Create', { resource: 'lead', operation: 'create', columns: mapEachColumn({ name: '={{ $json.name }}', email: '={{ $json.email }}' }, leadColumns), syncMarker: true, options: {} }],
		['Lead Get', { resource: 'lead', operation: 'get', leadId: rl('={{ $json.id }}') }],
	],
	[['Lead Get Many', { resource: 'lead', operation: 'getMany', returnAll: false, limit: 3, filters: {}, sort: { sortField: 'name', sortDirection: 'asc' }, options: {} }]],
	[
		['Collaborator Sync', { authentication: 'apiKey', resource: 'collaborator', operation: 'sync', email: '={{ $json.rep }}', name: 'Rep One', externalId: 'emp-1', additionalFields: {}, options: {} }],
		['Activity Sync', { authentication: 'apiKey', resource: 'activity', operation: 'sync', activityCode: '001', externalId: 'act-3', collaboratorEmail: "={{ $('Items').item.json.rep }}", additionalFields: {}, options: {} }],
	],
]);

/** A new node of the current version: Collaborator and Activity Sync need no Authentication parameter (API Key). */
const v3 = savedWorkflow('E2eUpgradeV3', 3, [person], [
	[
		['Collaborator Sync', { resource: 'collaborator', operation: 'sync', email: '={{ $json.rep }}', name: 'Rep One', externalId: 'emp-1', additionalFields: {}, options: {} }],
		['Activity Sync', { resource: 'activity', operation: 'sync', activityCode: '001', externalId: 'act-4', collaboratorEmail: "={{ $('Items').item.json.rep }}", additionalFields: {}, options: {} }],
	],
]);
// A new node saves only what differs from the defaults: the API-key credential is the one it shows.
for (const node of v3.nodes.filter((entry) => entry.type === 'n8n-nodes-salesos.salesOs')) node.credentials = apiKey;

beforeAll(async () => {
	env = await setUpRealN8n({ moreWorkflows: () => [v1Released, v1Later, v2, v3] });
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

beforeEach(() => env.sandbox.reset());

/** Runs the saved workflow unchanged; every SalesOS node ran and none of its items failed. */
async function runsUnchanged(workflow: WorkflowJson) {
	const result = await env.n8n.execute(workflow.id!);
	expectSuccess(result);
	const outputs: Record<string, any[]> = {};
	for (const node of workflow.nodes.filter((entry) => entry.type === 'n8n-nodes-salesos.salesOs')) {
		outputs[node.name] = outputOf(result, node.name);
		expect({ node: node.name, errors: outputs[node.name].filter((item) => item.error).map((item) => item.error.message) }).toEqual({
			node: node.name,
			errors: [],
		});
		expect({ node: node.name, ran: outputs[node.name].length > 0 }).toEqual({ node: node.name, ran: true });
	}
	return outputs;
}

const collaborators = (): any[] => env.sandbox.records('collaborators') as any[];
const activities = (): any[] => env.sandbox.records('activities') as any[];

test('version 1 as released in 0.1.0: every operation runs with its saved parameters, Collaborator Name and External ID from Additional Fields', async () => {
	// Records the lists find: the chains delete what they create.
	env.sandbox.seed({ resource: 'leads', records: [{ name: 'Listed Lead', email: 'listed@example.com', status: 'new' }] });
	env.sandbox.seed({ resource: 'deals', records: [{ name: 'Listed Deal', value: 100 }] });
	const outputs = await runsUnchanged(v1Released);
	expect(outputs['Lead Create'][0]).toMatchObject({ name: 'Ana Souza', operationResult: 'created' });
	expect(outputs['Deal Close'][0]).toMatchObject({ status: 'won' });
	expect(collaborators()).toEqual([expect.objectContaining({ email: 'rep@example.com', name: 'Rep One', external_id: 'emp-1', team: 'Vendas SP' })]);
	expect(activities()).toEqual([expect.objectContaining({ external_id: 'act-1', activity_code: '001', occurred_at: expect.stringMatching(/^2026-03-17T09:15:00[+-]\d{2}:\d{2}$/) })]);
}, 180_000);

test('version 1 as saved later: top-level Name and External ID, User Invite/Update/Deactivate, Lookup', async () => {
	const outputs = await runsUnchanged(v1Later);
	expect(outputs['User Deactivate'][0]).toMatchObject({ email: 'ida@example.com' });
	expect(collaborators()).toEqual([expect.objectContaining({ name: 'Rep One', external_id: 'emp-1', role: 'vendedor' })]);
	expect(activities()).toEqual([expect.objectContaining({ external_id: 'act-2', activity_code: '001' })]);
}, 180_000);

test('version 2: pickers, mapped fields, Sync Marker and Sort of their own, Default Integration with API Key', async () => {
	const outputs = await runsUnchanged(v2);
	expect(outputs['Lead Get'][0]).toMatchObject({ email: 'ana@example.com' });
	expect(activities()).toEqual([expect.objectContaining({ external_id: 'act-3' })]);
}, 180_000);

test('version 3: a new Collaborator or Activity node uses API Key without saying so', async () => {
	await runsUnchanged(v3);
	expect(activities()).toEqual([expect.objectContaining({ external_id: 'act-4' })]);
	expect(env.sandbox.state.defaultIntegrationRequests.map((request) => request.authorization)).toEqual(['Bearer', 'Bearer']);
}, 180_000);
