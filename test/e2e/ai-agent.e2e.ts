// SalesOS as an AI agent's tool in a real n8n 2.40.7: the shipped example 06 (Manual Trigger →
// AI Agent with n8n's OpenAI Chat Model and two SalesOS Tool nodes) runs headless with
// `n8n execute`, its model being the sandbox's scripted OpenAI-compatible model. Effects are
// checked in the sandbox, in what the model was sent, and in the agent's final answer; then the
// running editor's node list shows the tool where n8n lists AI tools.
import { EXAMPLE_AGENT_SCRIPT } from '../../scripts/examples';
import { TOOL_DESCRIPTIONS } from '../../nodes/SalesOs/descriptions/toolDescription';
import type { ModelExchange, ModelScript } from '../sandbox/types';
import { expectSuccess, outputOf, setUpRealN8n, type RealN8n } from './harness';

let env: RealN8n;

beforeAll(async () => {
	env = await setUpRealN8n();
}, 30 * 60_000);

afterAll(async () => {
	await env?.tearDown();
}, 60_000);

beforeEach(() => {
	env.sandbox.reset();
});

/** Runs example 06 with the model following `script`; returns the run and what the model saw. */
async function runAgent(script: ModelScript) {
	env.sandbox.setModelScript(script);
	const started = Date.now();
	const result = await env.n8n.execute(env.examples['06'].id!);
	const exchanges = env.sandbox.modelExchanges();
	const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	process.stderr.write(
		`[e2e] n8n execute took ${seconds(Date.now() - started)}; model calls at ${exchanges.map((exchange) => `+${seconds(Date.parse(exchange.receivedAt) - started)}`).join(', ')}\n`,
	);
	const offScript = exchanges.find((exchange) => exchange.error);
	if (offScript) throw new Error(`The model went off-script: ${offScript.error}`);
	expectSuccess(result);
	const [answer] = outputOf(result, 'AI Agent');
	return { result, exchanges, answer: String(answer.output) };
}

/** What each tool call returned to the model, in call order (the tool messages of the last request). */
function toolResults(exchanges: ModelExchange[]): string[] {
	return exchanges[exchanges.length - 1].messages.filter((message) => message.role === 'tool').map((message) => String(message.content));
}

const leadsWithEmail = (email: string): any[] =>
	(env.sandbox.records('leads') as any[]).filter((lead) => lead.email.toLowerCase() === email.toLowerCase());

test('the shipped example: the agent writes the lead once with the values the model chose, finds the deals, and answers with the tool result', async () => {
	const [acmeDeal] = env.sandbox.seed({ resource: 'deals', records: [{ name: 'CRM rollout', company: 'Acme Ltda', status: 'open' }] }).records as any[];
	env.sandbox.seed({ resource: 'deals', records: [{ name: 'Renewal', company: 'Other Corp', status: 'open' }] });

	// The example's own script: the model takes name, email and company from the request text.
	const { exchanges, answer } = await runAgent(EXAMPLE_AGENT_SCRIPT);

	// The model was offered both SalesOS tools, described per operation, with the $fromAI() keys as arguments.
	const offered = Object.fromEntries(exchanges[0].tools.map((tool) => [tool.name, tool]));
	expect(Object.keys(offered).sort()).toEqual(['Create_or_update_lead', 'Find_deals']);
	expect(offered.Create_or_update_lead.description).toBe(TOOL_DESCRIPTIONS.lead.upsert);
	expect(offered.Find_deals.description).toBe(TOOL_DESCRIPTIONS.deal.getMany);
	expect(Object.keys((offered.Create_or_update_lead.parameters as any).properties).sort()).toEqual(['company', 'email', 'name']);
	expect(Object.keys((offered.Find_deals.parameters as any).properties)).toEqual(['search']);

	const leads = leadsWithEmail('ana.souza@example.com');
	expect(leads).toEqual([expect.objectContaining({ name: 'Ana Souza', company: 'Acme Ltda', source: 'ai-agent' })]);
	expect(env.sandbox.requestCount('POST /v1/leads', 201)).toBe(1);

	// Compact tool results: the ID and the fields with a value, no timestamps or empty fields.
	const [leadResult, dealsResult] = toolResults(exchanges);
	expect(JSON.parse(leadResult)).toEqual([
		{ id: leads[0].id, name: 'Ana Souza', email: 'ana.souza@example.com', company: 'Acme Ltda', source: 'ai-agent', status: 'new', operationResult: 'created' },
	]);
	const deals = JSON.parse(dealsResult);
	expect(deals).toEqual([expect.objectContaining({ id: acmeDeal.id, name: 'CRM rollout', status: 'open', stage: expect.objectContaining({ name: expect.any(String) }) })]);
	expect(deals[0]).not.toHaveProperty('created_at');
	expect(answer).toBe(`Done. Open deals I found: ${dealsResult}`);
});

test('a refused value reaches the model as one plain sentence, the model retries with a fixed value, and the execution succeeds', async () => {
	const lead = (email: string) => ({ tool: 'Create or update lead', arguments: { name: 'Carla Dias', email, company: 'Dias & Filhos' } });
	const { result, exchanges, answer } = await runAgent({
		turns: [
			{ toolCalls: [lead('carla.dias(at)example.com')] },
			{ expectToolResult: 'email', toolCalls: [lead('carla.dias@example.com')] },
			{ content: 'Saved lead {{toolResult.0.id}} after fixing the email.' },
		],
	});

	const [refused, saved] = toolResults(exchanges);
	expect(JSON.parse(refused)).toEqual([
		{ error: 'SalesOS refused the value of email (must be a valid email address); correct it and call the tool again.' },
	]);
	expect(leadsWithEmail('carla.dias(at)example.com')).toEqual([]);
	const [carla] = leadsWithEmail('carla.dias@example.com');
	expect(JSON.parse(saved)).toEqual([expect.objectContaining({ id: carla.id, operationResult: 'created' })]);
	expect(answer).toBe(`Saved lead ${carla.id} after fixing the email.`);
	// Two runs of the tool node: the refused call (kept in the log with its full description) and the retry.
	const toolRuns = result.run.data.resultData.runData['Create or update lead'];
	expect(toolRuns.map((run: any) => run.executionStatus)).toEqual(['error', 'success']);
	expect(toolRuns[0].error.description).toMatch(/Fix these fields and run again/);
});

test('the editor lists the node as "SalesOS Tool" under AI → Tools, with the per-operation description instead of n8n\'s generic one', async () => {
	await env.n8n.start();
	const tool = (await env.n8n.rest.nodeTypes()).find((type) => type.name === 'n8n-nodes-salesos.salesOsTool');
	expect(tool).toMatchObject({
		displayName: 'SalesOS Tool',
		outputs: ['ai_tool'],
		codex: { categories: ['AI'], subcategories: { AI: ['Tools'], Tools: ['Other Tools'] } },
	});
	const names = tool.properties.map((property: any) => property.name);
	expect(names).not.toContain('descriptionType');
	expect(names.filter((name: string) => name === 'toolDescription')).toHaveLength(
		Object.values(TOOL_DESCRIPTIONS).reduce((sum, byOperation) => sum + Object.keys(byOperation).length, 0),
	);
});
