// The browser of the UI suite: Debian's `chromium` package, installed with apt when missing
// (idempotent; a machine where apt cannot install it fails the suite with apt's output).
import { existsSync } from 'node:fs';

// puppeteer-core is ESM-only: jest loads it with --experimental-vm-modules (see npm run test:e2e).
import puppeteer, { type Browser } from 'puppeteer-core';

import { runCommand } from '../../scripts/n8n/process';

export const CHROMIUM = '/usr/bin/chromium';

export async function ensureChromium(log: (line: string) => void = () => undefined): Promise<string> {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	log('[ui] installing Debian chromium (apt-get install -y chromium)');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, timeoutMs: 15 * 60_000 });
	if (install.code !== 0 || !existsSync(CHROMIUM)) {
		throw new Error(
			`The UI suite needs Debian's chromium at ${CHROMIUM}; \`apt-get install -y chromium\` failed (exit ${install.code}):\n` +
				`${install.stdout}\n${install.stderr}`.trim().split('\n').slice(-20).join('\n'),
		);
	}
	return CHROMIUM;
}

export async function launchBrowser(log?: (line: string) => void): Promise<Browser> {
	const executablePath = await ensureChromium(log);
	return await puppeteer.launch({
		executablePath,
		headless: true,
		// A busy 2-core machine can stall the page for longer than the 30 s default.
		protocolTimeout: 180_000,
		// Root in a container: no user-namespace sandbox available.
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--window-size=1600,1000'],
		defaultViewport: { width: 1600, height: 1000 },
	});
}
