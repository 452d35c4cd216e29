/// <reference lib="dom" />
// What a person does in n8n's editor, as puppeteer steps. Clicks go through the mouse at the
// element's position (n8n's canvas ignores synthetic events); every wait is bounded.
import type { ElementHandle, Page } from 'puppeteer-core';

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Page loads are slow on a busy 2-core CI machine; everything after them is quick. */
const LOAD_TIMEOUT = 120_000;

export async function clickElement(page: Page, element: ElementHandle, options: { count?: number } = {}): Promise<void> {
	await element.evaluate((node) => (node as HTMLElement).scrollIntoView({ block: 'center', inline: 'center' }));
	const point = await settledPoint(element);
	await page.mouse.click(point.x, point.y, { count: options.count ?? 1 });
}

/**
 * The element's centre once it has stopped moving and nothing covers it. Dropdowns open with a
 * zoom transition and scroll their selection into view: a centre read mid-way lands on a neighbour.
 */
async function settledPoint(element: ElementHandle): Promise<{ x: number; y: number }> {
	let last = '';
	for (const started = Date.now(); Date.now() - started < 5_000; await pause(100)) {
		const point = await element.evaluate((node) => {
			const box = node.getBoundingClientRect();
			const x = box.left + box.width / 2;
			const y = box.top + box.height / 2;
			const hit = document.elementFromPoint(x, y);
			const reachable = box.width > 0 && box.height > 0 && hit !== null && (node.contains(hit) || hit.contains(node));
			return reachable ? { x, y } : undefined;
		});
		const key = JSON.stringify(point);
		if (point && key === last) return point;
		last = key;
	}
	throw new Error('element to click is not visible or keeps moving');
}

export async function click(page: Page, selector: string, timeout?: number): Promise<void> {
	const element = await page.waitForSelector(selector, { visible: true, timeout });
	await clickElement(page, element!);
}

/** Opens a saved workflow and waits until its nodes are on the canvas. */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded', timeout: LOAD_TIMEOUT });
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: LOAD_TIMEOUT });
	await pause(500);
}

const nodeSelector = (name: string) => `[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`;

/** Selects a node on the canvas and opens its panel (NDV) with Enter, as the keyboard shortcut does. */
export async function openNode(page: Page, name: string): Promise<void> {
	await click(page, '[data-test-id="zoom-to-fit"]');
	await pause(300);
	await click(page, nodeSelector(name));
	await page.keyboard.press('Enter');
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', { visible: true });
	// Let pickers and schema previews load.
	await waitForIdle(page);
}

export async function closeNode(page: Page): Promise<void> {
	// An open dropdown takes the first Escape.
	for (let attempt = 0; attempt < 3; attempt++) {
		await page.keyboard.press('Escape');
		const closed = await page
			.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', { hidden: true, timeout: 5_000 })
			.then(() => true, () => false);
		if (closed) return;
	}
	// A picker list can keep the keyboard; the panel's close button always works.
	await click(page, '[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', { hidden: true });
}

/** Waits until no parameter options are loading (bounded). */
export async function waitForIdle(page: Page, ms = 800): Promise<void> {
	await pause(ms);
	await page
		.waitForFunction(() => !document.querySelector('[data-test-id="parameter-options-loader"], .el-loading-mask'), { timeout: 15_000 })
		.catch(() => undefined);
}

/** Names of the parameters shown in the open node panel, in order. */
export async function visibleParameters(page: Page): Promise<string[]> {
	return await page.$$eval('[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id^="parameter-input-"]', (elements) =>
		elements
			.map((element) => element.getAttribute('data-test-id')!.replace('parameter-input-', ''))
			.filter((name) => name !== 'field' && name !== 'hint'),
	);
}

/** What a select field shows: its one choice in the input, each of several as a tag. */
const shownValues = (root: Element): string[] => [
	...Array.from(root.querySelectorAll('.el-select__tags-text'), (tag) => tag.textContent!.trim()),
	...Array.from(root.querySelectorAll<HTMLInputElement>('input.el-input__inner'), (input) => input.value.trim()),
];

/** Picks `optionText` in the options/multiOptions parameter `name` of the open panel. */
export async function chooseOption(page: Page, name: string, optionText: string): Promise<void> {
	const field = `[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`;
	await click(page, (await page.$(`${field} input`)) ? `${field} input` : field);
	const option = await page
		.waitForFunction(
			(text) =>
				Array.from(document.querySelectorAll('.el-select-dropdown__item, [role="option"], li')).find((element) => {
					const box = element.getBoundingClientRect();
					return box.width > 0 && box.height > 0 && element.textContent?.trim().startsWith(text);
				}),
			{ timeout: 15_000 },
			optionText,
		)
		.catch(async (error: unknown) => {
			const html = await page.$eval(field, (element) => element.outerHTML.slice(0, 1500)).catch(() => '(field not found)');
			throw new Error(`No visible option "${optionText}" after clicking ${name}: ${String(error)}\nField: ${html}`);
		});
	await clickElement(page, option as ElementHandle);
	const shows = async () => (await page.$eval(field, shownValues)).some((value) => value.startsWith(optionText));
	for (const started = Date.now(); !(await shows()); await pause(100)) {
		if (Date.now() - started > 5_000) {
			throw new Error(`Chose "${optionText}" in ${name} but it shows ${JSON.stringify(await page.$eval(field, shownValues))}`);
		}
	}
	await pause(300);
}

/** Turns on the boolean parameter `name` of the open panel and waits for the parameters it shows. */
export async function switchOn(page: Page, name: string, shows: string[]): Promise<void> {
	const field = `[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`;
	await click(page, (await page.$(`${field} .el-switch`)) ? `${field} .el-switch` : field);
	await page.waitForFunction(
		(names) => names.every((shown) => document.querySelector(`[data-test-id="ndv"] [data-test-id="parameter-input-${shown}"]`)),
		{ timeout: 10_000 },
		shows,
	);
}

/** Types into a text parameter of the open panel. */
export async function typeInto(page: Page, name: string, text: string): Promise<void> {
	await click(page, `[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] input, [data-test-id="ndv"] [data-test-id="parameter-input-${name}"] textarea`);
	await page.keyboard.type(text);
	await pause(200);
}

/** The visible texts of the open dropdown / picker list. */
export async function visibleListTexts(page: Page, selector: string): Promise<string[]> {
	return await page.$$eval(selector, (elements) =>
		elements.filter((element) => (element as HTMLElement).offsetParent !== null).map((element) => element.textContent!.trim()),
	);
}

/** Saves the open workflow with the keyboard shortcut and waits for the save to land. */
export async function saveWorkflow(page: Page): Promise<void> {
	const saved = page.waitForResponse((response) => /\/rest\/workflows\/[^/]+$/.test(response.url()) && response.request().method() === 'PATCH', {
		timeout: 30_000,
	});
	await page.keyboard.down('Control');
	await page.keyboard.press('s');
	await page.keyboard.up('Control');
	const response = await saved;
	if (!response.ok()) throw new Error(`Saving the workflow failed: HTTP ${response.status()}`);
}
