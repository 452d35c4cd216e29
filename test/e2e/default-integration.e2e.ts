// Issue 24 in a real n8n 2.40.7: a CRM export synced through the Default Integration with an API
// key, on new (version 3) SalesOS nodes. The export has numeric IDs and activity codes, dates
// without offset (the workflow runs in America/Sao_Paulo), collaborators whose external IDs are
// prefixes of each other's (1, 11, 110), one invalid email and one activity of a collaborator
// SalesOS does not know. Each item's outcome and what SalesOS stored are checked.
import { API_KEY_CREDENTIAL_ID } from '../../scripts/examples';
import type { WorkflowJson } from '../../scripts/n8n/instance';
import { expectSuccess, outputOf, setUpRealN8n, type RealN8n } from './harness';

let env: RealN8n;

const collaborators = [
	{ id: 1, nome: 'Maria Santos', email: 'maria@example.com', cpf: 12345678901, equipe: 'Vendas SP' },
	{ id: 110, nome: 'Pedro Lima', email: 'invalid-email', cpf: 22233344455, equipe: 'Vendas SP' },
	{ id: 11, nome: 'João Silva', email: 'joao@example.com', cpf: 98765432100, equipe: 'Vendas RJ' },
];
const activities = [
	{ id: 5001, tipo: 1, vendedor: 'maria@example.com', data: '2026-03-17 09:15:00', cliente: 'Acme' },
	{ id: 5002, tipo: 2, vendedor: 'joao@example.com', data: '2026-03-17', cliente: 'Beta' },
	{ id: 5003, tipo: 3, vendedor: 'invalid-email', data: '2026-03-17 10:00:00', cliente: 'Gamma' },
	{ id: 5004, tipo: 1, vendedor: 'ghost@example.com', data: '2026-03-17 11:30:00', cliente: 'Delta' },
	{ id: 5005, tipo: '003', vendedor: 'maria@example.com', data: '2026-03-17T14:00:00-03:00', cliente: 'Acme' },
];

const credentials = { salesOsApiKeyApi: { id: API_KEY_CREDENTIAL_ID, name: 'SalesOS API key' } };
const code = (items: unknown[]) => ({ jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` });

/** Collaborators → Collaborator Sync → Activities → Activity Sync; new nodes (version 3) save no Authentication. */
const crmExport: WorkflowJson = {
	id: 'E2eCrmExportSync',
	name: 'e2e: CRM export to SalesOS Default Integration',
	nodes: [
		{ id: 'crm-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'crm-people', name: 'CRM Users', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: code(collaborators) },
		{
			id: 'crm-collaborators',
			name: 'Sync Collaborators',
			type: 'n8n-nodes-salesos.salesOs',
			typeVersion: 3,
			position: [400, 0],
			parameters: {
				resource: 'collaborator',
				operation: 'sync',
				email: '={{ $json.email }}',
				name: '={{ $json.nome }}',
				externalId: '={{ $json.id }}',
				additionalFields: { document: '={{ $json.cpf }}', team: '={{ $json.equipe }}' },
				options: {},
			},
			onError: 'continueErrorOutput',
			credentials,
		},
		{ id: 'crm-activities', name: 'CRM Activities', type: 'n8n-nodes-base.code', typeVersion: 2, position: [600, 0], parameters: code(activities) },
		{
			id: 'crm-activity-sync',
			name: 'Sync Activities',
			type: 'n8n-nodes-salesos.salesOs',
			typeVersion: 3,
			position: [800, 0],
			parameters: {
				resource: 'activity',
				operation: 'sync',
				activityCode: '={{ $json.tipo }}',
				externalId: '={{ $json.id }}',
				collaboratorEmail: '={{ $json.vendedor }}',
				additionalFields: { occurredAt: '={{ $json.data }}', data: '={{ { cliente: $json.cliente } }}' },
				options: {},
			},
			onError: 'continueErrorOutput',
			credentials,
		},
	],
	connections: {
		Start: { main: [[{ node: 'CRM Users', type: 'main', index: 0 }]] },
		'CRM Users': { main: [[{ node: 'Sync Collaborators', type: 'main', index: 0 }]] },
		'Sync Collaborators': { main: [[{ node: 'CRM Activities', type: 'main', index: 0 }], []] },
		'CRM Activities': { main: [[{ node: 'Sync Activities', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1', timezone: 'America/Sao_Paulo' },
};

beforeAll(async () => {
	env = await setUpRealN8n({ moreWorkflows: () => [crmExport] });
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

test('a CRM export: each collaborator and activity gets its true outcome, SalesOS stores exactly the valid ones', async () => {
	const result = await env.n8n.execute(crmExport.id!);
	expectSuccess(result);

	// Collaborators: the invalid email fails its own item before any request; 1 and 11 are synced as text IDs.
	const synced = outputOf(result, 'Sync Collaborators', 0);
	const rejected = outputOf(result, 'Sync Collaborators', 1);
	expect(synced.map((item) => [item.external_id, item.syncResult.outcome])).toEqual([
		['1', 'created'],
		['11', 'created'],
	]);
	expect(rejected.map((item) => [item.id, item.error.message])).toEqual([[110, 'email "invalid-email" is not a valid email address']]);

	// Activities: stored ones succeed, the unknown collaborator's one is skipped, the bad email fails before sending.
	const stored = outputOf(result, 'Sync Activities', 0);
	const failed = outputOf(result, 'Sync Activities', 1);
	expect(stored.map((item) => [item.external_id, item.activity_code, item.occurred_at])).toEqual([
		['5001', '001', '2026-03-17T09:15:00-03:00'],
		['5002', '002', '2026-03-17T00:00:00-03:00'],
		['5005', '003', '2026-03-17T14:00:00-03:00'],
	]);
	expect(failed.map((item) => [item.id, item.error.code ?? null, item.error.message])).toEqual([
		[5003, null, 'collaborator_email "invalid-email" is not a valid email address'],
		[5004, 'SKIPPED', 'SalesOS skipped this activity: Collaborator unknown: sync collaborators first'],
	]);

	// What SalesOS stored.
	expect((env.sandbox.records('collaborators') as any[]).map((c) => [c.external_id, c.email, c.document, c.team])).toEqual([
		['1', 'maria@example.com', '12345678901', 'Vendas SP'],
		['11', 'joao@example.com', '98765432100', 'Vendas RJ'],
	]);
	expect((env.sandbox.records('activities') as any[]).map((a) => [a.external_id, a.activity_code, a.collaborator_email, a.occurred_at])).toEqual([
		['5001', '001', 'maria@example.com', '2026-03-17T09:15:00-03:00'],
		['5002', '002', 'joao@example.com', '2026-03-17T00:00:00-03:00'],
		['5005', '003', 'maria@example.com', '2026-03-17T14:00:00-03:00'],
	]);
	// Every request carried the key as a bearer token: 1 collaborator sync, 1 activity sync, 2 replays to find the skipped one.
	expect(env.sandbox.state.defaultIntegrationRequests.map((request) => request.authorization)).toEqual(['Bearer', 'Bearer', 'Bearer', 'Bearer']);
}, 180_000);
