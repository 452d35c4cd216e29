// `npm run demo` on a fresh clone: install the dev dependencies (`npm ci`) unless node_modules
// already matches package-lock.json. Plain JavaScript, because it runs before TypeScript tooling
// (and Node 24 from the `node` package) is installed.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** npm keeps node_modules/.package-lock.json in step with what is installed. */
function installedMatchesLockfile() {
	const installedFile = join(root, 'node_modules', '.package-lock.json');
	if (!existsSync(installedFile)) return false;
	const wanted = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
	const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages;
	// Optional packages for other platforms are in the lockfile but never installed.
	return Object.entries(wanted).every(
		([path, entry]) => path === '' || entry.optional === true || installed[path]?.version === entry.version,
	);
}

if (!installedMatchesLockfile()) {
	console.log('[demo] Installing the development dependencies (npm ci) ...');
	const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
