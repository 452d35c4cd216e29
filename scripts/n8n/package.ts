// Builds and packs this package the way it is published, for installing into a real n8n as a
// community package (node types `n8n-nodes-salesos.<name>`).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { runChecked, type LogLine } from './process';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** npm records the tarball's path when installing it, so the tarball stays here (git-ignored). */
export const PACK_FOLDER = join(REPO_ROOT, '.n8n-e2e', 'package');

/**
 * `npm run build` then `npm pack` into `folder` (default PACK_FOLDER); returns the tarball's path.
 * The bench packs into its own folder, so it can run while the e2e suite does.
 */
export async function buildAndPack(options: { log?: LogLine; build?: boolean; folder?: string } = {}): Promise<string> {
	const log = options.log ?? ((line: string) => console.log(line));
	if (options.build !== false) {
		log('[package] npm run build');
		await runChecked('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT });
	}
	const folder = options.folder ?? PACK_FOLDER;
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	await runChecked('npm', ['pack', '--silent', '--pack-destination', folder], { cwd: REPO_ROOT });
	const tarball = readdirSync(folder).find((file) => file.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack left no .tgz in ${folder}`);
	log(`[package] packed ${tarball}`);
	return join(folder, tarball);
}
