// Scripted language model: an OpenAI-compatible Chat Completions API (`/llm/v1`) that answers
// from a script the test sets, so n8n's AI Agent can be driven without internet. n8n's "OpenAI
// Chat Model" node talks to it through an `openAiApi` credential whose Base URL is `<sandbox>/llm/v1`.
//
// Which turn answers a request is read from the conversation itself: turn i answers when the
// request holds i assistant messages after the last user message. So a script serves every
// execution (and concurrent ones) from its start, with no state between requests.
import { randomBytes } from 'node:crypto';
import { isPlainObject, type RequestContext, type SandboxResponse } from './http';
import type { Route } from './router';
import type { SandboxState } from './state';
import type { ModelExchange, ModelMessage, ModelScript, ModelTool, ModelTurn } from './types';

export const MODEL_BASE_PATH = '/llm/v1';
/** What GET /models lists (the OpenAI Chat Model node's model picker); any name is accepted. */
export const SCRIPTED_MODEL_ID = 'salesos-scripted-model';

class ScriptError extends Error {}

/** OpenAI's error shape; 400 is not retried by the OpenAI client, so the run fails at once. */
function openAiError(status: number, message: string, type = 'invalid_request_error'): SandboxResponse {
	return { status, body: { error: { message, type, param: null, code: null } } };
}

const toolNameOf = (nodeOrToolName: string) => nodeOrToolName.replace(/[^a-zA-Z0-9_-]+/g, '_');

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content.map((part) => (isPlainObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
	}
	return '';
}

/** The messages after the last user message, and that message's text. */
function currentExchange(messages: ModelMessage[]) {
	let lastUser = -1;
	messages.forEach((message, index) => {
		if (message.role === 'user') lastUser = index;
	});
	return { userMessage: lastUser < 0 ? '' : textOf(messages[lastUser].content), since: messages.slice(lastUser + 1) };
}

function valueAtPath(value: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((current, key) => (current === null || current === undefined ? undefined : (current as any)[key]), value);
}

/**
 * Fills `{{userMessage}}`, `{{userMessage /<regex>/}}` (the regex's first group in the user
 * message), `{{toolResult}}` (the latest tool message as sent) and `{{toolResult.<path>}}` (a
 * value inside it, parsed as JSON, e.g. `toolResult.0.id`).
 */
function fillTemplate(template: string, userMessage: string, toolResult: string | undefined): string {
	return template
		.replace(/\{\{\s*userMessage\s+\/(.+?)\/\s*\}\}/g, (_match, pattern: string) => {
			const found = new RegExp(pattern).exec(userMessage);
			if (!found) throw new ScriptError(`/${pattern}/ does not match the user message: ${userMessage}`);
			return found[1] ?? found[0];
		})
		.replace(/\{\{\s*(userMessage|toolResult)((?:\.[\w-]+)*)\s*\}\}/g, (_match, name: string, path: string) => {
			if (name === 'userMessage') return userMessage;
			if (toolResult === undefined) throw new ScriptError(`the script quotes {{${name}${path}}} but no tool has answered yet`);
			if (!path) return toolResult;
			let parsed: unknown;
			try {
				parsed = JSON.parse(toolResult);
			} catch {
				throw new ScriptError(`{{toolResult${path}}}: the tool result is not JSON: ${toolResult}`);
			}
			const value = valueAtPath(parsed, path.slice(1));
			if (value === undefined) throw new ScriptError(`{{toolResult${path}}}: nothing at that path in ${toolResult}`);
			return typeof value === 'string' ? value : JSON.stringify(value);
		});
}

function fillArguments(value: unknown, userMessage: string, toolResult: string | undefined): unknown {
	if (typeof value === 'string') return fillTemplate(value, userMessage, toolResult);
	if (Array.isArray(value)) return value.map((entry) => fillArguments(entry, userMessage, toolResult));
	if (isPlainObject(value)) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fillArguments(entry, userMessage, toolResult)]));
	}
	return value;
}

function toolsOf(body: Record<string, unknown>): ModelTool[] {
	const tools = Array.isArray(body.tools) ? body.tools : [];
	return tools.filter(isPlainObject).map((tool) => {
		const fn = isPlainObject(tool.function) ? tool.function : tool;
		return { name: String(fn.name ?? ''), description: String(fn.description ?? ''), parameters: fn.parameters };
	});
}

interface AssistantReply {
	content: string | null;
	toolCalls: Array<{ id: string; name: string; arguments: string }>;
}

/** The scripted turn's reply to one request. Throws ScriptError when the conversation is off-script. */
function replyFor(script: ModelScript | null, messages: ModelMessage[], tools: ModelTool[]): { turn: number; reply: AssistantReply } {
	const { userMessage, since } = currentExchange(messages);
	const turn = since.filter((message) => message.role === 'assistant').length;
	const toolMessages = since.filter((message) => message.role === 'tool');
	const toolResult = toolMessages.length ? textOf(toolMessages[toolMessages.length - 1].content) : undefined;
	if (!script) throw new ScriptError('no script is set (POST /__sandbox/model/script)');
	const step: ModelTurn | undefined = script.turns[turn];
	if (!step) throw new ScriptError(`the script has ${script.turns.length} turns; this is turn ${turn + 1}`);

	if (step.expectToolResult !== undefined) {
		const expected = new RegExp(step.expectToolResult, 'i');
		if (toolResult === undefined || !expected.test(toolResult)) {
			throw new ScriptError(`turn ${turn + 1} expected a tool result matching /${step.expectToolResult}/i, got ${toolResult ?? 'no tool result'}`);
		}
	}
	const toolCalls = (step.toolCalls ?? []).map((call, index) => {
		const name = toolNameOf(call.tool);
		if (!tools.some((tool) => tool.name === name)) {
			throw new ScriptError(`turn ${turn + 1} calls the tool "${name}", but the request offers ${JSON.stringify(tools.map((tool) => tool.name))}`);
		}
		const args = fillArguments(call.arguments ?? {}, userMessage, toolResult);
		return { id: `call_${turn + 1}_${index + 1}_${randomBytes(4).toString('hex')}`, name, arguments: JSON.stringify(args) };
	});
	const content = step.content === undefined ? null : fillTemplate(step.content, userMessage, toolResult);
	if (!toolCalls.length && content === null) throw new ScriptError(`turn ${turn + 1} has neither toolCalls nor content`);
	return { turn, reply: { content, toolCalls } };
}

function completion(model: string, reply: AssistantReply) {
	const toolCalls = reply.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
	return {
		id: `chatcmpl-${randomBytes(8).toString('hex')}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: reply.content, ...(toolCalls.length ? { tool_calls: toolCalls } : {}), refusal: null },
				logprobs: null,
				finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
			},
		],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/** The same reply as a server-sent event stream (for `stream: true`, e.g. a streaming Chat Trigger). */
function completionStream(model: string, reply: AssistantReply, includeUsage: boolean): string {
	const id = `chatcmpl-${randomBytes(8).toString('hex')}`;
	const created = Math.floor(Date.now() / 1000);
	const chunk = (delta: unknown, finishReason: string | null, extra: Record<string, unknown> = {}) =>
		`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra })}\n\n`;
	const events = [chunk({ role: 'assistant', content: reply.content ?? '' }, null)];
	reply.toolCalls.forEach((call, index) => {
		events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] }, null));
	});
	events.push(chunk({}, reply.toolCalls.length ? 'tool_calls' : 'stop'));
	if (includeUsage) {
		events.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
	}
	events.push('data: [DONE]\n\n');
	return events.join('');
}

function chatCompletions(state: SandboxState, ctx: RequestContext): SandboxResponse {
	if (!/^Bearer \S+/.test(String(ctx.req.headers.authorization ?? ''))) {
		return openAiError(401, 'Missing API key: send Authorization: Bearer <any key>', 'authentication_error');
	}
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const messages = (Array.isArray(body.messages) ? body.messages : []).filter(isPlainObject) as unknown as ModelMessage[];
	const tools = toolsOf(body);
	const model = typeof body.model === 'string' ? body.model : SCRIPTED_MODEL_ID;
	const stream = body.stream === true;
	const exchange: ModelExchange = { receivedAt: new Date().toISOString(), model, stream, messages, tools, turn: null, reply: null, error: null };
	state.model.exchanges.push(exchange);
	try {
		const { turn, reply } = replyFor(state.model.script, messages, tools);
		exchange.turn = turn;
		exchange.reply = { content: reply.content, toolCalls: reply.toolCalls.map((call) => ({ ...call, arguments: JSON.parse(call.arguments) })) };
		if (!stream) return { status: 200, body: completion(model, reply) };
		const includeUsage = isPlainObject(body.stream_options) && body.stream_options.include_usage === true;
		return { status: 200, rawBody: completionStream(model, reply, includeUsage), headers: { 'Content-Type': 'text/event-stream' } };
	} catch (error) {
		if (!(error instanceof ScriptError)) throw error;
		exchange.error = `Scripted model: ${error.message}`;
		return openAiError(400, exchange.error);
	}
}

function listModels(): SandboxResponse {
	return {
		status: 200,
		body: { object: 'list', data: [{ id: SCRIPTED_MODEL_ID, object: 'model', created: 0, owned_by: 'salesos-sandbox' }] },
	};
}

export function modelRoutes(state: SandboxState): Route[] {
	return [
		{ method: 'POST', pattern: `${MODEL_BASE_PATH}/chat/completions`, handler: (ctx) => chatCompletions(state, ctx) },
		{ method: 'GET', pattern: `${MODEL_BASE_PATH}/models`, handler: () => listModels() },
	];
}

/** Checks a script from the control API; a bad one is refused before any model call. */
export function validateScript(input: unknown): ModelScript {
	if (!isPlainObject(input) || !Array.isArray(input.turns)) throw new Error('a model script is {turns: [...]}');
	input.turns.forEach((turn, index) => {
		if (!isPlainObject(turn)) throw new Error(`turns[${index}] must be an object`);
		if (turn.toolCalls !== undefined && !Array.isArray(turn.toolCalls)) throw new Error(`turns[${index}].toolCalls must be an array`);
		if (!turn.toolCalls?.length && typeof turn.content !== 'string') throw new Error(`turns[${index}] needs toolCalls or content`);
		for (const call of (turn.toolCalls ?? []) as unknown[]) {
			if (!isPlainObject(call) || typeof call.tool !== 'string') throw new Error(`turns[${index}].toolCalls entries need a tool name`);
		}
		if (turn.expectToolResult !== undefined) new RegExp(String(turn.expectToolResult));
	});
	return input as unknown as ModelScript;
}
