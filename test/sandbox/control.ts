// The HTTP control API under /__sandbox/* (for tests, e2e and benchmarks in another process).
// Answers plain JSON (no SalesOS envelope); errors use the SalesOS error shape.
import type { SandboxCore } from './core';
import { ApiError, isPlainObject, objectBody, type RequestContext, type SandboxResponse } from './http';
import type { Route } from './router';
import type { DeliverOptions, ExternalSendOptions, FaultRule, ModelScript, MutateOptions, SeedOptions } from './types';

const json = (body: unknown, status = 200): SandboxResponse => ({ status, body });

function requireString(body: Record<string, unknown>, field: string): string {
	const value = body[field];
	if (typeof value !== 'string' || !value) throw new ApiError(400, 'BAD_REQUEST', `${field} is required`);
	return value;
}

export function controlRoutes(core: SandboxCore, origin: () => string): Route[] {
	const route = (method: string, path: string, handler: (ctx: RequestContext) => SandboxResponse | Promise<SandboxResponse>): Route => ({
		method,
		pattern: `/__sandbox${path}`,
		handler,
	});
	return [
		route('GET', '/health', () => json({ ok: true })),
		route('GET', '/credentials', () => json(core.credentials(origin()))),
		route('POST', '/reset', (ctx) => {
			const body = objectBody(ctx);
			core.reset(isPlainObject(body.settings) ? body.settings : {});
			return json({ ok: true, settings: core.settings });
		}),
		route('POST', '/seed', (ctx) => json(core.seed(objectBody(ctx) as unknown as SeedOptions))),
		route('POST', '/mutate', (ctx) => json({ data: core.mutate(objectBody(ctx) as unknown as MutateOptions) })),
		route('GET', '/default-integration/requests', () => json({ requests: core.state.defaultIntegrationRequests })),
		route('GET', '/faults', () => json({ rules: core.faults.list() })),
		route('POST', '/faults', (ctx) => {
			const body = objectBody(ctx);
			if (!Array.isArray(body.rules)) throw new ApiError(400, 'BAD_REQUEST', 'rules must be an array of fault rules');
			return json({ rules: core.setFaults(body.rules as FaultRule[], body.append === true) });
		}),
		route('DELETE', '/faults', () => {
			core.clearFaults();
			return json({ rules: [] });
		}),
		route('GET', '/settings', () => json(core.settings)),
		route('POST', '/settings', (ctx) => json(core.updateSettings(objectBody(ctx)))),
		route('POST', '/tokens/expire', () => {
			core.expireTokens();
			return json({ ok: true });
		}),
		route('GET', '/counters', () => json(core.counters())),
		route('POST', '/counters/reset', () => {
			core.resetCounters();
			return json({ ok: true });
		}),
		route('GET', '/deliveries', (ctx) =>
			json({
				data: core.deliveries({
					eventId: ctx.query.get('eventId') ?? undefined,
					type: ctx.query.get('type') ?? undefined,
					webhookId: ctx.query.get('webhookId') ?? undefined,
				}),
			}),
		),
		route('POST', '/deliver', async (ctx) => {
			const body = objectBody(ctx);
			requireString(body, 'url');
			requireString(body, 'secret');
			return json(await core.deliver(body as unknown as DeliverOptions));
		}),
		route('POST', '/deliveries/retry', (ctx) => json({ sent: core.retryEvent(requireString(objectBody(ctx), 'eventId')) })),
		route('POST', '/deliveries/flush', () => json({ sent: core.flushRetries() })),
		route('GET', '/events', (ctx) => json({ data: core.emittedEvents(ctx.query.get('type') ?? undefined) })),
		route('GET', '/webhooks', () => json({ data: core.webhooks() })),
		route('POST', '/webhooks', (ctx) => json({ data: core.subscribe(objectBody(ctx) as { url: string; events: string[] }) }, 201)),
		route('GET', '/records/:resource', (ctx) => json({ data: core.records(ctx.params.resource) })),
		route('GET', '/external', (ctx) => json({ data: core.external(ctx.query.get('collection') ?? undefined) })),
		route('GET', '/model/script', () => json({ script: core.state.model.script })),
		route('POST', '/model/script', (ctx) => {
			try {
				return json({ script: core.setModelScript(objectBody(ctx) as unknown as ModelScript) });
			} catch (error) {
				if (error instanceof ApiError) throw error;
				throw new ApiError(400, 'BAD_REQUEST', (error as Error).message);
			}
		}),
		route('DELETE', '/model/script', () => json({ script: core.setModelScript(null) })),
		route('GET', '/model/requests', () => json({ data: core.modelExchanges() })),
		route('POST', '/external/send', async (ctx) => {
			const body = objectBody(ctx);
			requireString(body, 'url');
			return json(await core.externalSend(body as unknown as ExternalSendOptions));
		}),
	];
}
