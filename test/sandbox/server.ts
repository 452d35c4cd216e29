// The request pipeline: route → count → faults/latency → auth → rate limit → handler → response.
// Also serves the scripted language model (`/llm/v1`, model.ts) through the same pipeline.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { authenticate, authenticateDefaultIntegration, authorize, issueToken } from './auth';
import { contactRoutes } from './contacts';
import { controlRoutes } from './control';
import type { SandboxCore } from './core';
import { externalRoutes } from './external';
import { ApiError, errorResponse, meta, newRequestId, type RequestContext, type SandboxResponse } from './http';
import { MODEL_BASE_PATH, modelRoutes } from './model';
import { rateLimited } from './rateLimit';
import { defaultIntegrationRoutes } from './resources/defaultIntegration';
import { dealRoutes } from './resources/deals';
import { leadRoutes } from './resources/leads';
import { userRoutes } from './resources/users';
import { webhookRoutes } from './resources/webhooks';
import { Router, type Route, type RouteMatch } from './router';
import type { FaultRule } from './types';

type Api = 'rest' | 'defaultIntegration' | 'token' | 'external' | 'model';

const STATUS_CODES: Record<number, string> = {
	500: 'SERVER_ERROR',
	502: 'BAD_GATEWAY',
	503: 'SERVICE_UNAVAILABLE',
	504: 'GATEWAY_TIMEOUT',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function apiOf(pathname: string): Api | undefined {
	if (pathname.startsWith('/v1/')) return 'rest';
	if (pathname.startsWith('/functions/')) return 'defaultIntegration';
	if (pathname === '/oauth/token') return 'token';
	if (pathname.startsWith('/external/')) return 'external';
	if (pathname.startsWith(`${MODEL_BASE_PATH}/`)) return 'model';
	return undefined;
}

/** The Default Integration's 429 as its spec shows it: "Rate limit exceeded" and `retry_after` in seconds. */
function defaultIntegrationRateLimited(error: ApiError): ApiError {
	const reset = Number(error.headers['X-RateLimit-Reset']);
	const retryAfter =
		Number(error.extra.retry_after) ||
		Number(error.headers['Retry-After']) ||
		(reset ? Math.max(1, Math.ceil(reset - Date.now() / 1000)) : 1);
	return new ApiError(429, 'RATE_LIMITED', 'Rate limit exceeded', null, { retry_after: retryAfter }, error.headers);
}

export function createRequestListener(core: SandboxCore, origin: () => string): RequestListener {
	const { state } = core;
	const tokenRoute: Route = { method: 'POST', pattern: '/oauth/token', handler: (ctx) => issueToken(state, ctx, origin()) };
	const apiRouter = new Router([
		tokenRoute,
		...leadRoutes(core.domain),
		...dealRoutes(core.domain),
		...userRoutes(core.domain),
		...webhookRoutes(core.domain),
		...defaultIntegrationRoutes(core.domain),
		// Before the external stand-in's catch-all routes, which would take /external/contacts too.
		...contactRoutes(core.contacts),
		...externalRoutes(state),
		...modelRoutes(state),
	]);
	const controlRouter = new Router(controlRoutes(core, origin));

	/** Runs the matched handler; every thrown error becomes an error response. */
	async function runHandler(ctx: RequestContext, match: RouteMatch | { methodMismatch: boolean }, api: Api | undefined): Promise<SandboxResponse> {
		let rateHeaders: Record<string, string> = {};
		try {
			if (!('route' in match)) {
				if (match.methodMismatch) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not supported on ${ctx.pathname}`);
				throw new ApiError(404, 'NOT_FOUND', `No route for ${ctx.method} ${ctx.pathname}`);
			}
			const { route } = match;
			ctx.params = match.params;
			const isForm = String(ctx.req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
			if (api !== 'external' && !isForm && ctx.rawBody.length) {
				try {
					ctx.body = JSON.parse(ctx.rawBody.toString('utf8'));
				} catch (error) {
					if (api === 'token') return { status: 400, body: { error: 'invalid_request', error_description: 'Malformed JSON body' } };
					throw new ApiError(400, 'BAD_REQUEST', `Malformed JSON body: ${(error as Error).message}`);
				}
			}
			if (api === 'rest') {
				ctx.principal = authenticate(state, ctx);
				authorize(ctx.principal, api);
			}
			if (api === 'defaultIntegration') ctx.principal = authenticateDefaultIntegration(state, ctx);
			if (ctx.principal && (api === 'rest' || api === 'defaultIntegration')) {
				const { settings } = state;
				rateHeaders = core.rateLimiter.take(`${ctx.principal.kind}:${ctx.principal.id}`, settings.rateLimit, settings.rateLimitHint);
			}
			const response = await route.handler(ctx);
			return { ...response, headers: { ...rateHeaders, ...response.headers } };
		} catch (error) {
			let apiError =
				error instanceof ApiError ? error : new ApiError(500, 'SERVER_ERROR', `Sandbox bug: ${(error as Error).message}`);
			if (api === 'defaultIntegration' && apiError.status === 429) apiError = defaultIntegrationRateLimited(apiError);
			if (!(error instanceof ApiError)) console.error('[sandbox]', error);
			const response = errorResponse(ctx.requestId, apiError);
			return { ...response, headers: { ...rateHeaders, ...response.headers } };
		}
	}

	function faultResponse(ctx: RequestContext, rule: FaultRule): SandboxResponse {
		const status = rule.status!;
		if (status === 429) {
			const response = errorResponse(ctx.requestId, rateLimited(rule.retryAfterSeconds ?? 1, state.settings.rateLimitHint));
			return { ...response, headers: { ...response.headers, ...rule.headers } };
		}
		if (typeof rule.body === 'string') return { status, rawBody: rule.body, headers: { 'Content-Type': 'text/html', ...rule.headers } };
		const body = rule.body ?? {
			error: { code: STATUS_CODES[status] ?? 'ERROR', message: `Injected fault (status ${status})`, details: [] },
			meta: meta(ctx.requestId),
		};
		return { status, body, headers: rule.headers };
	}

	function send(res: ServerResponse, ctx: RequestContext, response: SandboxResponse) {
		const headers: Record<string, string> = { 'X-Request-Id': ctx.requestId, ...response.headers };
		let payload: string | undefined;
		if (response.rawBody !== undefined) payload = response.rawBody;
		else if (response.body !== undefined && response.status !== 204) {
			payload = JSON.stringify(response.body);
			headers['Content-Type'] ??= 'application/json; charset=utf-8';
		}
		if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
		res.writeHead(response.status, headers);
		res.end(payload);
	}

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const rawBody = await readBody(req);
		const url = req.url ?? '/';
		const queryStart = url.indexOf('?');
		const pathname = queryStart < 0 ? url : url.slice(0, queryStart);
		const method = (req.method ?? 'GET').toUpperCase();
		const ctx: RequestContext = {
			req,
			method,
			pathname,
			query: new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1)),
			params: {},
			rawBody,
			body: undefined,
			requestId: newRequestId(),
		};

		if (pathname.startsWith('/__sandbox/')) {
			send(res, ctx, await runHandler(ctx, controlRouter.match(method, pathname), undefined));
			return;
		}

		const api = apiOf(pathname);
		const match = apiRouter.match(method, pathname);
		const route = 'route' in match ? match.route : undefined;
		const routeKey = `${method} ${route?.pattern ?? '(unmatched)'}`;
		if (route === tokenRoute) state.tokenRequests++;
		if (api === 'defaultIntegration') state.recordDefaultIntegrationRequest(ctx.req.headers.authorization, rawBody);

		const fault = core.faults.match(method, route?.pattern ?? pathname, pathname);
		const latency = state.settings.latencyMs + (fault?.latencyMs ?? 0);
		if (latency > 0) await sleep(latency);
		const failsNow = fault && (fault.reset || fault.status);
		if (failsNow && fault.when !== 'after') return fail(res, ctx, routeKey, fault);

		const response = await runHandler(ctx, match, api);
		if (failsNow) return fail(res, ctx, routeKey, fault);
		state.countRequest(routeKey, response.status);
		send(res, ctx, response);
	}

	function fail(res: ServerResponse, ctx: RequestContext, routeKey: string, rule: FaultRule) {
		if (rule.reset) {
			state.countRequest(routeKey, 'reset');
			ctx.req.socket.destroy();
			return;
		}
		const response = faultResponse(ctx, rule);
		state.countRequest(routeKey, response.status);
		send(res, ctx, response);
	}

	return (req, res) => {
		handle(req, res).catch((error) => {
			console.error('[sandbox] request failed', error);
			if (!res.headersSent) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'SERVER_ERROR', message: String(error), details: [] } }));
			} else {
				res.destroy();
			}
		});
	};
}
