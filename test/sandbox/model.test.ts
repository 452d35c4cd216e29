import axios, { type AxiosInstance } from 'axios';
import { SandboxClient } from './client';
import { startSandbox, type Sandbox } from './index';

// The scripted model as n8n's OpenAI Chat Model node calls it (Chat Completions, tools as functions).
describe('scripted language model (/llm/v1)', () => {
	let sandbox: Sandbox;
	let client: SandboxClient;
	let llm: AxiosInstance;
	const tools = [
		{ type: 'function', function: { name: 'Create_or_update_lead', description: 'Create or update a lead', parameters: { type: 'object' } } },
		{ type: 'function', function: { name: 'Find_deals', description: 'Get many deals', parameters: { type: 'object' } } },
	];
	const script = {
		turns: [
			{ toolCalls: [{ tool: 'Create or update lead', arguments: { Email: 'ana(at)example.com', Name: '{{userMessage /Add (\\w+)/}}' } }] },
			{ expectToolResult: 'email', toolCalls: [{ tool: 'Create or update lead', arguments: { Email: 'ana@example.com', Name: 'Ana' } }] },
			{ content: 'Saved lead {{toolResult.0.id}} for "{{userMessage}}": {{toolResult}}' },
		],
	};
	const user = { role: 'user', content: 'Add Ana' };
	const call = (id: string, args: object) => ({
		role: 'assistant',
		content: null,
		tool_calls: [{ id, type: 'function', function: { name: 'Create_or_update_lead', arguments: JSON.stringify(args) } }],
	});

	beforeAll(async () => {
		sandbox = await startSandbox();
		client = new SandboxClient(sandbox.url);
		llm = axios.create({
			baseURL: sandbox.credentials().openAiBaseUrl,
			headers: { Authorization: 'Bearer sk-anything' },
			validateStatus: () => true,
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		await client.setModelScript(script);
	});

	it('answers turn by turn from the conversation: tool call, retry after an error, final answer quoting the result', async () => {
		const first = await llm.post('/chat/completions', { model: 'm', messages: [{ role: 'system', content: 'be helpful' }, user], tools });
		expect(first.status).toBe(200);
		const [firstCall] = first.data.choices[0].message.tool_calls;
		expect(first.data.choices[0].finish_reason).toBe('tool_calls');
		expect(firstCall.function).toEqual({ name: 'Create_or_update_lead', arguments: JSON.stringify({ Email: 'ana(at)example.com', Name: 'Ana' }) });

		const failed = [user, call(firstCall.id, {}), { role: 'tool', tool_call_id: firstCall.id, content: '[{"error":"Email is not a valid email address"}]' }];
		const second = await llm.post('/chat/completions', { model: 'm', messages: failed, tools });
		expect(JSON.parse(second.data.choices[0].message.tool_calls[0].function.arguments).Email).toBe('ana@example.com');

		const result = '[{"id":"lead_1","operationResult":"created"}]';
		const done = [...failed, call('call_2', {}), { role: 'tool', tool_call_id: 'call_2', content: result }];
		const third = await llm.post('/chat/completions', { model: 'm', messages: done, tools });
		expect(third.data.choices[0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant', content: `Saved lead lead_1 for "Add Ana": ${result}` } });

		const exchanges = await client.modelExchanges();
		expect(exchanges.map((exchange) => exchange.turn)).toEqual([0, 1, 2]);
		expect(exchanges[0].tools.map((tool) => tool.name)).toEqual(['Create_or_update_lead', 'Find_deals']);
		expect(sandbox.requestCount('POST /llm/v1/chat/completions', 200)).toBe(3);
	});

	it('refuses off-script conversations with a 400 that says why', async () => {
		const unexpected = [user, call('c1', {}), { role: 'tool', tool_call_id: 'c1', content: '[{"id":"lead_1"}]' }];
		const mismatch = await llm.post('/chat/completions', { model: 'm', messages: unexpected, tools });
		expect(mismatch.status).toBe(400);
		expect(mismatch.data.error.message).toMatch(/expected a tool result matching \/email\/i, got \[\{"id":"lead_1"\}\]/);

		const noTools = await llm.post('/chat/completions', { model: 'm', messages: [user] });
		expect(noTools.data.error.message).toMatch(/calls the tool "Create_or_update_lead", but the request offers \[\]/);

		await client.clearModelScript();
		const noScript = await llm.post('/chat/completions', { model: 'm', messages: [user], tools });
		expect(noScript.data.error.message).toMatch(/no script is set/);

		const anonymous = await axios.post(`${sandbox.credentials().openAiBaseUrl}/chat/completions`, {}, { validateStatus: () => true });
		expect(anonymous.status).toBe(401);
		await expect(client.setModelScript({ turns: [{}] } as never)).rejects.toMatchObject({ response: { status: 400 } });
	});

	it('streams the same reply as server-sent events when asked, and lists its model', async () => {
		const streamed = await llm.post('/chat/completions', { model: 'm', messages: [user], tools, stream: true, stream_options: { include_usage: true } });
		expect(streamed.headers['content-type']).toMatch(/text\/event-stream/);
		const events = String(streamed.data).trim().split('\n\n').map((line) => line.replace(/^data: /, ''));
		expect(events.pop()).toBe('[DONE]');
		const chunks = events.map((event) => JSON.parse(event));
		expect(chunks.flatMap((chunk) => chunk.choices.map((choice: any) => choice.finish_reason)).filter(Boolean)).toEqual(['tool_calls']);
		expect(chunks.find((chunk) => chunk.choices[0]?.delta.tool_calls)?.choices[0].delta.tool_calls[0].function.name).toBe('Create_or_update_lead');
		expect(chunks[chunks.length - 1].usage).toEqual(expect.objectContaining({ total_tokens: 2 }));

		const models = await llm.get('/models');
		expect(models.data.data).toEqual([expect.objectContaining({ id: 'salesos-scripted-model', object: 'model' })]);
	});
});
