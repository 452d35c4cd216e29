// Builds and packs this package the way it is published, for installing into a real n8n as a
// community package (node types `n8n-nodes-salesos.<name>`).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { runChecked, type LogLine } from './process';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** npm records the tarball's path when installing it, so the tarball stays here (git-ignored). */
export const PACK_FOLDER = join(REPO_ROOT, '.n8n-e2e', 'package');

/** `npm run build` then `npm pack`; returns the tarball's path. */
export async function buildAndPack(options: { log?: LogLine; build?: boolean } = {}): Promise<string> {
	const log = options.log ?? ((line: string) => console.log(line));
	if (options.build !== false) {
		log('[package] npm run build');
		await runChecked('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT });
	}
	rmSync(PACK_FOLDER, { recursive: true, force: true });
	mkdirSync(PACK_FOLDER, { recursive: true });
	await runChecked('npm', ['pack', '--silent', '--pack-destination', PACK_FOLDER], { cwd: REPO_ROOT });
	const tarball = readdirSync(PACK_FOLDER).find((file) => file.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack left no .tgz in ${PACK_FOLDER}`);
	log(`[package] packed ${tarball}`);
	return join(PACK_FOLDER, tarball);
}
