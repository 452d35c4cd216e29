// One n8n "instance": a user folder (sqlite DB, encryption key, community packages) plus the CLI
// commands and the server process that work on it: `n8n start`, or in queue mode (queue.ts) also
// `n8n worker` and `n8n webhook`. Used by the e2e suite, the demo and the benchmarks; every
// instance gets its own ports so several can run at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { installationEnv, type N8nInstallation } from './install';
import { freePort, lineSplitter, runCommand, settlesWithin, type CommandResult } from './process';
import { N8nRestClient } from './rest';

export interface N8nInstanceOptions {
	installation: N8nInstallation;
	/** N8N_USER_FOLDER; n8n keeps its data in `<userFolder>/.n8n`. Default: a new temp folder. */
	userFolder?: string;
	/** Port of `n8n start` (editor, REST and webhooks). Default: a free port. */
	port?: number;
	/** Extra environment for every n8n command (e.g. N8N_LOG_LEVEL). */
	env?: Record<string, string>;
	/** The server process start() runs: `n8n start` (default), or a queue-mode `worker` / `webhook`. */
	command?: N8nCommand;
	/** Extra arguments of that command, e.g. `--concurrency=5` for a worker. */
	args?: string[];
}

export type N8nCommand = 'start' | 'worker' | 'webhook';

/** The line each server command logs once it serves. */
const READY_LINES: Record<N8nCommand, string> = {
	start: 'Editor is now accessible via',
	worker: 'n8n worker is now ready',
	webhook: 'Webhook listener waiting for requests.',
};

/** A workflow as n8n exports and imports it. */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, any>>;
	connections: Record<string, any>;
	[key: string]: unknown;
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExecuteResult {
	/** n8n's exit code: 0 when the execution succeeded. */
	code: number | null;
	ok: boolean;
	/** The run n8n printed (`{data: {resultData: {runData, error?}}, status, ...}`), when it printed one. */
	run?: any;
	output: string;
}

export class N8nInstance {
	readonly installation: N8nInstallation;
	readonly userFolder: string;
	readonly port: number;
	readonly url: string;
	readonly rest: N8nRestClient;
	readonly command: N8nCommand;
	private readonly args: string[];
	private readonly brokerPort: number;
	/** The `env` given at creation, and what a restart adds on top of it. */
	private readonly createdEnv: Record<string, string>;
	private restartEnv: Record<string, string> = {};
	private server?: ChildProcess;
	private serverExit?: Promise<void>;
	private serverLog: string[] = [];

	private constructor(options: N8nInstanceOptions & { userFolder: string; port: number; brokerPort: number }) {
		this.installation = options.installation;
		this.userFolder = options.userFolder;
		this.port = options.port;
		this.brokerPort = options.brokerPort;
		this.url = `http://127.0.0.1:${options.port}`;
		this.createdEnv = options.env ?? {};
		this.command = options.command ?? 'start';
		this.args = options.args ?? [];
		this.rest = new N8nRestClient(this.url);
	}

	static async create(options: N8nInstanceOptions): Promise<N8nInstance> {
		const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'salesos-n8n-'));
		mkdirSync(userFolder, { recursive: true });
		return new N8nInstance({
			...options,
			userFolder,
			port: options.port ?? (await freePort()),
			brokerPort: await freePort(),
		});
	}

	/** The folder n8n installs community packages into. */
	get nodesFolder(): string {
		return join(this.userFolder, '.n8n', 'nodes');
	}

	env(): NodeJS.ProcessEnv {
		return installationEnv(this.installation, {
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `${this.url}/`,
			N8N_EDITOR_BASE_URL: `${this.url}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			...this.createdEnv,
			...this.restartEnv,
		});
	}

	/** Runs `n8n <args>` against this instance's user folder. */
	async cli(args: string[], timeoutMs = 180_000): Promise<CommandResult> {
		return await runCommand(this.installation.nodeBinary, [this.installation.n8nEntry, ...args], {
			env: this.env(),
			timeoutMs,
		});
	}

	private async cliChecked(args: string[]): Promise<CommandResult> {
		const result = await this.cli(args);
		if (result.code !== 0) {
			const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code ?? result.signal}):\n${tail}`);
		}
		return result;
	}

	/** Installs a packed n8n community package (a .tgz that must stay where it is) into this instance. */
	async installPackage(tarball: string): Promise<void> {
		mkdirSync(this.nodesFolder, { recursive: true });
		writeFileSync(join(this.nodesFolder, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		// --omit=peer: the package's peer n8n-workflow is n8n's own copy at run time.
		const result = await runCommand('npm', ['install', '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
			cwd: this.nodesFolder,
			env: installationEnv(this.installation),
			timeoutMs: 180_000,
		});
		if (result.code !== 0) throw new Error(`Installing ${tarball} into n8n failed:\n${result.stderr || result.stdout}`);
	}

	/** Imports credentials; plain `data` is encrypted with this instance's key on import. */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = this.writeTempJson('credentials', credentials);
		await this.cliChecked(['import:credentials', `--input=${file}`]);
	}

	/** Imports workflows (each should carry an id so it can be executed and published by id). */
	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		const file = this.writeTempJson('workflows', workflows);
		await this.cliChecked(['import:workflow', `--input=${file}`]);
	}

	/** `n8n execute --id`: runs a workflow from its Manual Trigger and returns the run n8n printed. */
	async execute(workflowId: string): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const output = `${result.stdout}\n${result.stderr}`;
		return { code: result.code, ok: result.code === 0, run: lastTopLevelJson(result.stdout), output };
	}

	/** Marks a workflow published; a running `n8n start` only picks this up on its next start. */
	async publish(workflowId: string): Promise<void> {
		// n8n 1.x has no publish:workflow; its update:workflow (deprecated in 2.x) sets the active flag.
		const args =
			this.installation.major === 1
				? ['update:workflow', `--id=${workflowId}`, '--active=true']
				: ['publish:workflow', `--id=${workflowId}`];
		await this.cliChecked(args);
	}

	/** Everything the server process printed, across restarts. */
	get logFile(): string {
		return join(this.userFolder, `n8n-${this.command}.log`);
	}

	/** What the server process printed since it last started. */
	get log(): readonly string[] {
		return this.serverLog;
	}

	/**
	 * Starts the server process and resolves once it serves: for `n8n start` once the editor and
	 * webhooks answer (n8n logs it after /healthz is up; published triggers register through n8n's
	 * publication queue a moment later), for a worker once it takes jobs, for a webhook process
	 * once it listens.
	 */
	async start(timeoutMs = 120_000): Promise<void> {
		if (this.server) throw new Error('n8n is already running');
		this.serverLog = [];
		// A process group of its own, so stop() also ends n8n's task-runner children.
		const child = spawn(this.installation.nodeBinary, [this.installation.n8nEntry, this.command, ...this.args], {
			env: this.env(),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.server = child;
		appendFileSync(this.logFile, `--- n8n ${this.command} at ${new Date().toISOString()}\n`);
		const onChunk = lineSplitter((line) => {
			this.serverLog.push(line);
			appendFileSync(this.logFile, `${line}\n`);
		});
		child.stdout!.on('data', onChunk);
		child.stderr!.on('data', onChunk);
		this.serverExit = new Promise((resolve) => child.on('exit', () => resolve()));
		const deadline = Date.now() + timeoutMs;
		const readyLine = READY_LINES[this.command];
		while (!this.serverLog.some((line) => line.includes(readyLine))) {
			const exited = await settlesWithin(this.serverExit, 200);
			if (exited || Date.now() > deadline) {
				const tail = this.serverLog.slice(-40).join('\n');
				await this.stop();
				throw new Error(
					exited
						? `n8n ${this.command} exited before it was ready (log: ${this.logFile}):\n${tail}`
						: `n8n ${this.command} was not ready within ${timeoutMs} ms (log: ${this.logFile}):\n${tail}`,
				);
			}
		}
	}

	/** Resolves when the server process has exited (for whatever reason). */
	async waitForExit(): Promise<void> {
		await this.serverExit;
	}

	/** Stops the server process (SIGTERM to its process group, SIGKILL after 20 s). */
	async stop(): Promise<void> {
		const child = this.server;
		if (!child?.pid) return;
		const pid = child.pid;
		signalGroup(pid, 'SIGTERM');
		if (!(await settlesWithin(this.serverExit!, 20_000))) {
			signalGroup(pid, 'SIGKILL');
			await this.serverExit;
		}
		// The task runner may outlive its parent for a moment; make sure the group is gone.
		signalGroup(pid, 'SIGKILL');
		this.server = undefined;
		this.rest.forgetSession();
	}

	/** Restarts the server process; `env`, when given, is added to the creation-time environment from now on (replacing an earlier restart's). */
	async restart(env?: Record<string, string>, timeoutMs?: number): Promise<void> {
		await this.stop();
		if (env) this.restartEnv = env;
		await this.start(timeoutMs);
	}

	private writeTempJson(kind: string, value: unknown): string {
		const folder = join(this.userFolder, 'imports');
		mkdirSync(folder, { recursive: true });
		const file = join(folder, `${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
		writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}

/**
 * `n8n execute` prints the run as indented JSON between log lines: the last block that starts
 * with a line `{` and ends with a line `}` at column 0.
 */
export function lastTopLevelJson(output: string): any {
	const lines = output.split('\n');
	for (let end = lines.length - 1; end >= 0; end--) {
		if (lines[end].trimEnd() !== '}') continue;
		for (let start = end; start >= 0; start--) {
			if (lines[start].trimEnd() !== '{') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				break;
			}
		}
	}
	return undefined;
}
