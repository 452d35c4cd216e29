// Set-up of the browser suite: the real-n8n set-up of the e2e suite (n8n 2.40.7, this package
// installed as a community package, the sandbox behind the imported credentials, the example
// workflows), then `n8n start` with an owner account and a headless Chromium signed in to the editor.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, HTTPResponse, Page } from 'puppeteer-core';

import { credentialsFor, sandboxConnection } from '../../scripts/examples';
import { REPO_ROOT } from '../../scripts/n8n/package';
import { DEFAULT_OWNER } from '../../scripts/n8n/rest';
import { setUpRealN8n, type RealN8n } from '../e2e/harness';
import { launchBrowser } from './browser';

/** Where every screenshot of a run goes (git-ignored); `npm run screenshots` copies a few to docs/. */
export const ARTIFACTS = join(REPO_ROOT, '.ui-artifacts');

export interface EditorSession extends RealN8n {
	browser: Browser;
	page: Page;
	/** Console errors and failed responses seen since the last `takeProblems()`. */
	takeProblems(): string[];
	screenshot(name: string): Promise<string>;
}

/** Copies of the sandbox credentials with a wrong secret, for the credential Test checks. */
export const WRONG_CREDENTIALS = { clientCredentials: 'uiWrongClientSecret', apiKey: 'uiWrongApiSecret' };

const progress = (line: string) => process.stderr.write(`${line}\n`);

export async function setUpEditor(): Promise<EditorSession> {
	const real = await setUpRealN8n();
	let browser: Browser | undefined;
	try {
		const [clientCredentials, apiKey] = credentialsFor(sandboxConnection(real.sandbox.credentials()));
		await real.n8n.importCredentials([
			{ ...clientCredentials, id: WRONG_CREDENTIALS.clientCredentials, name: 'Wrong client secret', data: { ...clientCredentials.data, clientSecret: 'wrong-secret' } },
			{ ...apiKey, id: WRONG_CREDENTIALS.apiKey, name: 'Wrong API secret', data: { ...apiKey.data, apiSecret: 'wrong-secret' } },
		]);
		await real.n8n.start();
		await real.n8n.rest.ensureOwner();
		browser = await launchBrowser(progress);
		const page = await browser.newPage();
		page.setDefaultTimeout(30_000);
		const problems: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location()?.url ?? ''})`);
		});
		page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
		// Leaving a workflow with unsaved changes (a mapper that filled in its columns) asks "Leave
		// site?"; unanswered, it holds every later navigation until its timeout. Leave, as a user would.
		page.on('dialog', async (dialog) => {
			if (dialog.type() === 'beforeunload') await dialog.accept();
		});
		page.on('response', (response: HTTPResponse) => {
			if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
		});
		await signIn(page, real.n8n.url);
		mkdirSync(ARTIFACTS, { recursive: true });
		const session: EditorSession = {
			...real,
			browser,
			page,
			takeProblems: () => problems.splice(0),
			async screenshot(name) {
				const file = join(ARTIFACTS, `${name}.png`);
				await page.screenshot({ path: file });
				return file;
			},
			async tearDown() {
				await browser?.close();
				await real.tearDown();
			},
		};
		return session;
	} catch (error) {
		await browser?.close();
		await real.tearDown();
		throw error;
	}
}

async function signIn(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/signin`, { waitUntil: 'networkidle2' });
	await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').fill(DEFAULT_OWNER.email);
	await page.locator('input[name="password"]').fill(DEFAULT_OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => !location.pathname.startsWith('/signin'), { timeout: 30_000 });
}
