/**
 * Node version 2: lead and deal Create, Update and Create or Update map their fields with n8n's
 * resource mapper ("Fields"): the columns come from the record specs plus the custom field keys of
 * recently updated records; "Map Automatically" takes matching input fields, "Map Each Field
 * Below" the values set. The request body goes through version 1's serialisation.
 */
import { traverseNodeParameters, type FromAIArgument, type IDataObject, type INodeParameters, type ResourceMapperFields } from 'n8n-workflow';

import { SalesOs } from '../nodes/SalesOs/SalesOs.node';
import { mappingColumns } from '../nodes/SalesOs/records/mappedFields';
import { DEAL, LEAD, USER } from '../nodes/SalesOs/records/specs';
import { useActionHarness } from './action-support';
import { runNode, TestNodeTypes } from './helpers/engine';
import { SEED_TEAMS, SEED_USERS, STAGES, type Deal, type Lead } from './sandbox';
import { AUTO_MAP, mapEachColumn } from './helpers/fieldMapping';

const harness = useActionHarness();
beforeEach(() => {
	harness.nodeVersion = 2;
});
const [owner] = SEED_USERS;
const [team] = SEED_TEAMS;

const autoMap = AUTO_MAP;
const mapBelow = (value: IDataObject, schema = [...mappingColumns(LEAD, { requireFields: false }, ['region']), ...mappingColumns(DEAL, { requireFields: false }, [])]) =>
	mapEachColumn(value, schema);
const leads = () => harness.sandbox.records('leads') as Lead[];
const deals = () => harness.sandbox.records('deals') as Deal[];
const seedLead = (fields: IDataObject) => harness.sandbox.seed({ resource: 'leads', records: [fields] }).records![0] as Lead;

/** Calls the mapper's column method the way the editor does. */
async function recordFields(resource: string, operation: string): Promise<ResourceMapperFields> {
	const context = harness.loadOptionsContext({ resource, operation }, 'parameters.columns', 2);
	return await new SalesOs().methods.resourceMapping.getRecordFields.call(context as never);
}

describe('columns', () => {
	it('has every settable field with its type; Name and Email are required on Create and Create or Update only', () => {
		const create = mappingColumns(LEAD, { requireFields: true }, []);
		expect(create.map((column) => [column.id, column.displayName, column.type, column.required])).toEqual([
			['name', 'Name', 'string', true],
			['email', 'Email', 'string', true],
			['phone', 'Phone', 'string', false],
			['company', 'Company', 'string', false],
			['position', 'Position', 'string', false],
			['source', 'Source', 'string', false],
			['status', 'Status', 'options', false],
			['owner_id', 'Owner ID', 'string', false],
			['team_id', 'Team ID', 'string', false],
			['tags', 'Tags', 'string', false],
		]);
		expect(create.find((column) => column.id === 'status')?.options?.map((option) => option.value)).toEqual([
			'contacted',
			'converted',
			'new',
			'qualified',
			'unqualified',
		]);
		expect(mappingColumns(LEAD, { requireFields: false }, []).filter((column) => column.required)).toEqual([]);
		expect(create.every((column) => column.display && !column.canBeUsedToMatch && !column.defaultMatch)).toBe(true);
	});

	it('types deal fields (number, date, IDs) and adds one column per custom field key', () => {
		const columns = mappingColumns(DEAL, { requireFields: true }, ['external_id', 'region']);
		const byId = Object.fromEntries(columns.map((column) => [column.id, column]));
		expect(byId.name.required).toBe(true);
		expect(byId.value.type).toBe('number');
		expect(byId.expected_close_date.type).toBe('dateTime');
		expect(byId.stage_id.displayName).toBe('Stage ID');
		expect(byId.lead_id.displayName).toBe('Lead ID');
		expect(byId['custom_fields.region']).toMatchObject({ displayName: 'Custom Field: region', type: 'string', required: false });
		expect(columns.map((column) => column.id)).not.toContain('custom_fields');
		// Users have no custom fields: no custom field columns.
		expect(mappingColumns(USER, { requireFields: true }, ['region']).map((column) => column.id)).not.toContain('custom_fields.region');
	});

	it('finds custom field keys on the most recently updated records in SalesOS', async () => {
		seedLead({ name: 'Old', email: 'old@example.com', custom_fields: { legacy_code: 'x' } });
		seedLead({ name: 'New', email: 'new@example.com', custom_fields: { external_id: 'crm-1', region: 'south' } });
		const { fields } = await recordFields('lead', 'create');
		const custom = fields.filter((field) => field.id.startsWith('custom_fields.')).map((field) => field.displayName);
		expect(custom).toEqual(['Custom Field: external_id', 'Custom Field: legacy_code', 'Custom Field: region']);
		expect(harness.sandbox.requestCount('GET /v1/leads')).toBe(1);

		const update = await recordFields('deal', 'update');
		expect(update.fields.filter((field) => field.required)).toEqual([]);
		expect(update.fields.map((field) => field.id)).toContain('stage_id');
	});

	it('lists the built-in fields when the custom field lookup fails, and a read-only column that says why', async () => {
		harness.sandbox.setFaults([{ route: '/v1/leads', method: 'GET', status: 403 }]);
		const { fields } = await recordFields('lead', 'create');
		const builtIn = mappingColumns(LEAD, { requireFields: true }, []);
		expect(fields.slice(0, -1)).toEqual(builtIn);
		const notice = fields[fields.length - 1];
		expect(notice).toMatchObject({ readOnly: true, required: false, display: true, canBeUsedToMatch: false });
		expect(notice.displayName).toMatch(/^Custom fields not loaded \(SalesOS refused access \(403\) to GET \/leads\): check the credential/);

		// A run ignores the column (mapped as the editor leaves it: no value).
		const lead = await harness.runOk({
			resource: 'lead',
			operation: 'create',
			columns: mapEachColumn({ name: 'Ana Lima', email: 'ana@example.com', [notice.id]: null }, fields),
		});
		expect(lead).toHaveLength(1);
		expect(leads()[0]).not.toHaveProperty(notice.id);
	});
});

describe('Map Automatically', () => {
	it('creates leads from the input fields whose names match, API names or version 1 names; others are ignored', async () => {
		const output = await harness.runOk({ resource: 'lead', operation: 'create', columns: autoMap }, [
			{
				name: 'Ana Lima',
				email: 'ana@example.com',
				company: 'Acme',
				owner_id: owner.id,
				team: { id: team.id, name: team.name },
				tags: ['vip', 'inbound'],
				custom_fields: { external_id: 'crm-1' },
				'custom_fields.region': 'south',
				favourite_colour: 'green',
			},
			{ name: 'Bia Melo', email: 'bia@example.com', status: 'qualified', phone: '' },
		]);
		expect(output.map((lead) => lead.operationResult)).toEqual(['created', 'created']);
		const [ana, bia] = leads();
		expect(ana).toMatchObject({
			name: 'Ana Lima',
			email: 'ana@example.com',
			company: 'Acme',
			owner_id: owner.id,
			team_id: team.id,
			tags: ['vip', 'inbound'],
			custom_fields: { external_id: 'crm-1', region: 'south' },
		});
		expect(ana).not.toHaveProperty('favourite_colour');
		expect(bia).toMatchObject({ name: 'Bia Melo', status: 'qualified', phone: null });
	});

	it('names the field that is missing or has a bad value, per item', async () => {
		const { items } = await harness.run({ resource: 'lead', operation: 'create', columns: autoMap }, [{ name: 'No Mail', mail: 'x@example.com' }], 'continueRegularOutput');
		expect(items[0].json.error).toMatchObject({ message: '"Email" is empty' });
		expect((items[0].json.error as IDataObject).description).toMatch(/Map Automatically\) has no value for "email"/);

		const deal = await harness.run({ resource: 'deal', operation: 'create', columns: autoMap }, [{ name: 'Acme', value: '1.500,00' }], 'continueRegularOutput');
		expect(deal.items[0].json.error).toMatchObject({ message: '"Value" must be a number, got "1.500,00"' });
		expect(deals()).toEqual([]);
	});
});

describe('Map Each Column Manually', () => {
	it('updates only the fields that have a value (empty ones are not sent)', async () => {
		const lead = seedLead({ name: 'Ana Lima', email: 'ana@example.com', company: 'Acme', phone: '+5511900000000' });
		const [output] = await harness.runOk({
			resource: 'lead',
			operation: 'update',
			leadId: lead.id,
			columns: mapBelow({ name: null, email: null, company: '', phone: '={{ $json.phone }}', 'custom_fields.region': 'north' }),
		}, [{ phone: '+5511911111111' }]);
		expect(output).toMatchObject({ id: lead.id, phone: '+5511911111111', company: 'Acme', name: 'Ana Lima', custom_fields: { region: 'north' } });

		const nothing = await harness.run({ resource: 'lead', operation: 'update', leadId: lead.id, columns: mapBelow({ company: null }) });
		expect(nothing.error?.message).toBe('Nothing to update');
		expect(nothing.error?.description).toMatch(/^Map at least one field/);
	});

	it('creates or updates a deal matched by external ID, with the stage and a typed value', async () => {
		const [stage] = STAGES;
		const parameters = {
			resource: 'deal',
			operation: 'upsert',
			matchOn: 'externalId',
			externalId: 'crm-7',
			columns: mapBelow({ name: 'Acme rollout', value: 1500, stage_id: stage.id, expected_close_date: '2026-03-31T10:00:00Z' }),
		};
		const [created] = await harness.runOk(parameters);
		expect(created.operationResult).toBe('created');
		expect(deals()[0]).toMatchObject({ name: 'Acme rollout', value: 1500, expected_close_date: '2026-03-31', custom_fields: { external_id: 'crm-7' } });

		const [updated] = await harness.runOk({ ...parameters, columns: mapBelow({ name: 'Acme rollout', value: 2500 }) });
		expect(updated).toMatchObject({ id: created.id, operationResult: 'updated', value: 2500 });
		expect(deals()).toHaveLength(1);

		// n8n checks the values against the column types first (a typed-in one already in the editor), naming the column.
		const bad = await harness.run({ ...parameters, columns: mapBelow({ name: 'Acme rollout', value: '={{ "lots" }}' }) });
		expect(bad.error?.message).toBe("Invalid input for 'value' [item 0]");
		expect(bad.error?.description).toBe("'value' expects a number but we got 'lots'");
	});

	it('takes values from an AI agent’s $fromAI() inside the mapped fields', () => {
		const columns = mapBelow({ name: "={{ $fromAI('name', 'The person’s name') }}", email: "={{ $fromAI('email') }}", company: null });
		const found: FromAIArgument[] = [];
		traverseNodeParameters({ resource: 'lead', operation: 'create', columns }, found);
		expect(found.map((argument) => argument.key)).toEqual(['name', 'email']);
	});

	it('runs as an agent’s tool with mapped fields', async () => {
		class SalesOsTool extends SalesOs {
			constructor() {
				super();
				this.description = { ...this.description, name: 'salesOsTool', displayName: 'SalesOS Tool' };
			}
		}
		const { items, error } = await runNode({
			node: { type: 'salesOsTool', typeVersion: 2, parameters: { resource: 'lead', operation: 'create', columns: mapBelow({ name: 'Ana Lima', email: 'ana@example.com' }) } as INodeParameters },
			input: [{}],
			credentials: harness.credentials,
			nodeTypes: new TestNodeTypes([new SalesOsTool()]),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ id: leads()[0].id, name: 'Ana Lima', email: 'ana@example.com', status: 'new', operationResult: 'created' });
	});
});

it('keeps version 1’s parameters on version 1', async () => {
	harness.nodeVersion = 1;
	await harness.runOk({ resource: 'lead', operation: 'create', name: 'Ana Lima', email: 'ana@example.com', additionalFields: { company: 'Acme' } });
	expect(leads()[0]).toMatchObject({ company: 'Acme' });
});
