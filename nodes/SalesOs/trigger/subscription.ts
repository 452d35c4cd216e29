import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../execution/nodeRun';
import { getSalesOsError, salesOsApiRequest, salesOsApiRequestAllItems } from '../transport';
import { eventsToRegister } from './events';

/**
 * What this node keeps in the workflow's static data about the subscription it registered.
 * Only a subscription recorded here is ever changed or deleted: its secret is known only to us.
 */
interface OwnSubscription {
	webhookId: string;
	webhookUrl: string;
	secret: string;
}

export type Registration = 'automatic' | 'manual';

function ownSubscription(staticData: IDataObject): OwnSubscription | undefined {
	const { webhookId, webhookUrl, secret } = staticData;
	if (typeof webhookId !== 'string' || typeof webhookUrl !== 'string' || typeof secret !== 'string') {
		return undefined;
	}
	return { webhookId, webhookUrl, secret };
}

function forgetSubscription(staticData: IDataObject): void {
	delete staticData.webhookId;
	delete staticData.webhookUrl;
	delete staticData.secret;
	delete staticData.acceptedEvents;
}

function registration(context: IHookFunctions | IWebhookFunctions): Registration {
	return context.getNodeParameter('registration', 'automatic') as Registration;
}

function selectedEvents(context: IHookFunctions): string[] {
	return eventsToRegister(context.getNodeParameter('events', []) as string[]);
}

function webhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n did not provide a webhook URL for this node');
	return url;
}

function sameEvents(a: unknown, b: string[]): boolean {
	return Array.isArray(a) && a.length === b.length && [...a].sort().every((event, i) => event === b[i]);
}

/**
 * A test run ("Listen for test event") registers its own subscription for the test URL. The
 * static data it sees may still describe the active workflow's production subscription, which a
 * test run must leave alone.
 */
function belongsToThisRun(context: IHookFunctions, subscription: OwnSubscription): boolean {
	return subscription.webhookUrl === webhookUrl(context) || context.getMode() !== 'manual';
}

async function deleteRemote(context: IHookFunctions, webhookId: string): Promise<void> {
	try {
		await salesOsApiRequest.call(context, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(webhookId)}` });
	} catch (error) {
		// Already deleted in SalesOS (or by an earlier deactivation): nothing left to remove.
		if (getSalesOsError(error)?.status !== 404) throw asNodeError(context.getNode(), error, 0);
	}
}

/** checkExists: true only for the subscription this node registered, for this URL, still present. */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	if (registration(this) === 'manual') return true;
	const staticData = this.getWorkflowStaticData('node');
	const own = ownSubscription(staticData);
	const url = webhookUrl(this);
	if (!own || own.webhookUrl !== url) return false;

	const subscriptions = await salesOsApiRequestAllItems.call(this, '/webhooks', {}, { returnAll: true });
	const remote = subscriptions.find((subscription) => subscription.id === own.webhookId);
	if (!remote || remote.url !== url) return false;

	// Re-activation after the event selection changed, or after SalesOS switched the webhook off
	// following repeated failed deliveries: bring the subscription in line instead of duplicating it.
	const events = selectedEvents(this);
	if (!sameEvents(remote.events, events) || remote.active === false) {
		await salesOsApiRequest.call(this, {
			method: 'PATCH',
			path: `/webhooks/${encodeURIComponent(own.webhookId)}`,
			body: { events, active: true },
		});
	}
	return true;
}

/** create: registers the production URL with a fresh secret and remembers both. */
export async function createSubscription(this: IHookFunctions): Promise<boolean> {
	if (registration(this) === 'manual') return true;
	const staticData = this.getWorkflowStaticData('node');
	const url = webhookUrl(this);

	// Ours, but for a URL n8n no longer serves (WEBHOOK_URL changed): SalesOS could never deliver it.
	const stale = ownSubscription(staticData);
	if (stale && stale.webhookUrl !== url && belongsToThisRun(this, stale)) {
		await deleteRemote(this, stale.webhookId);
	}

	const secret = randomBytes(32).toString('hex');
	const workflowName = this.getWorkflow().name;
	let created: IDataObject;
	try {
		({ data: created } = await salesOsApiRequest.call(this, {
			method: 'POST',
			path: '/webhooks',
			body: {
				url,
				events: selectedEvents(this),
				secret,
				description: `n8n workflow${workflowName ? ` "${workflowName}"` : ''} (${this.getNode().name})`,
				active: true,
			},
		}));
	} catch (error) {
		const info = getSalesOsError(error);
		const aboutUrl =
			info !== undefined &&
			(info.status === 400 || info.status === 422) &&
			(info.details.some((detail) => detail.field === 'url') || /\burl\b/i.test(info.message));
		if (!aboutUrl) throw asNodeError(this.getNode(), error, 0);
		throw new NodeOperationError(this.getNode(), `SalesOS rejected the webhook URL ${url}: ${info.message}`, {
			description:
				'SalesOS delivers webhooks only to a public https URL. Set the WEBHOOK_URL environment variable of n8n to the public https address of this instance (for example behind a reverse proxy or tunnel) and activate the workflow again, or choose Registration: Manual.',
		});
	}

	const id = created?.id;
	if (typeof id !== 'string' && typeof id !== 'number') {
		throw new NodeOperationError(this.getNode(), 'SalesOS created the webhook but returned no id', {
			description: 'Delete the new webhook in SalesOS → Settings → Webhooks, then activate the workflow again.',
		});
	}
	// SalesOS echoes the secret it stored; prefer its word should it ever differ from ours.
	const storedSecret = typeof created.secret === 'string' && created.secret !== '' ? created.secret : secret;
	forgetSubscription(staticData);
	Object.assign(staticData, { webhookId: String(id), webhookUrl: url, secret: storedSecret });
	return true;
}

/** delete: removes this node's own subscription (already gone counts as removed). */
export async function deleteSubscription(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const own = ownSubscription(staticData);
	if (!own || !belongsToThisRun(this, own)) return true;
	await deleteRemote(this, own.webhookId);
	forgetSubscription(staticData);
	return true;
}

/** The secret deliveries must be signed with, or undefined when none is configured. */
export function signingSecret(this: IWebhookFunctions): string | undefined {
	const secret =
		registration(this) === 'manual'
			? (this.getNodeParameter('signingSecret', '') as string)
			: ownSubscription(this.getWorkflowStaticData('node'))?.secret;
	return secret ? secret : undefined;
}
