// Issue 13 point 5: from version 2, Ignore Own Changes (both triggers), Sync Marker (writes) and Get
// Many's sort are parameters of their own instead of Options entries; older versions keep the
// Options entries, and workflows saved with them keep what they store and do.
import { NodeHelpers, type INodeParameters, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import { SalesOs } from '../nodes/SalesOs/SalesOs.node';
import { SalesOsPollTrigger } from '../nodes/SalesOs/SalesOsPollTrigger.node';
import { SalesOsTrigger } from '../nodes/SalesOs/SalesOsTrigger.node';
import { useActionHarness } from './action-support';
import { SEED_USERS, type Lead } from './sandbox';
import { AUTO_MAP } from './helpers/fieldMapping';

const action = new SalesOs().description;
const trigger = new SalesOsTrigger().description;
const pollTrigger = new SalesOsPollTrigger().description;

/** The top-level parameters n8n's editor shows for these values (nodeHelpers.displayParameter). */
function shown(description: INodeTypeDescription, typeVersion: number, values: INodeParameters): INodeProperties[] {
	return description.properties.filter(
		(property) => property.type !== 'notice' && NodeHelpers.displayParameter(values, property, { typeVersion }, description),
	);
}
const namesOf = (properties: INodeProperties[]) => properties.map((property) => property.name);
/** What "Add Option" (or "Add Sort Option") of a shown collection offers. */
function offered(description: INodeTypeDescription, typeVersion: number, values: INodeParameters, collection: string): string[] {
	const [property] = shown(description, typeVersion, values).filter((candidate) => candidate.name === collection);
	return namesOf((property?.options ?? []) as INodeProperties[]);
}
/** The parameters n8n keeps when it loads a node saved with these values. */
const resolved = (description: INodeTypeDescription, typeVersion: number, values: INodeParameters) =>
	NodeHelpers.getNodeParameters(description.properties, values, false, false, { typeVersion }, description);

const MARKER_SETTINGS = ['syncMarkerKey', 'syncMarkerValue', 'echoWindowSeconds'];

describe.each([
	['SalesOS Trigger', trigger, 1.1, 3, { events: ['lead.updated'] }],
	['SalesOS Poll Trigger', pollTrigger, 1, 2, { resource: 'lead' }],
])('%s: Ignore Own Changes', (_name, description, oldVersion, defaultVersion, base: INodeParameters) => {
	test.each([2, defaultVersion])('version %s shows it as a toggle whose settings appear when it is on; Options no longer offers it', (version) => {
		expect(description.defaultVersion).toBe(defaultVersion);
		const off = namesOf(shown(description, version, base));
		expect(off).toContain('ignoreOwnChanges');
		for (const setting of MARKER_SETTINGS) expect(off).not.toContain(setting);
		const on = namesOf(shown(description, version, { ...base, ignoreOwnChanges: true }));
		expect(on).toEqual(expect.arrayContaining(['ignoreOwnChanges', ...MARKER_SETTINGS]));
		// The toggle and its settings come before Options.
		expect(on.indexOf('echoWindowSeconds')).toBeLessThan(on.indexOf('options'));
		expect(offered(description, version, base, 'options')).not.toContain('ignoreOwnChanges');
	});

	test('older versions keep it in Options, and a saved node keeps its settings', () => {
		expect(namesOf(shown(description, oldVersion, base))).not.toContain('ignoreOwnChanges');
		expect(offered(description, oldVersion, base, 'options')).toEqual(
			expect.arrayContaining(['ignoreOwnChanges', ...MARKER_SETTINGS]),
		);
		const saved = { ...base, options: { ignoreOwnChanges: true, syncMarkerKey: 'origin', echoWindowSeconds: 3 } };
		expect(resolved(description, oldVersion, saved)).toMatchObject({ options: saved.options });
		expect(resolved(description, oldVersion, saved)).not.toHaveProperty('ignoreOwnChanges');
	});

	test('Recognise Own Changes By sync base shows Synced Fields and Sync Base Field instead of the marker settings; a saved node without it keeps the echo window', () => {
		const bySyncBase = namesOf(shown(description, 2, { ...base, ignoreOwnChanges: true, ownChangesBy: 'syncBase' }));
		expect(bySyncBase).toEqual(expect.arrayContaining(['ownChangesBy', 'syncedFields', 'syncBaseKey']));
		for (const setting of MARKER_SETTINGS) expect(bySyncBase).not.toContain(setting);
		const saved = { ...base, ignoreOwnChanges: true, echoWindowSeconds: 3 };
		expect(resolved(description, 2, saved)).toMatchObject({ ignoreOwnChanges: true, echoWindowSeconds: 3 });
	});
});

describe('SalesOS node: Sync Marker and Sort', () => {
	const create = { resource: 'lead', operation: 'create' };
	const getMany = (resource: string) => ({ resource, operation: 'getMany' });

	test.each(['create', 'update', 'upsert'])('lead %s: version 2 shows Sync Marker with Key/Value when on; version 1 keeps it in Options', (operation) => {
		const values = { resource: 'lead', operation };
		expect(namesOf(shown(action, 2, values))).toContain('syncMarker');
		expect(namesOf(shown(action, 2, values))).not.toContain('syncMarkerKey');
		expect(namesOf(shown(action, 2, { ...values, syncMarker: true }))).toEqual(
			expect.arrayContaining(['syncMarker', 'syncMarkerKey', 'syncMarkerValue']),
		);
		expect(offered(action, 2, values, 'options')).not.toContain('syncMarker');
		expect(namesOf(shown(action, 1, values))).not.toContain('syncMarker');
		expect(offered(action, 1, values, 'options')).toEqual(expect.arrayContaining(['syncMarker', 'syncMarkerKey']));
	});

	test('a version 1 write keeps its stored sync marker options', () => {
		const saved = { ...create, name: 'A', email: 'a@example.com', options: { syncMarker: true, syncMarkerKey: 'origin' } };
		expect(resolved(action, 1, saved)).toMatchObject({ options: saved.options });
	});

	test.each(['lead', 'deal', 'user'])('%s Get Many: version 2 has a Sort collection before Options; version 1 keeps sort in Options', (resource) => {
		const v2 = namesOf(shown(action, 2, getMany(resource)));
		expect(v2.indexOf('sort')).toBeGreaterThan(-1);
		expect(v2.indexOf('sort')).toBeLessThan(v2.indexOf('options'));
		expect(offered(action, 2, getMany(resource), 'sort')).toEqual(['sortField', 'sortDirection']);
		expect(offered(action, 2, getMany(resource), 'options')).toEqual(['maxConcurrentRequests', 'maxRetries', 'maxWaitSeconds']);
		expect(namesOf(shown(action, 1, getMany(resource)))).not.toContain('sort');
		expect(offered(action, 1, getMany(resource), 'options')).toEqual(expect.arrayContaining(['sortField', 'sortDirection']));
		const saved = { ...getMany(resource), options: { sortField: 'name', sortDirection: 'desc' } };
		expect(resolved(action, 1, saved)).toMatchObject({ options: saved.options });
	});

	test.each(['team', 'stage'])('%s Get Many (nothing to sort by) has no Sort in either version', (resource) => {
		for (const version of [1, 2]) expect(namesOf(shown(action, version, getMany(resource)))).not.toContain('sort');
	});
});

describe('SalesOS node: each version reads its own place', () => {
	const harness = useActionHarness();

	test.each([
		{ version: 1, settings: { options: { syncMarker: true, syncMarkerKey: 'origin', syncMarkerValue: 'hub' } } },
		{ version: 2, settings: { syncMarker: true, syncMarkerKey: 'origin', syncMarkerValue: 'hub' } },
	])('version $version: Create stamps the sync marker', async ({ version, settings }) => {
		harness.nodeVersion = version;
		const person = { name: 'Ana', email: 'ana@example.com' };
		// Version 2 maps the fields (here: automatically, from the item).
		const fields = version === 1 ? person : { columns: AUTO_MAP };
		const [created] = await harness.runOk({ resource: 'lead', operation: 'create', ...fields, ...settings }, [person]);
		const stored = harness.sandbox.state.leads.get(String(created.id)) as Lead;
		expect(stored.custom_fields).toEqual({ origin: expect.stringMatching(/^hub@\d{4}-\d{2}-\d{2}T/) });
	});

	test.each([
		{ version: 1, settings: { options: { syncMarker: true } }, stamped: true },
		{ version: 2, settings: { syncMarker: true }, stamped: true },
		// A version 2 node does not read Options for it (what a version 1 node stored there).
		{ version: 2, settings: { options: { syncMarker: true } }, stamped: false },
	])('version $version, $settings: Update stamps the marker: $stamped', async ({ version, settings, stamped }) => {
		harness.nodeVersion = version;
		const [lead] = harness.sandbox.seed({ resource: 'leads', records: [{ name: 'A', email: 'a@example.com' }] }).records as Lead[];
		const fields = version === 1 ? { updateFields: { company: 'Acme' } } : { columns: AUTO_MAP };
		await harness.run({ resource: 'lead', operation: 'update', leadId: lead.id, ...fields, ...settings }, [{ company: 'Acme' }]);
		expect(harness.sandbox.state.leads.get(lead.id)?.company).toBe('Acme');
		const marker = harness.sandbox.state.leads.get(lead.id)?.custom_fields.sync_marker;
		expect(marker === undefined ? false : /^n8n@/.test(String(marker))).toBe(stamped);
	});

	test.each([
		{ version: 1, sort: { options: { sortField: 'name', sortDirection: 'desc' } } },
		{ version: 2, sort: { sort: { sortField: 'name', sortDirection: 'desc' } } },
	])('version $version: lead and user Get Many sort as asked', async ({ version, sort }) => {
		harness.nodeVersion = version;
		harness.sandbox.seed({ resource: 'leads', records: ['Bia', 'Caio', 'Ana'].map((name) => ({ name })) });
		const leads = await harness.runOk({ resource: 'lead', operation: 'getMany', returnAll: true, ...sort });
		expect(leads.map((lead) => lead.name)).toEqual(['Caio', 'Bia', 'Ana']);
		const users = await harness.runOk({ resource: 'user', operation: 'getMany', returnAll: true, ...sort });
		expect(users.map((user) => user.name)).toEqual(SEED_USERS.map((user) => user.name).sort().reverse());
	});
});

describe('SalesOS Trigger: where Manual registration reads its signing secret (issue 22)', () => {
	const manual = { registration: 'manual', events: ['lead.created'] };
	const credentialShown = (typeVersion: number, values: INodeParameters) =>
		(trigger.credentials ?? [])
			.filter((credential) => NodeHelpers.displayParameter(values, credential, { typeVersion }, trigger))
			.map((credential) => credential.name);

	test.each([1, 1.1, 2])('version %s keeps the Signing Secret parameter and a saved value', (version) => {
		expect(namesOf(shown(trigger, version, manual))).toContain('signingSecret');
		expect(credentialShown(version, manual)).toEqual([]);
		expect(resolved(trigger, version, { ...manual, signingSecret: 'whsec_saved' })).toMatchObject({ signingSecret: 'whsec_saved' });
	});

	test('version 3 asks for the signing secret credential instead; Automatic asks for the API credential only', () => {
		expect(namesOf(shown(trigger, 3, manual))).not.toContain('signingSecret');
		expect(credentialShown(3, manual)).toEqual(['salesOsWebhookSigningSecretApi']);
		expect(credentialShown(3, { registration: 'automatic', authentication: 'clientCredentials' })).toEqual(['salesOsClientCredentialsApi']);
		expect(offered(trigger, 3, { registration: 'automatic' }, 'options')).toContain('previousSecretValidForSeconds');
	});
});
