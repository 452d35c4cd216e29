/**
 * Contract test: Default Integration requests against a JSON Schema written from Play2Sell's
 * published spec (test/contract/defaultIntegration.schema.json). Every suite that runs the node
 * through the action harness checks each request it sent (test/action-support.ts, afterEach);
 * this suite shows the schema tells spec-conforming requests from the ones the node used to send,
 * and runs both operations over input shaped like a CRM export.
 */
import { useActionHarness } from './action-support';
import { defaultIntegrationViolations } from './contract/schema';

const harness = useActionHarness();

describe('the request schema', () => {
	it('accepts the spec’s own request examples', () => {
		expect(
			defaultIntegrationViolations({
				action: 'sync_collaborators',
				collaborators: [
					{
						external_id: 'emp-101',
						name: 'Maria Santos',
						email: 'maria@yourcompany.com',
						phone: '+5511999001001',
						document: '12345678901',
						team: 'Equipe Vendas SP',
						role: 'vendedor',
						metadata: { crm_id: 'CRM-2001', hire_date: '2024-06-15' },
					},
				],
			}),
		).toEqual([]);
		expect(
			defaultIntegrationViolations({
				action: 'sync_activities',
				activities: [
					{
						activity_code: '001',
						external_id: 'crm-call-5001',
						collaborator_email: 'maria@yourcompany.com',
						data: { client: 'Acme Corp', duration_min: 12 },
						occurred_at: '2026-03-17T09:15:00-03:00',
					},
				],
			}),
		).toEqual([]);
	});

	it('rejects what earlier versions of the node sent: numbers, dates without offset', () => {
		expect(
			defaultIntegrationViolations({
				action: 'sync_activities',
				activities: [{ activity_code: 1, external_id: 5001, collaborator_email: 'rep@example.com', occurred_at: '2026-03-17T09:15:00' }],
			}),
		).toEqual([
			'body.activities[0].activity_code: must be string, is integer',
			'body.activities[0].external_id: must be string, is integer',
			'body.activities[0].occurred_at: not an RFC 3339 date-time',
		]);
		expect(defaultIntegrationViolations({ action: 'sync_collaborators', collaborators: [{ email: 'a@example.com', name: 'A', external_id: 'x', document: '1'.repeat(21) }] })).toEqual([
			'body.collaborators[0].document: longer than 20',
		]);
		expect(defaultIntegrationViolations({ action: 'dance' })).not.toEqual([]);
	});
});

it('both operations over a CRM export send only conforming requests (checked after the test)', async () => {
	const base = { authentication: 'apiKey', operation: 'sync' };
	await harness.run(
		{
			...base,
			resource: 'collaborator',
			email: '={{ $json.email }}',
			name: '={{ $json.name }}',
			externalId: '={{ $json.id }}',
			additionalFields: { document: '={{ $json.cpf }}', team: 'Vendas SP', role: 'vendedor', phone: '={{ $json.phone }}' },
		},
		[
			{ id: 101, name: 'Maria', email: 'maria@example.com', cpf: 12345678901, phone: 5511999001001 },
			{ id: 1010, name: 'João', email: 'joao@example.com', cpf: '98765432100', phone: '+5511999002002' },
			{ id: 102, name: 'Broken', email: 'broken', cpf: 1, phone: 1 },
		],
		'continueErrorOutput',
	);
	const result = await harness.run(
		{
			...base,
			resource: 'activity',
			activityCode: '={{ $json.type }}',
			externalId: '={{ $json.id }}',
			collaboratorEmail: '={{ $json.rep }}',
			additionalFields: { occurredAt: '={{ $json.when }}', data: '={{ { client: $json.client } }}' },
		},
		[
			{ type: 1, id: 5001, rep: 'maria@example.com', when: '2026-03-17T09:15:00', client: 'Acme' },
			{ type: '2', id: 5002, rep: 'ghost@example.com', when: '2026-03-17', client: 'Beta' },
			{ type: 3, id: 5003, rep: 'joao@example.com', when: 'Tue Mar 17 2026 14:00:00 GMT-0300', client: 'Gamma' },
		],
		'continueErrorOutput',
	);
	expect(result.outputs[0]).toHaveLength(2);
	expect(result.outputs[1]).toHaveLength(1);
	expect(harness.sandbox.state.defaultIntegrationRequests.length).toBeGreaterThanOrEqual(3);
});
