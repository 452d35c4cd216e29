import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../execution/nodeRun';
import { getSalesOsError, salesOsApiRequest, salesOsApiRequestAllItems } from '../transport';
import { eventsToRegister } from './events';

/**
 * What this node keeps in the workflow's static data about the subscription it registered.
 * Static data travels with the workflow (export, import, copy), so the record also names the n8n
 * instance that registered it: only that instance ever changes or deletes the subscription.
 */
interface RecordedSubscription {
	webhookId: string;
	webhookUrl: string;
	secret: string;
	/** `getInstanceId()` of the registering n8n; absent in records of package versions before 1.1. */
	instanceId?: string;
}

export type Registration = 'automatic' | 'manual';

/** Where to set n8n's public address: the 2.x variable, and the one 1.x reads. */
export const PUBLIC_URL_HINT =
	'Set n8n’s N8N_WEBHOOK_URL environment variable (WEBHOOK_URL on n8n 1.x) to the public https address of this n8n.';

function recordedSubscription(staticData: IDataObject): RecordedSubscription | undefined {
	const { webhookId, webhookUrl, secret, instanceId } = staticData;
	if (typeof webhookId !== 'string' || typeof webhookUrl !== 'string' || typeof secret !== 'string') {
		return undefined;
	}
	return { webhookId, webhookUrl, secret, ...(typeof instanceId === 'string' ? { instanceId } : {}) };
}

/**
 * Whether this n8n registered the recorded subscription. A record without an instance id is
 * claimed only for the URL this n8n serves: a copy on another instance serves another URL.
 */
function registeredHere(context: IHookFunctions, subscription: RecordedSubscription): boolean {
	if (subscription.instanceId !== undefined) return subscription.instanceId === context.getInstanceId();
	return subscription.webhookUrl === webhookUrl(context);
}

/**
 * Forgets the subscription but keeps its secret for this instance's next registration: an
 * execution that started before a re-registration saves the static data it loaded when it ends
 * (n8n saves static data whole), and the secret it restores must still verify new deliveries.
 */
function forgetSubscription(staticData: IDataObject): void {
	delete staticData.webhookId;
	delete staticData.webhookUrl;
	delete staticData.acceptedEvents;
}

/** The secret to register with: this instance's previous one when there is one, else a new one. */
function secretToRegister(context: IHookFunctions, staticData: IDataObject): string {
	const { secret, instanceId } = staticData;
	if (typeof secret === 'string' && secret !== '' && instanceId === context.getInstanceId()) return secret;
	return randomBytes(32).toString('hex');
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
function belongsToThisRun(context: IHookFunctions, subscription: RecordedSubscription): boolean {
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

/**
 * checkExists: true only for the subscription this instance registered, for this URL, still
 * present in SalesOS. n8n 2.x runs it on publishing and, because the node also has a trigger(),
 * on every start: a subscription SalesOS switched off meanwhile is switched on again here.
 */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	if (registration(this) === 'manual') return true;
	const staticData = this.getWorkflowStaticData('node');
	const recorded = recordedSubscription(staticData);
	const url = webhookUrl(this);
	if (!recorded || recorded.webhookUrl !== url || !registeredHere(this, recorded)) return false;

	const subscriptions = await salesOsApiRequestAllItems.call(this, '/webhooks', {}, { returnAll: true });
	const remote = subscriptions.find((subscription) => String(subscription.id) === recorded.webhookId);
	if (!remote || remote.url !== url) return false;

	// The event selection changed, or SalesOS switched the webhook off after repeated failed
	// deliveries (n8n was down): bring the subscription in line instead of duplicating it.
	const events = selectedEvents(this);
	if (!sameEvents(remote.events, events) || remote.active === false) {
		await salesOsApiRequest.call(this, {
			method: 'PATCH',
			path: `/webhooks/${encodeURIComponent(recorded.webhookId)}`,
			body: { events, active: true },
		});
	}
	staticData.instanceId = this.getInstanceId();
	return true;
}

/** create: registers this node's URL in SalesOS and records the subscription as this instance's. */
export async function createSubscription(this: IHookFunctions): Promise<boolean> {
	if (registration(this) === 'manual') return true;
	const staticData = this.getWorkflowStaticData('node');
	const url = webhookUrl(this);

	// This instance's, but for a URL it no longer serves (N8N_WEBHOOK_URL changed): SalesOS could
	// never deliver it. A record another instance made (a copied workflow) is left alone.
	const stale = recordedSubscription(staticData);
	if (stale && stale.webhookUrl !== url && stale.instanceId === this.getInstanceId() && belongsToThisRun(this, stale)) {
		await deleteRemote(this, stale.webhookId);
	}

	const secret = secretToRegister(this, staticData);
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
			description: `SalesOS delivers webhooks only to a public https URL. ${PUBLIC_URL_HINT} Then publish the workflow again, or choose Registration: Manual.`,
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
	Object.assign(staticData, {
		webhookId: String(id),
		webhookUrl: url,
		secret: storedSecret,
		instanceId: this.getInstanceId(),
	});
	return true;
}

/**
 * delete: removes the subscription this instance registered (already gone counts as removed).
 * A copy of the workflow on another instance leaves the original's subscription alone.
 */
export async function deleteSubscription(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const recorded = recordedSubscription(staticData);
	if (!recorded || !registeredHere(this, recorded) || !belongsToThisRun(this, recorded)) return true;
	await deleteRemote(this, recorded.webhookId);
	forgetSubscription(staticData);
	return true;
}

/** The secret deliveries must be signed with, or undefined when none is configured. */
export function signingSecret(this: IWebhookFunctions): string | undefined {
	const secret =
		registration(this) === 'manual'
			? (this.getNodeParameter('signingSecret', '') as string)
			: recordedSubscription(this.getWorkflowStaticData('node'))?.secret;
	return secret ? secret : undefined;
}
