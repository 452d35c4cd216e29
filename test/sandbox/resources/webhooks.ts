// Webhook subscriptions CRUD. Secrets are echoed only by create; list/get never show them.
import { randomBytes, randomUUID } from 'node:crypto';
import { noContent, notFound, objectBody, ok, type RequestContext } from '../http';
import { listResponse, type ListSpec } from '../listQuery';
import type { Route } from '../router';
import type { WebhookSubscription } from '../types';
import { assertValid, isBoolean, isString, pickFields, type Rule, type Schema } from '../validation';
import { WEBHOOK_EVENT_TYPES } from '../webhookDelivery';
import { type Domain } from './common';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function webhookSchema({ state }: Domain): Schema {
	const isWebhookUrl: Rule = (value) => {
		let url: URL;
		try {
			url = new URL(String(value));
		} catch {
			return 'must be an absolute URL';
		}
		if (url.protocol === 'https:') return undefined;
		if (url.protocol === 'http:' && state.settings.webhookAllowHttpLoopback && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
		return 'must use https (the sandbox also accepts http on 127.0.0.1, localhost and [::1])';
	};
	const isEventList: Rule = (value) => {
		if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty array of event names';
		const unknown = value.filter((event) => !(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(event));
		return unknown.length ? `unknown event(s): ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}` : undefined;
	};
	return {
		url: { required: true, rules: [isString, isWebhookUrl] },
		events: { required: true, rules: [isEventList] },
		secret: { rules: [isString] },
		description: { rules: [isString] },
		active: { rules: [isBoolean] },
	};
}

/** The REST view: no secret, no failure counter. */
export function publicWebhook({ secret: _secret, consecutive_failures: _failures, ...rest }: WebhookSubscription) {
	return rest;
}

export function createWebhook(domain: Domain, input: Record<string, unknown>): WebhookSubscription {
	const schema = webhookSchema(domain);
	assertValid(input, schema, 'create');
	const fields = pickFields(input, schema) as Partial<WebhookSubscription>;
	const now = domain.state.clock.now();
	const subscription: WebhookSubscription = {
		id: randomUUID(),
		url: fields.url!,
		events: [...new Set(fields.events!)],
		active: fields.active ?? true,
		description: fields.description ?? null,
		secret: fields.secret ?? `whsec_${randomBytes(24).toString('base64url')}`,
		consecutive_failures: 0,
		created_at: now,
		updated_at: now,
	};
	domain.state.webhooks.set(subscription.id, subscription);
	return subscription;
}

function getWebhook(domain: Domain, id: string): WebhookSubscription {
	const subscription = domain.state.webhooks.get(id);
	if (!subscription) throw notFound('Webhook', id);
	return subscription;
}

function updateWebhook(domain: Domain, subscription: WebhookSubscription, input: Record<string, unknown>) {
	const schema = webhookSchema(domain);
	assertValid(input, schema, 'update');
	const fields = pickFields(input, schema) as Partial<WebhookSubscription>;
	Object.assign(subscription, {
		...(fields.url ? { url: fields.url } : {}),
		...(fields.events ? { events: [...new Set(fields.events)] } : {}),
		...(fields.secret ? { secret: fields.secret } : {}),
		...('description' in fields ? { description: fields.description } : {}),
		...(typeof fields.active === 'boolean' ? { active: fields.active } : {}),
		updated_at: domain.state.clock.now(),
	});
	if (fields.active === true) subscription.consecutive_failures = 0;
	if (!subscription.active) domain.events.cancelFor(subscription.id);
	return subscription;
}

const webhookList: ListSpec<WebhookSubscription> = {
	filters: {},
	sortable: ['created_at', 'updated_at', 'url'],
	searchIn: (subscription) => [subscription.url, subscription.description],
};

export function webhookRoutes(domain: Domain): Route[] {
	const byId = (ctx: RequestContext) => getWebhook(domain, ctx.params.id);
	return [
		{
			method: 'GET',
			pattern: '/v1/webhooks',
			handler: (ctx) => {
				const response = listResponse(ctx, domain.state.webhooks.values(), webhookList, domain.state.settings);
				const body = response.body as { data: WebhookSubscription[] };
				body.data = body.data.map(publicWebhook) as WebhookSubscription[];
				return response;
			},
		},
		{
			method: 'POST',
			pattern: '/v1/webhooks',
			handler: (ctx) => {
				const subscription = createWebhook(domain, objectBody(ctx));
				return ok(ctx, { ...publicWebhook(subscription), secret: subscription.secret }, 201);
			},
		},
		{ method: 'GET', pattern: '/v1/webhooks/:id', handler: (ctx) => ok(ctx, publicWebhook(byId(ctx))) },
		{ method: 'PATCH', pattern: '/v1/webhooks/:id', handler: (ctx) => ok(ctx, publicWebhook(updateWebhook(domain, byId(ctx), objectBody(ctx)))) },
		{
			method: 'DELETE',
			pattern: '/v1/webhooks/:id',
			handler: (ctx) => {
				const subscription = byId(ctx);
				domain.state.webhooks.delete(subscription.id);
				domain.events.cancelFor(subscription.id);
				return noContent();
			},
		},
	];
}
