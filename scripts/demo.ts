// `npm run demo`: the SalesOS sandbox with seed data, a local n8n 2.40.7 (installed on first use)
// with this package, a ready credential and the example workflows, until Ctrl-C.
//
// Environment (all optional):
//   N8N_PORT (5678), SANDBOX_PORT (4010)          ports of the editor and of the sandbox
//   SALESOS_CLIENT_ID + SALESOS_CLIENT_SECRET      use the real SalesOS instead of the sandbox, with
//   SALESOS_ENVIRONMENT (production|staging|custom), SALESOS_HOST, SALESOS_TOKEN_URL, SALESOS_AUDIENCE,
//   SALESOS_API_KEY, SALESOS_API_SECRET            (the sandbox then only plays the external system)
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox, type Sandbox } from '../test/sandbox';
import {
	credentialsFor,
	DEFAULT_EXTERNAL_URL,
	EXAMPLE_AGENT_SCRIPT,
	modelCredentialFor,
	readExampleWorkflows,
	sandboxConnection,
	withExternalUrl,
	type SalesOsConnection,
} from './examples';
import { ensureN8n } from './n8n/install';
import { N8nInstance, type WorkflowJson } from './n8n/instance';
import { buildAndPack, PACK_FOLDER } from './n8n/package';
import { DEFAULT_OWNER } from './n8n/rest';

const log = (line: string) => console.log(line);

function realSalesOsConnection(): SalesOsConnection | undefined {
	const { SALESOS_CLIENT_ID, SALESOS_CLIENT_SECRET } = process.env;
	if (!SALESOS_CLIENT_ID || !SALESOS_CLIENT_SECRET) return undefined;
	const environment = (process.env.SALESOS_ENVIRONMENT ?? 'production') as SalesOsConnection['environment'];
	if (!['production', 'staging', 'custom'].includes(environment)) {
		throw new Error(`SALESOS_ENVIRONMENT must be production, staging or custom, not "${environment}"`);
	}
	if (environment === 'custom' && !process.env.SALESOS_HOST) {
		throw new Error('SALESOS_ENVIRONMENT=custom needs SALESOS_HOST (the API origin, e.g. https://salesos.example.com)');
	}
	return {
		environment,
		host: process.env.SALESOS_HOST,
		tokenUrl: process.env.SALESOS_TOKEN_URL,
		audience: process.env.SALESOS_AUDIENCE,
		clientId: SALESOS_CLIENT_ID,
		clientSecret: SALESOS_CLIENT_SECRET,
		apiKey: process.env.SALESOS_API_KEY,
		apiSecret: process.env.SALESOS_API_SECRET,
	};
}

/** Whether a workflow has a trigger other than the Manual Trigger (webhook, poll, schedule, …). */
function startsByItself(workflow: WorkflowJson): boolean {
	return workflow.nodes.some(
		(node) => node.type !== 'n8n-nodes-base.manualTrigger' && (/trigger$/i.test(node.type) || node.type === 'n8n-nodes-base.webhook'),
	);
}

function port(name: string, fallback: number): number {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, not "${process.env[name]}"`);
	return value;
}

async function main() {
	const real = realSalesOsConnection();
	const n8nPort = port('N8N_PORT', 5678);
	const sandboxPort = port('SANDBOX_PORT', 4010);

	const installation = await ensureN8n({ log });
	const tarball = await buildAndPack({ log });

	let sandbox: Sandbox;
	try {
		sandbox = await startSandbox({ port: sandboxPort, seedLeads: 25, seedDeals: 10 });
	} catch (error) {
		throw new Error(`Could not start the sandbox on port ${sandboxPort} (${(error as Error).message}); set SANDBOX_PORT to a free port`);
	}
	const externalUrl = `${sandbox.url}/external`;

	// A fresh n8n for every demo run: the examples are imported as shipped.
	const userFolder = join(PACK_FOLDER, '..', 'demo');
	rmSync(userFolder, { recursive: true, force: true });
	const n8n = await N8nInstance.create({ installation, userFolder, port: n8nPort });

	let stopping = false;
	const shutDown = async (reason: string, code: number) => {
		if (stopping) return;
		stopping = true;
		log(`\n[demo] ${reason}: stopping n8n and the sandbox ...`);
		await n8n.stop();
		await sandbox.close();
		log('[demo] Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void shutDown('Ctrl-C', 0));
	process.on('SIGTERM', () => void shutDown('SIGTERM', 0));

	log('[demo] Installing n8n-nodes-salesos into n8n, importing the credential and the example workflows ...');
	await n8n.installPackage(tarball);
	const connection = real ?? sandboxConnection(sandbox.credentials());
	// The AI agent example's model is the sandbox's scripted model, also with the real SalesOS.
	sandbox.setModelScript(EXAMPLE_AGENT_SCRIPT);
	// Something for its request ("… then tell me Acme's open deals") to find.
	if (!real) sandbox.seed({ resource: 'deals', records: [{ name: 'CRM rollout', company: 'Acme Ltda', status: 'open' }] });
	await n8n.importCredentials([...credentialsFor(connection), modelCredentialFor(sandbox.credentials().openAiBaseUrl)]);
	const examples = readExampleWorkflows().map(({ file, workflow }) => ({
		file,
		workflow: externalUrl === DEFAULT_EXTERNAL_URL ? workflow : withExternalUrl(workflow, externalUrl),
	}));
	await n8n.importWorkflows(examples.map(({ workflow }) => workflow));
	// Example 04's manual path syncs this contact of the sandbox's contact system into SalesOS.
	sandbox.contacts.put('crm-2001', { name: 'Diego Alves', email: 'diego.alves@example.com', phone: '+5511955554444', company: 'Alves Logística' }, 'crm-user');

	log('[demo] Running each example once headless (n8n execute) ...');
	for (const { file, workflow } of examples) {
		const result = await n8n.execute(workflow.id!);
		log(`  ${result.ok ? 'ok    ' : 'FAILED'} ${file}${result.ok ? '' : `: ${result.run?.data?.resultData?.error?.message ?? 'see above'}`}`);
	}

	// SalesOS delivers webhooks only to public https URLs: with the real SalesOS the trigger
	// workflows stay unpublished (publish them yourself once WEBHOOK_URL is public).
	// Workflows that only start by hand (the AI agent example) stay unpublished.
	if (!real) for (const { workflow } of examples.filter(({ workflow }) => startsByItself(workflow))) await n8n.publish(workflow.id!);

	log(`[demo] Starting n8n on ${n8n.url} (log: ${n8n.logFile}) ...`);
	await n8n.start();
	await n8n.rest.ensureOwner();
	void n8n.waitForExit().then(() => shutDown(`n8n stopped unexpectedly (see ${n8n.logFile})`, 1));

	const form = `${n8n.url}/webhook/salesos-lead-form`;
	// The contact system reports every change to example 04's webhook, as a real system would.
	sandbox.contacts.webhookUrl = `${n8n.url}/webhook/salesos-two-way-contact`;
	const control = `${sandbox.url}/__sandbox`;
	const [wonDeal] = (sandbox.records('deals') as Array<{ id: string; status: string }>).filter((deal) => deal.status === 'open');
	log(
		[
			'',
			'================================================================================',
			` n8n with n8n-nodes-salesos is running: open ${n8n.url}`,
			`   login: ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`,
			real
				? ` SalesOS: the real service (${connection.environment}); credential "SalesOS account".`
				: ` SalesOS: the local sandbox at ${sandbox.url} (25 leads, 11 deals; credential "SalesOS account").`,
			` External system stand-in: ${externalUrl}  (what n8n sent: ${control}/external)`,
			'',
			' Try it:',
			real
				? '  - Open a workflow and click "Execute workflow": the manual paths read and write your SalesOS.'
				: [
						'  - Win a deal in SalesOS: the published "SalesOS → external system" creates an ERP order:',
						`      curl -s -X POST ${control}/mutate -H 'content-type: application/json' \\`,
						`        -d '{"resource":"deals","id":"${wonDeal?.id ?? '<deal id>'}","changes":{"status":"won"}}'`,
						`      curl -s '${control}/external?collection=orders'`,
						'  - Submit the web form (a second post with the same contact_id updates the lead):',
						`      curl -s -X POST ${form} -d contact_id=web-1 -d full_name='Ana Souza' -d email=ana@example.com`,
						`      curl -s -X POST ${form} -d contact_id=web-2 -d full_name='Bad Email' -d email=nope   # → 422 with the field problems`,
						'  - Change a contact in "your system" (two-way sync): its lead gets the changed fields only; edit the lead and the contact follows:',
						`      curl -s -X PATCH ${externalUrl}/contacts/crm-2001 -H 'content-type: application/json' -d '{"company":"Alves SA"}'`,
						`      curl -s ${externalUrl}/contacts/crm-2001`,
						'  - "AI agent with the SalesOS Tool": an AI Agent uses SalesOS as its tool; its model is the',
						`      sandbox's scripted model (${sandbox.credentials().openAiBaseUrl}), which follows the request text`,
						'      "Add <name> (<email>) from <company> as a lead, ..." in the Request node. Execute it in the editor.',
						'  - Every workflow also runs from the editor with "Execute workflow" (its manual path).',
						`  - Executions: ${n8n.url}/home/executions`,
					].join('\n'),
			'',
			' Press Ctrl-C to stop everything.',
			'================================================================================',
		].join('\n'),
	);
}

main().catch((error: Error) => {
	console.error(`[demo] ${error.message}`);
	process.exit(1);
});
