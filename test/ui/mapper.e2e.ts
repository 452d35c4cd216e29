/// <reference lib="dom" />
// Issue 13, point 4 in the real editor (n8n 2.40.7, headless Chromium): a version 2 lead Create
// shows the Fields mapper with every SalesOS field and the custom field keys of recent leads,
// loaded from the sandbox, and offers Map Automatically.
import { CLIENT_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME } from '../../scripts/examples';
import type { ElementHandle } from 'puppeteer-core';

import { clickElement, closeNode, openNode, openWorkflow, pause } from './editor';
import { setUpEditor, type EditorSession } from './harness';

jest.setTimeout(10 * 60_000);

let env: EditorSession;

beforeAll(async () => {
	env = await setUpEditor();
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

const inputValues = async () =>
	await env.page.$$eval('[data-test-id="ndv"] input', (inputs) => inputs.map((input) => (input as HTMLInputElement).value));
const panelText = async () => await env.page.$eval('[data-test-id="ndv"]', (element) => element.textContent ?? '');

test('a version 2 lead Create maps its fields: every SalesOS field, custom field keys from SalesOS, Map Automatically', async () => {
	const { page } = env;
	env.sandbox.seed({ resource: 'leads', records: [{ name: 'Dora Lima', email: 'dora@example.com', custom_fields: { region: 'east' } }] });
	const workflow = await env.n8n.rest.createWorkflow({
		name: 'UI: field mapper',
		nodes: [
			{
				id: 'create-lead',
				name: 'Create lead',
				type: 'n8n-nodes-salesos.salesOs',
				typeVersion: 2,
				position: [0, 0],
				parameters: { resource: 'lead', operation: 'create' },
				credentials: { salesOsClientCredentialsApi: { id: CLIENT_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME } },
			},
		],
		connections: {},
		settings: {},
	});
	await openWorkflow(page, env.n8n.url, workflow.id);
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
	expect(env.takeProblems().filter((problem) => /salesos|dynamic-node-parameters|page error/i.test(problem))).toEqual([]);
});
