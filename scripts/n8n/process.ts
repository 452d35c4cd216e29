// Small process helpers shared by the n8n installer, the n8n instance control and the demo.
import { spawn, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

export type LogLine = (line: string) => void;

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
	/** Called with every output line (stdout and stderr) as it arrives. */
	onLine?: LogLine;
	timeoutMs?: number;
}

/** Runs a command to completion; never throws for a non-zero exit (the caller decides). */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		const lines = lineSplitter(options.onLine);
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			lines(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			lines(chunk);
		});
		const timer =
			options.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						child.kill('SIGKILL');
						reject(new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms`));
					}, options.timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

/** Like runCommand, but a non-zero exit is an error that quotes the end of the output. */
export async function runChecked(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.code ?? result.signal}):\n${tail}`);
	}
	return result;
}

/** Turns output chunks into whole lines for a line callback. */
export function lineSplitter(onLine: LogLine | undefined): (chunk: Buffer) => void {
	let pending = '';
	return (chunk) => {
		if (!onLine) return;
		pending += chunk.toString();
		const parts = pending.split('\n');
		pending = parts.pop() ?? '';
		for (const line of parts) onLine(line.replace(/\r$/, ''));
	};
}

/** A port that was free a moment ago on 127.0.0.1 (for processes that need a number up front). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') resolve(address.port);
				else reject(new Error('could not determine a free port'));
			});
		});
	});
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `promise` settles within `ms`; the timer is cleared either way, so it never keeps a process alive. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<boolean>((resolve) => {
		timer = setTimeout(() => resolve(false), ms);
	});
	try {
		return await Promise.race([promise.then(() => true), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

export function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
