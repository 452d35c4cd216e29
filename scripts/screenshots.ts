// `npm run screenshots`: runs the browser suite (test/ui, real n8n editor in headless Chromium),
// which saves its screenshots in .ui-artifacts/, then copies the ones the README shows to docs/screenshots/.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './n8n/package';
import { runCommand } from './n8n/process';

const ARTIFACTS = join(REPO_ROOT, '.ui-artifacts');
const DOCS = join(REPO_ROOT, 'docs', 'screenshots');
export const README_SCREENSHOTS = [
	'nodes-panel',
	'create-or-update-panel',
	'lead-picker',
	'lead-create-field-mapper',
	'trigger-panel',
	'example-02-canvas',
];

async function main(): Promise<void> {
	const suite = await runCommand('npm', ['run', 'test:e2e', '--', 'test/ui'], {
		cwd: REPO_ROOT,
		onLine: (line) => process.stderr.write(`${line}\n`),
	});
	mkdirSync(DOCS, { recursive: true });
	const missing = README_SCREENSHOTS.filter((name) => !existsSync(join(ARTIFACTS, `${name}.png`)));
	for (const name of README_SCREENSHOTS.filter((entry) => !missing.includes(entry))) {
		copyFileSync(join(ARTIFACTS, `${name}.png`), join(DOCS, `${name}.png`));
	}
	if (missing.length > 0 || suite.code !== 0) {
		throw new Error(`Browser suite exit ${suite.code}; screenshots not taken: ${missing.join(', ') || 'none'}`);
	}
	console.log(`Copied ${README_SCREENSHOTS.length} screenshots to ${DOCS}`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
