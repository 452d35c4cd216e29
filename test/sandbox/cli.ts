// `npm run sandbox`: a sandbox on SANDBOX_PORT (default 4010) with seed data, until Ctrl-C.
import { startSandbox } from './index';

async function main() {
	const port = Number(process.env.SANDBOX_PORT ?? 4010);
	const sandbox = await startSandbox({
		port,
		host: process.env.SANDBOX_HOST ?? '127.0.0.1',
		seedLeads: Number(process.env.SANDBOX_SEED_LEADS ?? 25),
		seedDeals: Number(process.env.SANDBOX_SEED_DEALS ?? 10),
	});
	const credentials = sandbox.credentials();
	console.log(
		[
			`SalesOS sandbox listening on ${sandbox.url}`,
			`  REST base URL        ${credentials.restBaseUrl}`,
			`  Token URL            ${credentials.tokenUrl}`,
			`  Audience             ${credentials.audience}`,
			`  Client ID / secret   ${credentials.clientId} / ${credentials.clientSecret}`,
			`  API key / secret     ${credentials.apiKey} / ${credentials.apiSecret}`,
			`  Default Integration  ${credentials.defaultIntegrationUrl}`,
			`  Control API          ${sandbox.url}/__sandbox/* (see test/sandbox/README.md)`,
			'Press Ctrl-C to stop.',
		].join('\n'),
	);
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the sandbox`);
		sandbox.close().then(
			() => process.exit(0),
			(error) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	console.error(`Could not start the sandbox: ${(error as Error).message}`);
	process.exit(1);
});
