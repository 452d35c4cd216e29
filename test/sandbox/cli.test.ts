import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SandboxClient } from './client';

describe('npm run sandbox (cli.ts)', () => {
	it('starts with seed data, prints URL and credentials, and stops cleanly on SIGTERM', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cli.ts')], {
			cwd: join(__dirname, '..', '..'),
			env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_SEED_LEADS: '3', SANDBOX_SEED_DEALS: '2' },
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const deadline = Date.now() + 15_000;
		while (!/listening on (http:\S+)/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		const url = /listening on (http:\S+)/.exec(output)?.[1];
		expect(url).toBeDefined();
		expect(output).toContain('sandbox-client / sandbox-secret');
		expect(output).toContain('sk_test_sandbox / sandbox-signing-secret');

		const control = new SandboxClient(url!);
		expect(await control.health()).toBe(true);
		expect(await control.records('leads')).toHaveLength(3);
		expect(await control.records('deals')).toHaveLength(2);
		expect((await control.credentials()).tokenUrl).toBe(`${url}/oauth/token`);

		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});
});
