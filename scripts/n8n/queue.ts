// n8n in queue mode, as users scale it: Redis and Postgres on loopback ports, one main process
// (no production webhooks of its own), `n8n worker` and `n8n webhook` processes. Every process
// has its own user folder with this package installed (the README's manual install), one shared
// encryption key and its own ports. Used by the queue-mode e2e suite and the benchmark.
//
// Redis and Postgres come from Debian's packages (`apt-get install -y redis-server postgresql`,
// measured on bookworm: Redis 7.0, Postgres 15) when they are missing; without them, or without
// root to install them, start() fails with apt's own error. They run from temp folders and are
// stopped (and the folders removed) by stop(), which ends exactly the processes start() began.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import type { N8nInstallation } from './install';
import { N8nInstance, type CredentialImport, type WorkflowJson } from './instance';
import { freePort, runChecked, runCommand, settlesWithin, type LogLine } from './process';

const APT_PACKAGES = ['redis-server', 'postgresql'];
const POSTGRES_ROOT = '/usr/lib/postgresql';
const DATABASE = 'n8n';

export interface QueueModeOptions {
	installation: N8nInstallation;
	/** The packed package (buildAndPack), installed into every process's user folder. */
	tarball: string;
	workers?: number;
	webhookProcesses?: number;
	/** `n8n worker --concurrency`. */
	workerConcurrency?: number;
	/** Extra n8n settings for every process. */
	env?: Record<string, string>;
	log?: LogLine;
}

/** Finds or installs redis-server and Postgres; returns where their programs are. */
export async function ensureQueueServices(log: LogLine): Promise<{ redisServer: string; postgresBin: string }> {
	let found = findQueueServices();
	if (found) return found;
	if (userInfo().uid !== 0) {
		throw new Error(
			`Queue mode needs Redis and Postgres, and they are not installed. Install them (Debian/Ubuntu: sudo apt-get install -y ${APT_PACKAGES.join(' ')}) or run as root so the suite installs them.`,
		);
	}
	log(`[queue] installing ${APT_PACKAGES.join(' ')} with apt-get (first run only)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...APT_PACKAGES], { env, timeoutMs: 600_000 });
	let result = await install();
	if (result.code !== 0) {
		// A machine whose package lists are stale or missing: refresh them once.
		await runCommand('apt-get', ['update'], { env, timeoutMs: 600_000 });
		result = await install();
	}
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
		throw new Error(`apt-get install -y ${APT_PACKAGES.join(' ')} failed (exit ${result.code}), so queue mode cannot run here:\n${tail}`);
	}
	found = findQueueServices();
	if (!found) throw new Error(`apt-get installed ${APT_PACKAGES.join(' ')} but redis-server or Postgres' initdb/pg_ctl is still missing`);
	return found;
}

function findQueueServices(): { redisServer: string; postgresBin: string } | undefined {
	const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => existsSync(file));
	const versions = existsSync(POSTGRES_ROOT)
		? readdirSync(POSTGRES_ROOT)
				.filter((name) => /^\d+$/.test(name))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	const postgresBin = versions
		.map((version) => join(POSTGRES_ROOT, version, 'bin'))
		.find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')));
	return redisServer && postgresBin ? { redisServer, postgresBin } : undefined;
}

/** Redis on a free loopback port, in memory only (`--save ''`). */
class RedisServer {
	private constructor(
		readonly port: number,
		private readonly child: ChildProcess,
		private readonly exited: Promise<void>,
	) {}

	static async start(redisServer: string, folder: string): Promise<RedisServer> {
		const port = await freePort();
		const logFile = openSync(join(folder, 'redis.log'), 'a');
		const child = spawn(
			redisServer,
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder],
			{ stdio: ['ignore', logFile, logFile] },
		);
		const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
		const redis = new RedisServer(port, child, exited);
		const deadline = Date.now() + 20_000;
		while (!(await redisAnswers(port))) {
			if ((await settlesWithin(exited, 100)) || Date.now() > deadline) {
				await redis.stop();
				throw new Error(`redis-server did not answer on 127.0.0.1:${port} (log: ${join(folder, 'redis.log')})`);
			}
		}
		return redis;
	}

	async stop(): Promise<void> {
		this.child.kill('SIGTERM');
		if (!(await settlesWithin(this.exited, 10_000))) {
			this.child.kill('SIGKILL');
			await this.exited;
		}
	}
}

function redisAnswers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = new Socket();
		const done = (answer: boolean) => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
		socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
	});
}

/** A Postgres cluster of its own (initdb -A trust) on a free loopback port, with one database. */
class PostgresServer {
	private constructor(
		readonly port: number,
		private readonly bin: string,
		private readonly dataDir: string,
	) {}

	static async start(bin: string, folder: string): Promise<PostgresServer> {
		const port = await freePort();
		const dataDir = join(folder, 'pgdata');
		// Postgres refuses to run as root: as root, the cluster belongs to the `postgres` user.
		if (userInfo().uid === 0) {
			const { stdout } = await runChecked('id', ['-u', 'postgres']);
			const { stdout: gid } = await runChecked('id', ['-g', 'postgres']);
			chownSync(folder, Number(stdout.trim()), Number(gid.trim()));
		}
		const server = new PostgresServer(port, bin, dataDir);
		await server.asOwner('initdb', ['-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '-D', dataDir]);
		await server.asOwner('pg_ctl', [
			'-D',
			dataDir,
			'-l',
			join(folder, 'postgres.log'),
			'-o',
			`-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
			'-w',
			'-t',
			'60',
			'start',
		]);
		await runChecked(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', DATABASE]);
		return server;
	}

	async stop(): Promise<void> {
		await this.asOwner('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']).catch(() => undefined);
	}

	private async asOwner(program: string, args: string[]): Promise<void> {
		const command = join(this.bin, program);
		if (userInfo().uid === 0) await runChecked('runuser', ['-u', 'postgres', '--', command, ...args], { timeoutMs: 120_000 });
		else await runChecked(command, args, { timeoutMs: 120_000 });
	}
}

/** A running queue-mode n8n: main, workers and webhook processes over one Redis and one Postgres. */
export class QueueModeN8n {
	private redis?: RedisServer;
	private postgres?: PostgresServer;

	private constructor(
		readonly folder: string,
		private readonly serviceFolder: string,
		readonly main: N8nInstance,
		readonly workers: N8nInstance[],
		readonly webhookProcesses: N8nInstance[],
		private readonly log: LogLine,
	) {}

	/** Every n8n process: main first. */
	get processes(): N8nInstance[] {
		return [this.main, ...this.workers, ...this.webhookProcesses];
	}

	/**
	 * Starts Redis and Postgres, creates the n8n processes' user folders and installs the package
	 * into each. The n8n processes themselves start with startN8n(), after credentials and
	 * workflows are imported and published through `main`.
	 */
	static async create(options: QueueModeOptions): Promise<QueueModeN8n> {
		const log = options.log ?? ((line: string) => console.log(line));
		const services = await ensureQueueServices(log);
		const folder = mkdtempSync(join(tmpdir(), 'salesos-queue-'));
		// Beside, not inside, the n8n folders: as root, Postgres runs as `postgres` and must reach it.
		const serviceFolder = mkdtempSync(join(tmpdir(), 'salesos-queue-services-'));
		let redis: RedisServer | undefined;
		let postgres: PostgresServer | undefined;
		try {
			redis = await RedisServer.start(services.redisServer, serviceFolder);
			postgres = await PostgresServer.start(services.postgresBin, serviceFolder);
			log(`[queue] Redis on 127.0.0.1:${redis.port}, Postgres on 127.0.0.1:${postgres.port} (${folder})`);
			const shared = {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(postgres.port),
				DB_POSTGRESDB_DATABASE: DATABASE,
				DB_POSTGRESDB_USER: 'postgres',
				DB_POSTGRESDB_PASSWORD: '',
				N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
				...options.env,
			};
			const instance = (name: string, command: 'start' | 'worker' | 'webhook', env: Record<string, string> = {}, args: string[] = []) =>
				N8nInstance.create({
					installation: options.installation,
					userFolder: join(folder, name),
					command,
					args,
					env: { ...shared, ...env },
				});
			const webhookProcesses = await Promise.all(
				Array.from({ length: options.webhookProcesses ?? 2 }, (_, index) => instance(`webhook-${index + 1}`, 'webhook')),
			);
			const workers = await Promise.all(
				Array.from({ length: options.workers ?? 2 }, (_, index) =>
					instance(`worker-${index + 1}`, 'worker', {}, [`--concurrency=${options.workerConcurrency ?? 5}`]),
				),
			);
			// Production webhooks go to the webhook processes; the main registers them under the first one's URL.
			const main = await instance('main', 'start', {
				N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
				WEBHOOK_URL: `${webhookProcesses[0]?.url ?? ''}/`,
			});
			const cluster = new QueueModeN8n(folder, serviceFolder, main, workers, webhookProcesses, log);
			cluster.redis = redis;
			cluster.postgres = postgres;
			log(`[queue] installing the package into ${cluster.processes.length} user folders`);
			await Promise.all(cluster.processes.map((process) => process.installPackage(options.tarball)));
			return cluster;
		} catch (error) {
			await postgres?.stop();
			await redis?.stop();
			for (const created of [folder, serviceFolder]) rmSync(created, { recursive: true, force: true });
			throw error;
		}
	}

	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		await this.main.importCredentials(credentials);
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		await this.main.importWorkflows(workflows);
	}

	/** Starts main (it activates published workflows), then the workers and webhook processes. */
	async startN8n(): Promise<void> {
		const started = Date.now();
		// The main migrates the database on its first start: on a busy machine that takes minutes.
		await this.main.start(300_000);
		await Promise.all([...this.workers, ...this.webhookProcesses].map((process) => process.start(300_000)));
		this.log(`[queue] main, ${this.workers.length} workers and ${this.webhookProcesses.length} webhook processes up in ${Math.round((Date.now() - started) / 1000)} s`);
	}

	/** Stops every n8n process (Redis and Postgres keep running), then starts them as startN8n(). */
	async restartN8n(): Promise<void> {
		await Promise.all(this.processes.map((process) => process.stop()));
		await this.startN8n();
	}

	/** Stops every n8n process, then Postgres and Redis, and removes the folder (unless `keep`). */
	async stop(keep = false): Promise<void> {
		await Promise.all(this.processes.map((process) => process.stop()));
		await this.postgres?.stop();
		await this.redis?.stop();
		this.postgres = undefined;
		this.redis = undefined;
		if (keep) this.log(`[queue] folders kept at ${this.folder} and ${this.serviceFolder}`);
		else for (const folder of [this.folder, this.serviceFolder]) rmSync(folder, { recursive: true, force: true });
	}
}
