/// <reference lib="dom" />
// The package in n8n 2.40.7's real editor, driven by headless Chromium as a person would use it:
// find the nodes, open every panel, load pickers, test credentials, switch a trigger to Manual
// registration, open the examples, and preview a SalesOS node's output fields without running it.
import { join } from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import type { ElementHandle } from 'puppeteer-core';

import {
	API_KEY_CREDENTIAL_ID,
	CLIENT_CREDENTIAL_ID,
	EXAMPLE_CREDENTIAL_NAME,
	readExampleWorkflows,
} from '../../scripts/examples';
import { REPO_ROOT } from '../../scripts/n8n/package';
import { productionWebhookUrl, waitFor } from '../e2e/harness';
import {
	chooseOption,
	click,
	clickElement,
	closeNode,
	openNode,
	openWorkflow,
	pause,
	saveWorkflow,
	switchOn,
	typeInto,
	visibleListTexts,
	visibleParameters,
	waitForIdle,
} from './editor';
import { setUpEditor, WRONG_CREDENTIALS, type EditorSession } from './harness';

// Page loads take tens of seconds on a busy 2-core machine.
jest.setTimeout(10 * 60_000);

let env: EditorSession;

beforeAll(async () => {
	env = await setUpEditor();
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

const PACKAGE = 'n8n-nodes-salesos';
// Sticky notes are canvas annotations, not nodes a workflow runs.
const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote';
const description = (file: string, className: string): INodeTypeDescription =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	new (require(join(REPO_ROOT, 'dist', 'nodes', 'SalesOs', file))[className])().description;

/** Every (resource, operation) pair of a node, from its built description. */
function operationsOf(node: INodeTypeDescription): Array<{ resource: string; operation: string }> {
	const resource = node.properties.find((property) => property.name === 'resource')!;
	return (resource.options as Array<{ value: string }>).flatMap(({ value }) => {
		const operation = node.properties.find(
			(property: INodeProperties) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(value),
		);
		return ((operation?.options as Array<{ value: string }>) ?? []).map((option) => ({ resource: value, operation: option.value }));
	});
}

const credentialRef = { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME } };

/** Console errors and failed requests that concern this package (n8n's own chatter about the internet is left out). */
function packageProblems(problems: string[]): string[] {
	return problems.filter(
		(problem) =>
			(problem.startsWith('HTTP') && /salesos|dynamic-node-parameters|\/schemas\//i.test(problem)) ||
			(problem.startsWith('console') && !/ERR_CERT|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|api\.n8n\.io|Failed to load resource/.test(problem)) ||
			problem.startsWith('page error'),
	);
}

async function createWorkflow(name: string, nodes: any[], connections: Record<string, any> = {}): Promise<string> {
	const workflow = await env.n8n.rest.createWorkflow({ name, nodes, connections, settings: {} });
	return workflow.id;
}

const chain = (...names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));

const inputValues = async () =>
	await env.page.$$eval('[data-test-id="ndv"] input', (inputs) => inputs.map((input) => (input as HTMLInputElement).value));
const panelText = async () => await env.page.$eval('[data-test-id="ndv"]', (element) => element.textContent ?? '');

describe('the editor', () => {
	test('the nodes panel finds the SalesOS nodes by "SalesOS", "CRM" and "Play2Sell"', async () => {
		const { page } = env;
		await openWorkflow(page, env.n8n.url, env.examples['02'].id!);
		await click(page, '[data-test-id="node-creator-plus-button"]');
		await page.waitForSelector('[data-test-id="node-creator-search-bar"]', { visible: true });
		for (const query of ['SalesOS', 'CRM', 'Play2Sell']) {
			const search = await page.$('[data-test-id="node-creator-search-bar"]');
			await search!.evaluate((input) => (input as HTMLInputElement).select());
			await page.keyboard.press('Backspace');
			await page.keyboard.type(query);
			await pause(1000);
			const names = await visibleListTexts(page, '[data-test-id="node-creator-item-name"]');
			// n8n lists the action node and its webhook trigger as one app, "SalesOS".
			expect({ query, names: names.filter((name) => name.startsWith('SalesOS')) }).toEqual({
				query,
				names: ['SalesOS', 'SalesOS Poll Trigger'],
			});
		}
		await env.screenshot('nodes-panel-search');
		// The app's card lists the action node's actions and the trigger's events.
		const [app] = await page.$$('xpath/.//*[@data-test-id="node-creator-item-name" and normalize-space(text())="SalesOS"]');
		const box = await app.boundingBox();
		await page.mouse.click(box!.x + 5, box!.y + 5);
		await page.waitForFunction(() => document.querySelector('[data-test-id="node-creator"]')?.textContent?.includes('Triggers'));
		const card = await page.$eval('[data-test-id="node-creator"]', (element) => (element as HTMLElement).innerText);
		expect(card).toMatch(/Actions \(\d+\)/);
		expect(card).toMatch(/Triggers \(\d+\)/);
		await env.screenshot('nodes-panel');
		await page.keyboard.press('Escape');
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});

	test('every resource/operation panel of the SalesOS node opens without console errors or failed package requests', async () => {
		const { page } = env;
		const operations = operationsOf(description('SalesOs.node.js', 'SalesOs'));
		expect(operations.length).toBeGreaterThan(20);
		// Version 2's panels are version 3's but for Collaborator and Activity (API Key by default);
		// version 1 lead, deal and collaborator panels are still opened by older workflows.
		const defaultIntegration = ({ resource }: { resource: string }) => resource === 'collaborator' || resource === 'activity';
		const panels = [
			...operations.map((operation) => ({ ...operation, typeVersion: 2 })),
			...operations.filter(defaultIntegration).map((operation) => ({ ...operation, typeVersion: 3 })),
			...operations
				.filter(({ resource }) => resource === 'lead' || resource === 'deal' || resource === 'collaborator')
				.map((operation) => ({ ...operation, typeVersion: 1 })),
		];
		const nodes = panels.map(({ resource, operation, typeVersion }, index) => ({
			id: `op-${index}`,
			name: `${resource} ${operation} v${typeVersion}`,
			type: `${PACKAGE}.salesOs`,
			typeVersion,
			position: [(index % 8) * 220, Math.floor(index / 8) * 200],
			parameters: { resource, operation },
			credentials: credentialRef,
		}));
		const workflowId = await createWorkflow('UI: every SalesOS panel', nodes);
		await openWorkflow(page, env.n8n.url, workflowId);
		env.takeProblems();
		const failures: Record<string, string[]> = {};
		for (const node of nodes) {
			await openNode(page, node.name);
			const shown = await visibleParameters(page);
			if (node.name === 'lead upsert v2') await env.screenshot('create-or-update-panel');
			await closeNode(page);
			const problems = packageProblems(env.takeProblems());
			if (problems.length > 0 || !shown.includes('operation')) failures[node.name] = [...problems, `parameters: ${shown.join(', ')}`];
		}
		expect(failures).toEqual({});
	}, 20 * 60_000);

	test('the Lead picker lists the sandbox leads, searches them, and the picked lead is the one the node gets', async () => {
		const { page, sandbox } = env;
		const [ana] = sandbox.seed({
			resource: 'leads',
			records: [
				{ name: 'Ana Picker', email: 'ana.picker@example.com', company: 'Acme' },
				{ name: 'Bruno Picker', email: 'bruno.picker@example.com', company: 'Globex' },
			],
		}).records as any[];
		const workflowId = await createWorkflow(
			'UI: lead picker',
			[
				{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'get', name: 'Get lead', type: `${PACKAGE}.salesOs`, typeVersion: 2, position: [220, 0], parameters: { resource: 'lead', operation: 'get' }, credentials: credentialRef },
			],
			chain('Start', 'Get lead'),
		);
		await openWorkflow(page, env.n8n.url, workflowId);
		await openNode(page, 'Get lead');
		const locator = '[data-test-id="ndv"] [data-test-id="resource-locator-leadId"]';
		await click(page, `${locator} [data-test-id="rlc-input"]`);
		await page.waitForSelector('[data-test-id="rlc-item"]', { visible: true });
		expect(await visibleListTexts(page, '[data-test-id="rlc-item"]')).toEqual(
			expect.arrayContaining(['Ana Picker (ana.picker@example.com)', 'Bruno Picker (bruno.picker@example.com)']),
		);
		await page.keyboard.type('acme');
		await waitFor('the searched list', async () => {
			const texts = await visibleListTexts(page, '[data-test-id="rlc-item"]');
			return texts.length === 1 && texts[0] === 'Ana Picker (ana.picker@example.com)' ? texts : undefined;
		});
		await env.screenshot('lead-picker');
		await click(page, '[data-test-id="rlc-item"]');
		await pause(500);
		await click(page, '[data-test-id="ndv"] [data-test-id="node-execute-button"]');
		await waitFor('the node output', async () => {
			const output = await page.$eval('[data-test-id="ndv"]', (element) => (element as HTMLElement).innerText).catch(() => '');
			return output.includes('ana.picker@example.com') && output.includes(ana.id) ? output : undefined;
		}, 60_000);
		await closeNode(page);
		await saveWorkflow(page);
		const saved = await env.n8n.rest.getWorkflow(workflowId);
		expect(saved.nodes.find((node: any) => node.name === 'Get lead').parameters.leadId).toMatchObject({ __rl: true, mode: 'list', value: ana.id });
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});

	test('the Stage picker loads the stages from the sandbox', async () => {
		const { page } = env;
		const workflowId = await createWorkflow('UI: pickers', [
			{ id: 'move', name: 'Move deal', type: `${PACKAGE}.salesOs`, typeVersion: 1, position: [0, 0], parameters: { resource: 'deal', operation: 'move' }, credentials: credentialRef },
		]);
		await openWorkflow(page, env.n8n.url, workflowId);
		await openNode(page, 'Move deal');
		await click(page, '[data-test-id="ndv"] [data-test-id="resource-locator-stage"] [data-test-id="rlc-input"]');
		await page.waitForSelector('[data-test-id="rlc-item"]', { visible: true });
		const stages = await visibleListTexts(page, '[data-test-id="rlc-item"]');
		expect(stages).toEqual(expect.arrayContaining(['Prospecting', 'Qualification', 'Closed Won']));
		await env.screenshot('stage-picker');
		await page.keyboard.press('Escape');
		await closeNode(page);
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});

	test('a version 2 lead Create maps its fields: every SalesOS field, custom field keys from SalesOS, Map Automatically', async () => {
		const { page } = env;
		env.sandbox.seed({ resource: 'leads', records: [{ name: 'Dora Lima', email: 'dora@example.com', custom_fields: { region: 'east' } }] });
		const workflowId = await createWorkflow('UI: field mapper', [
			{ id: 'create-lead', name: 'Create lead', type: `${PACKAGE}.salesOs`, typeVersion: 2, position: [0, 0], parameters: { resource: 'lead', operation: 'create' }, credentials: credentialRef },
		]);
		await openWorkflow(page, env.n8n.url, workflowId);
		env.takeProblems();
		await openNode(page, 'Create lead');
		await page.waitForFunction(() => document.querySelector('[data-test-id="ndv"]')?.textContent?.includes('Custom Field: region'), {
			timeout: 120_000,
		});
		const text = await panelText();
		expect(await inputValues()).toContain('Map Each Column Manually');
		for (const label of ['Mapping Column Mode', 'Values to Send', 'Name', 'Email', 'Owner ID', 'Team ID', 'Status', 'Tags', 'Custom Field: region']) {
			expect(text).toContain(label);
		}
		expect(text).not.toContain('Additional Fields');
		await switchOn(page, 'syncMarker', ['syncMarkerKey', 'syncMarkerValue']);
		await env.screenshot('lead-create-field-mapper');

		// Map Automatically: no field list, the input items' fields are taken by name.
		// A click that lands while the dropdown is still opening can miss (as in chooseOption): try again.
		for (let attempt = 1; attempt <= 3 && !(await inputValues()).includes('Map Automatically'); attempt++) {
			const modeInput = await page.evaluateHandle(() =>
				Array.from(document.querySelectorAll('[data-test-id="ndv"] input')).find((input) => (input as HTMLInputElement).value.startsWith('Map Each')),
			);
			await clickElement(page, modeInput as ElementHandle);
			const option = await page.waitForFunction(() =>
				Array.from(document.querySelectorAll('.el-select-dropdown__item, [role="option"], li')).find((element) => {
					const box = element.getBoundingClientRect();
					return box.width > 0 && box.height > 0 && element.textContent?.trim().startsWith('Map Automatically');
				}),
			);
			await clickElement(page, option as ElementHandle);
			await pause(1_000);
		}
		expect(await inputValues()).toContain('Map Automatically');
		expect(await panelText()).not.toContain('Custom Field: region');
		await env.screenshot('lead-create-map-automatically');
		await closeNode(page);
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});

	test('a version 2 lead Create whose credential SalesOS refuses still maps every SalesOS field and says why custom fields are missing', async () => {
		const { page } = env;
		const wrongCredential = { salesOsClientCredentialsApi: { id: WRONG_CREDENTIALS.clientCredentials, name: 'Wrong client secret' } };
		const workflowId = await createWorkflow('UI: field mapper without a working credential', [
			{ id: 'create-lead', name: 'Create lead', type: `${PACKAGE}.salesOs`, typeVersion: 2, position: [0, 0], parameters: { resource: 'lead', operation: 'create' }, credentials: wrongCredential },
		]);
		await openWorkflow(page, env.n8n.url, workflowId);
		env.takeProblems();
		await openNode(page, 'Create lead');
		await page.waitForFunction(() => document.querySelector('[data-test-id="ndv"]')?.textContent?.includes('Custom fields not loaded'), {
			timeout: 120_000,
		});
		const text = await panelText();
		for (const label of ['Name', 'Email', 'Owner ID', 'Team ID', 'Status', 'Tags', 'SalesOS rejected the client ID or client secret']) {
			expect(text).toContain(label);
		}
		await env.screenshot('lead-create-field-mapper-credential-refused');
		await closeNode(page);
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});

	test.each([
		['OAuth2 client credentials', CLIENT_CREDENTIAL_ID, WRONG_CREDENTIALS.clientCredentials, /SalesOS rejected the client ID or client secret/],
		['API key', API_KEY_CREDENTIAL_ID, WRONG_CREDENTIALS.apiKey, /SalesOS rejected the API key or, if set, its API Secret/],
	])('%s credential: Test succeeds with the sandbox secret and names the problem with a wrong one', async (_kind, goodId, wrongId, message) => {
		const { page } = env;
		for (const [id, expected] of [
			[goodId, 'Connection tested successfully'],
			[wrongId, message],
		] as const) {
			await page.goto(`${env.n8n.url}/home/credentials/${id}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
			await page.waitForSelector('[data-test-id="credential-edit-dialog"]', { visible: true, timeout: 120_000 });
			// Opening a saved credential runs its test; Retry is the Test button.
			const banner = async () => await page.$eval('[data-test-id="credential-edit-dialog"]', (element) => (element as HTMLElement).innerText);
			await waitFor('the credential test result', async () => /Connection tested successfully|Couldn.t connect/.test(await banner()), 60_000);
			const retried = page.waitForResponse((response) => response.url().includes('/rest/credentials/test'), { timeout: 60_000 });
			const [retry] = await page.$$('xpath/.//*[@data-test-id="credential-edit-dialog"]//button[normalize-space(.)="Retry"]');
			expect(retry).toBeDefined();
			await clickElement(page, retry);
			expect((await retried).ok()).toBe(true);
			await waitForIdle(page);
			// n8n folds the credential test's message under "More details".
			const [details] = await page.$$('xpath/.//*[@data-test-id="credential-edit-dialog"]//*[normalize-space(text())="More details"]');
			if (details) {
				await clickElement(page, details);
				await pause(500);
			}
			const text = await page.evaluate(() => document.body.innerText);
			if (typeof expected === 'string') expect(text).toContain(expected);
			else expect(text).toMatch(expected);
			await env.screenshot(`credential-${id}`);
			await page.keyboard.press('Escape');
		}
		expect(packageProblems(env.takeProblems()).filter((problem) => !problem.includes('/rest/credentials/test'))).toEqual([]);
	});

	test('a SalesOS Trigger switched to Manual registration in the panel, Ignore Own Changes on, receives a signed delivery', async () => {
		const { page, sandbox } = env;
		const trigger = {
			id: 'manual-trigger',
			name: 'SalesOS Trigger',
			type: `${PACKAGE}.salesOsTrigger`,
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'b7c1e0f4-0d5e-4c83-9c2e-ui0manual001',
			parameters: {},
			credentials: credentialRef,
		};
		const workflowId = await createWorkflow('UI: manual registration', [trigger]);
		await openWorkflow(page, env.n8n.url, workflowId);
		await openNode(page, trigger.name);
		expect(await visibleParameters(page)).toContain('registration');
		await chooseOption(page, 'registration', 'Manual');
		await typeInto(page, 'signingSecret', 'whsec_ui_manual_secret');
		// Its marker settings show as soon as it is on, not only through Add Option.
		await switchOn(page, 'ignoreOwnChanges', ['syncMarkerKey', 'syncMarkerValue', 'echoWindowSeconds']);
		await chooseOption(page, 'events', 'Lead Created');
		await page.keyboard.press('Escape');
		// Let the dropdown fade out before the picture.
		await pause(800);
		await env.screenshot('trigger-panel');
		await closeNode(page);
		await saveWorkflow(page);
		const saved = await env.n8n.rest.getWorkflow(workflowId);
		expect(saved.nodes[0].parameters).toMatchObject({
			registration: 'manual',
			signingSecret: 'whsec_ui_manual_secret',
			events: ['lead.created'],
			ignoreOwnChanges: true,
		});

		await env.n8n.rest.activateWorkflow(workflowId);
		const url = productionWebhookUrl(env.n8n, { name: 'manual', nodes: [trigger], connections: {} }, trigger.name);
		const delivery = await waitFor('the published webhook', async () => {
			const result = await sandbox.deliver({ url, secret: 'whsec_ui_manual_secret' });
			return result.status === 200 ? result : undefined;
		});
		expect(delivery.status).toBe(200);
		const executions = await waitFor('the execution', async () => {
			const list = await env.n8n.rest.listExecutions(workflowId);
			return list.length > 0 ? list : undefined;
		});
		expect(executions).toHaveLength(1);
		// No SalesOS webhook was registered through the API: Manual needs none.
		expect(sandbox.webhooks()).toEqual([]);
		await env.n8n.rest.deactivateWorkflow(workflowId);
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});

	test.each(readExampleWorkflows().map(({ key }) => key))('example %s opens with every node known and no node issues', async (key) => {
		const { page } = env;
		await openWorkflow(page, env.n8n.url, env.examples[key].id!);
		await waitForIdle(page, 1500);
		const report = await page.evaluate((workflowId, stickyNoteType) => {
			const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia;
			const nodeTypes = pinia._s.get('nodeTypes');
			const workflow = pinia._s.get(`workflowDocuments/${workflowId}@latest`);
			return workflow.allNodes
				.filter((node: any) => node.type !== stickyNoteType)
				.map((node: any) => ({ name: node.name, known: Boolean(nodeTypes.getNodeType(node.type, node.typeVersion)), issues: node.issues ?? null }));
		}, env.examples[key].id, STICKY_NOTE_TYPE);
		const exampleNodes = env.examples[key].nodes.filter((node) => node.type !== STICKY_NOTE_TYPE);
		expect(report.map((node: any) => node.name).sort()).toEqual(exampleNodes.map((node) => node.name).sort());
		expect(report.filter((node: any) => !node.known || node.issues)).toEqual([]);
		// n8n marks nodes with issues (missing parameters or credentials) on the canvas.
		expect(await page.$$('[data-test-id="canvas-node"] [data-test-id="node-issues"]')).toHaveLength(0);
		await env.screenshot(`example-${key}-canvas`);
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});

	test('the output schema of every action operation and poll resource is served, and the next node previews its fields unexecuted', async () => {
		const { page } = env;
		const versions = (file: string, className: string) => {
			const { version } = description(file, className);
			return (Array.isArray(version) ? version : [version]).map((number) => [...String(number).split('.'), '0', '0'].slice(0, 3).join('.'));
		};
		const schemaUrls = [
			...versions('SalesOs.node.js', 'SalesOs').flatMap((version) =>
				operationsOf(description('SalesOs.node.js', 'SalesOs')).map(({ resource, operation }) => `/schemas/${PACKAGE}.salesOs/${version}/${resource}/${operation}.json`),
			),
			...versions('SalesOsPollTrigger.node.js', 'SalesOsPollTrigger').flatMap((version) =>
				['lead', 'deal'].map((resource) => `/schemas/${PACKAGE}.salesOsPollTrigger/${version}/${resource}.json`),
			),
		];
		const statuses = await page.evaluate(
			async (urls) => Promise.all(urls.map(async (url) => [url, (await fetch(url)).status] as const)),
			schemaUrls,
		);
		expect(statuses.filter(([, status]) => status !== 200)).toEqual([]);

		const workflowId = await createWorkflow(
			'UI: schema preview',
			[
				{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'leads', name: 'Get leads', type: `${PACKAGE}.salesOs`, typeVersion: 2, position: [220, 0], parameters: { resource: 'lead', operation: 'getMany' }, credentials: credentialRef },
				{ id: 'next', name: 'Next step', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
			],
			chain('Start', 'Get leads', 'Next step'),
		);
		await openWorkflow(page, env.n8n.url, workflowId);
		await openNode(page, 'Next step');
		await page.waitForSelector('[data-test-id="ndv-input-panel"] [data-test-id="run-data-schema-item"]', { visible: true, timeout: 20_000 });
		const fields = await visibleListTexts(page, '[data-test-id="ndv-input-panel"] [data-test-id="run-data-schema-item"]');
		expect(fields.join(' ')).toEqual(expect.stringContaining('email'));
		await env.screenshot('schema-preview');
		await closeNode(page);
		expect(packageProblems(env.takeProblems())).toEqual([]);
	});
});
