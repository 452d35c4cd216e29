// Installs the real n8n the e2e suite, the demo and the benchmarks run against, outside this
// package's dependencies (n8n is 2.7 GB and needs Node 24), and reuses a complete install.
//
// Recipe measured on a Node 20 machine (docs: ../../../shared/n8n-notes.md):
//   1. `npm i node@24` in the folder (install scripts on): a Node 24 binary in node_modules/.bin;
//   2. `npm i --ignore-scripts n8n@<version>` (an optional dependency tries to download a toolchain);
//   3. `npm rebuild sqlite3` with that Node 24 first on PATH (sqlite3 is N-API, so the machine's
//      default headers build it).
// A marker file is written only after the install was verified, so an interrupted install is
// redone instead of reused.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import { isProcessAlive, runChecked, runCommand, sleep, type LogLine } from './process';

export const N8N_VERSION = '2.40.7';
const REPO_ROOT = resolve(__dirname, '..', '..');
const MARKER_FILE = '.salesos-install-complete';

export interface N8nInstallation {
	version: string;
	/** The install folder (has its own package.json and node_modules). */
	home: string;
	/** node_modules/.bin of the install: put it first on PATH so `node` is Node 24. */
	binDir: string;
	/** The Node 24 binary n8n runs on. */
	nodeBinary: string;
	/** n8n's CLI entry script (run it with nodeBinary). */
	n8nEntry: string;
}

export interface EnsureN8nOptions {
	log?: LogLine;
	/** Folder that holds one sub-folder per n8n version. Default: $SALESOS_N8N_HOME or ~/.cache/n8n-nodes-salesos. */
	cacheRoot?: string;
}

export function n8nCacheRoot(): string {
	return process.env.SALESOS_N8N_HOME || join(homedir(), '.cache', 'n8n-nodes-salesos');
}

function describeInstallation(home: string): N8nInstallation {
	const binDir = join(home, 'node_modules', '.bin');
	return {
		version: N8N_VERSION,
		home,
		binDir,
		nodeBinary: join(binDir, 'node'),
		n8nEntry: join(home, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** The environment for npm and n8n inside the install: its Node 24 first on PATH. */
export function installationEnv(installation: N8nInstallation, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra, PATH: `${installation.binDir}:${process.env.PATH ?? ''}` };
	for (const key of Object.keys(env)) {
		// Set by an outer `npm run`: they would point a nested npm at this repository instead of the install folder.
		if (key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_') || key === 'npm_config_local_prefix') delete env[key];
		// Set by jest: n8n treats NODE_ENV=test as its own unit-test mode.
		if (key === 'NODE_ENV' || key.startsWith('JEST_')) delete env[key];
	}
	return env;
}

/** Returns a verified n8n install, installing it first when needed (about 5 minutes, 2.7 GB). */
export async function ensureN8n(options: EnsureN8nOptions = {}): Promise<N8nInstallation> {
	const log = options.log ?? ((line: string) => console.log(line));
	const cacheRoot = options.cacheRoot ?? n8nCacheRoot();
	const installation = describeInstallation(join(cacheRoot, `n8n-${N8N_VERSION}`));
	if (existsSync(join(installation.home, MARKER_FILE))) return installation;

	mkdirSync(cacheRoot, { recursive: true });
	const releaseLock = await acquireLock(`${installation.home}.lock`, log);
	try {
		// Another process may have finished the install while we waited for the lock.
		if (existsSync(join(installation.home, MARKER_FILE))) return installation;
		if (await isUsableInstall(installation)) {
			log(`[n8n] Reusing n8n ${N8N_VERSION} found at ${installation.home}`);
		} else {
			await install(installation, log);
			if (!(await isUsableInstall(installation))) {
				throw new Error(`n8n ${N8N_VERSION} was installed at ${installation.home} but \`n8n --version\` does not answer ${N8N_VERSION}`);
			}
		}
		writeFileSync(
			join(installation.home, MARKER_FILE),
			JSON.stringify({ version: N8N_VERSION, verifiedAt: new Date().toISOString() }, null, 2),
		);
		return installation;
	} finally {
		releaseLock();
	}
}

/** An install without marker (interrupted, or made by hand) counts when every piece answers. */
async function isUsableInstall(installation: N8nInstallation): Promise<boolean> {
	const sqliteBinding = join(installation.home, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	if (![installation.nodeBinary, installation.n8nEntry, sqliteBinding].every((file) => existsSync(file))) return false;
	const node = await runCommand(installation.nodeBinary, ['--version']).catch(() => undefined);
	if (!node?.stdout.startsWith('v24.')) return false;
	const n8n = await runCommand(installation.nodeBinary, [installation.n8nEntry, '--version'], {
		env: installationEnv(installation),
		timeoutMs: 60_000,
	}).catch(() => undefined);
	return n8n?.code === 0 && n8n.stdout.trim().split('\n').pop() === N8N_VERSION;
}

async function install(installation: N8nInstallation, log: LogLine): Promise<void> {
	const { home } = installation;
	if (existsSync(home)) {
		log(`[n8n] ${home} holds an incomplete install; starting over`);
		rmSync(home, { recursive: true, force: true });
	}
	mkdirSync(home, { recursive: true });
	writeFileSync(
		join(home, 'package.json'),
		JSON.stringify({ name: 'salesos-n8n-runtime', private: true, description: 'n8n for the n8n-nodes-salesos e2e suite, demo and benchmarks' }, null, 2),
	);
	const nodeVersion = requiredNodeVersion();
	const npmArgs = ['--save-exact', '--no-audit', '--no-fund', '--loglevel=warn'];
	const started = Date.now();
	log(`[n8n] Installing n8n ${N8N_VERSION} into ${home} (first run only: about 5 minutes and 2.7 GB)`);

	await step(log, `1/3 Node ${nodeVersion} for n8n (npm package node@${nodeVersion})`, () =>
		runChecked('npm', ['install', ...npmArgs, `node@${nodeVersion}`], { cwd: home, env: installationEnv(installation) }),
	);
	await step(log, `2/3 n8n ${N8N_VERSION} (the long one: 3-4 minutes)`, () =>
		runChecked('npm', ['install', ...npmArgs, '--ignore-scripts', `n8n@${N8N_VERSION}`], {
			cwd: home,
			env: installationEnv(installation),
		}),
	);
	await step(log, '3/3 building sqlite3 for Node 24', () =>
		runChecked('npm', ['rebuild', '--no-audit', '--no-fund', 'sqlite3'], { cwd: home, env: installationEnv(installation) }),
	);
	log(`[n8n] Installed n8n ${N8N_VERSION} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Runs one install step, printing a progress line every 15 s so a long step is visibly alive. */
async function step<T>(log: LogLine, title: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	log(`[n8n] ${title} ...`);
	const heartbeat = setInterval(() => {
		log(`[n8n]   ... still working (${Math.round((Date.now() - started) / 1000)} s)`);
	}, 15_000);
	try {
		const result = await work();
		log(`[n8n]   done in ${Math.round((Date.now() - started) / 1000)} s`);
		return result;
	} finally {
		clearInterval(heartbeat);
	}
}

/** The same Node 24 release this package develops with (its `node` devDependency). */
function requiredNodeVersion(): string {
	const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
		devDependencies?: Record<string, string>;
	};
	return manifest.devDependencies?.node ?? '24';
}

/** A directory lock so the e2e suite, the demo and the benchmarks never install at the same time. */
async function acquireLock(lockDir: string, log: LogLine): Promise<() => void> {
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(join(lockDir, 'pid'), String(process.pid));
			return () => rmSync(lockDir, { recursive: true, force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(readFileSync(join(lockDir, 'pid'), { encoding: 'utf8', flag: 'a+' }).trim());
			if (!owner || !isProcessAlive(owner)) {
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`[n8n] Waiting for process ${owner}, which is installing n8n into the same folder ...`);
			announced = true;
			await sleep(2000);
		}
	}
}

// `node --import tsx scripts/n8n/install.ts` (npm run n8n:install) installs or verifies n8n.
if (require.main === module) {
	ensureN8n()
		.then((installation) => console.log(`[n8n] n8n ${installation.version} ready at ${installation.home}`))
		.catch((error: Error) => {
			console.error(error.message);
			process.exit(1);
		});
}
