import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { follows, SALESOS_TRIGGER_V3 } from '../descriptions/versions';
import { asNodeError } from '../execution/nodeRun';
import { getSalesOsError, salesOsApiRequest, salesOsApiRequestAllItems } from '../transport';
import { credentialTypeFor, type SalesOsAuthentication } from '../transport/credentialTypes';
import { eventsToRegister } from './events';
import {
	acceptedNonces,
	DEFAULT_PREVIOUS_SECRET_SECONDS,
	deriveSigningSecret,
	describeWithNonce,
	learnedNonce,
	learnNonce,
	mayLookUp,
	newNonce,
	nonceInDescription,
	rotatedNonces,
	secretMaterial,
} from './signingSecrets';

/** Manual registration reads the pasted secret from this credential from node version 3 on. */
const SIGNING_SECRET_TYPE = 'salesOsWebhookSigningSecretApi';

/**
 * What this node keeps in the workflow's static data about the subscription it registered: no
 * secret, only the facts the secret is derived from (see signingSecrets.ts). Static data travels
 * with the workflow (export, import, copy), so the record also names the n8n instance that
 * registered it: only that instance ever changes or deletes the subscription.
 */
interface RecordedSubscription {
	webhookId: string;
	webhookUrl: string;
	/** `getInstanceId()` of the registering n8n; absent in records of package versions before 1.1. */
	instanceId?: string;
	/** Absent in records of package versions that stored the secret itself (`secret`). */
	nonce?: string;
}

export type Registration = 'automatic' | 'manual';

/** Where to set n8n's public address: the 2.x variable, and the one 1.x reads. */
const PUBLIC_URL_HINT =
	'Set n8n’s N8N_WEBHOOK_URL environment variable (WEBHOOK_URL on n8n 1.x) to the public https address of this n8n.';

function recordedSubscription(staticData: IDataObject): RecordedSubscription | undefined {
	const { webhookId, webhookUrl, instanceId, nonce } = staticData;
	if (typeof webhookId !== 'string' || typeof webhookUrl !== 'string') return undefined;
	return {
		webhookId,
		webhookUrl,
		...(typeof instanceId === 'string' ? { instanceId } : {}),
		...(typeof nonce === 'string' ? { nonce } : {}),
	};
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
 * Forgets the subscription but keeps its nonces: the next registration rotates from them, so the
 * secret SalesOS may still sign in-flight retries with stays valid for the stated overlap.
 * `secret` and `acceptedEvents` are what earlier package versions kept here.
 */
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

/** The secret SalesOS signs this registration's deliveries with (nothing of it is stored). */
async function derivedSecret(
	context: IHookFunctions | IWebhookFunctions,
	url: string,
	nonce: string,
): Promise<string | undefined> {
	const type = credentialTypeFor(context.getNodeParameter('authentication', 'clientCredentials') as SalesOsAuthentication);
	const material = secretMaterial(type, await context.getCredentials(type));
	if (material === '') return undefined;
	return deriveSigningSecret(material, { workflowId: String(context.getWorkflow().id ?? ''), nodeId: context.getNode().id, webhookUrl: url, nonce });
}

/** The path of a webhook URL: the part every n8n process agrees on, whatever its public host. */
function urlPath(url: unknown): string | undefined {
	if (typeof url !== 'string') return undefined;
	try {
		return new URL(url).pathname;
	} catch {
		return undefined;
	}
}

/**
 * SalesOS's subscription for this node's URL, if any. A webhook process may know n8n under
 * another host than the one registered, so webhook() may match by path (`samePath`); registration
 * never does: a copy of the workflow on another instance keeps the path but not the host.
 */
async function remoteSubscriptionFor(
	context: IHookFunctions | IWebhookFunctions,
	url: string,
	samePath = false,
): Promise<IDataObject | undefined> {
	const path = urlPath(url);
	const subscriptions = await salesOsApiRequestAllItems.call(context, '/webhooks', {}, { returnAll: true });
	const exact = subscriptions.find((subscription) => subscription.url === url);
	if (exact || !samePath || path === undefined) return exact;
	return subscriptions.find((subscription) => urlPath(subscription.url) === path && nonceInDescription(subscription) !== undefined);
}

function subscriptionDescription(context: IHookFunctions, nonce: string): string {
	const workflowName = context.getWorkflow().name;
	return describeWithNonce(`n8n workflow${workflowName ? ` "${workflowName}"` : ''} (${context.getNode().name})`, nonce);
}

/**
 * checkExists: true only for the subscription this instance registered, for this URL, still
 * present in SalesOS. n8n 2.x runs it on publishing and, because the node also has a trigger(),
 * on every start: a subscription SalesOS switched off meanwhile is switched on again here. When
 * static data lost the record, SalesOS's subscription for this URL (with its nonce in the
 * description) is adopted, so restarting every process never registers a second one.
 */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	if (registration(this) === 'manual') return true;
	const staticData = this.getWorkflowStaticData('node');
	const recorded = recordedSubscription(staticData);
	const url = webhookUrl(this);
	const ours = recorded && recorded.webhookUrl === url && registeredHere(this, recorded);
	// A record of an earlier package version holds the secret itself: register anew to replace it.
	if (ours && recorded.nonce === undefined) return false;
	if (recorded && !ours) return false;

	const remote = recorded
		? (await salesOsApiRequestAllItems.call(this, '/webhooks', {}, { returnAll: true })).find(
				(subscription) => String(subscription.id) === recorded.webhookId,
			)
		: await remoteSubscriptionFor(this, url);
	const nonce = recorded?.nonce ?? nonceInDescription(remote);
	if (!remote || remote.url !== url || nonce === undefined) return false;

	// The event selection changed, or SalesOS switched the webhook off after repeated failed
	// deliveries (n8n was down): bring the subscription in line instead of duplicating it.
	const events = selectedEvents(this);
	if (!sameEvents(remote.events, events) || remote.active === false) {
		await salesOsApiRequest.call(this, {
			method: 'PATCH',
			path: `/webhooks/${encodeURIComponent(String(remote.id))}`,
			body: { events, active: true },
		});
	}
	if (!recorded) Object.assign(staticData, { webhookId: String(remote.id), webhookUrl: url, nonce });
	staticData.instanceId = this.getInstanceId();
	return true;
}

function previousSecretSeconds(context: IHookFunctions): number {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const seconds = Number(options.previousSecretValidForSeconds ?? DEFAULT_PREVIOUS_SECRET_SECONDS);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_PREVIOUS_SECRET_SECONDS;
}

/**
 * create: registers this node's URL in SalesOS with a newly derived secret (a new nonce: every
 * publish rotates it) and records the subscription as this instance's. A subscription SalesOS
 * already holds for this URL (static data lost it) is replaced, never duplicated.
 */
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
	// This node's earlier subscription for this URL (its nonce in the description, or the one an
	// earlier package version recorded with its secret) is replaced; one someone added by hand for
	// the same URL is left alone.
	const existing = await remoteSubscriptionFor(this, url);
	if (existing && (nonceInDescription(existing) !== undefined || String(existing.id) === stale?.webhookId)) {
		await deleteRemote(this, String(existing.id));
	}

	const nonce = newNonce();
	const secret = await derivedSecret(this, url, nonce);
	if (secret === undefined) {
		throw new NodeOperationError(this.getNode(), 'The SalesOS credential holds no secret to derive the webhook signing secret from', {
			description: 'Fill in Client Secret (OAuth2) or API Key in the credential, then publish the workflow again.',
		});
	}
	let created: IDataObject;
	try {
		({ data: created } = await salesOsApiRequest.call(this, {
			method: 'POST',
			path: '/webhooks',
			body: { url, events: selectedEvents(this), secret, description: subscriptionDescription(this, nonce), active: true },
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
	// Only this instance's own previous registration stays valid for the overlap.
	const rotated = rotatedNonces(staticData.instanceId === this.getInstanceId() ? staticData : {}, nonce, previousSecretSeconds(this));
	forgetSubscription(staticData);
	delete staticData.previousNonce;
	delete staticData.previousNonceExpiresAt;
	Object.assign(staticData, { webhookId: String(id), webhookUrl: url, instanceId: this.getInstanceId(), ...rotated });
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

/** Where the secrets that verify this trigger's deliveries come from. */
export interface SigningSecrets {
	/** The secrets that verify a delivery now (may be empty). */
	secrets: string[];
	/** Whether none could be configured at all (nothing registered, nothing pasted). */
	configured: boolean;
}

/** The Manual registration secret: the credential from version 3, the node parameter before. */
async function pastedSecret(context: IWebhookFunctions): Promise<string> {
	if (follows(SALESOS_TRIGGER_V3, context.getNode())) {
		// No credential selected: answered as "no signing secret configured", not as n8n's 500.
		if (!context.getNode().credentials?.[SIGNING_SECRET_TYPE]) return '';
		const credentials = await context.getCredentials(SIGNING_SECRET_TYPE);
		return typeof credentials.secret === 'string' ? credentials.secret : '';
	}
	return context.getNodeParameter('signingSecret', '') as string;
}

/**
 * The secrets deliveries may be signed with now: the pasted one (Manual); for Automatic the ones
 * derived from the recorded nonces and from a nonce this process learned from SalesOS, or the
 * secret an earlier package version stored (until the workflow is published again).
 */
export async function currentSigningSecrets(this: IWebhookFunctions, scope: string): Promise<SigningSecrets> {
	if (registration(this) === 'manual') {
		const secret = await pastedSecret(this);
		return { secrets: secret ? [secret] : [], configured: secret !== '' };
	}
	const staticData = this.getWorkflowStaticData('node');
	const recorded = recordedSubscription(staticData);
	const learned = learnedNonce(scope);
	if (!recorded && !learned) return { secrets: [], configured: false };
	if (recorded && recorded.nonce === undefined && typeof staticData.secret === 'string') {
		return { secrets: [staticData.secret], configured: true };
	}
	const url = recorded?.webhookUrl ?? learned?.url ?? '';
	const nonces = new Set(acceptedNonces(staticData));
	const derivations = [...nonces].map((nonce) => ({ url, nonce }));
	if (learned && !nonces.has(learned.nonce)) derivations.push(learned);
	const secrets: string[] = [];
	for (const { url: registeredUrl, nonce } of derivations) {
		const secret = await derivedSecret(this, registeredUrl, nonce);
		if (secret !== undefined) secrets.push(secret);
	}
	return { secrets, configured: true };
}

/**
 * The secret of SalesOS's current subscription for this node, for a delivery no known secret
 * verified: a stale static-data save may have put an older nonce back. At most one lookup per
 * trigger per LOOKUP_INTERVAL_MS in this process; the nonce found is remembered.
 */
export async function lookedUpSigningSecret(this: IWebhookFunctions, scope: string): Promise<string | undefined> {
	if (registration(this) === 'manual' || !mayLookUp(scope)) return undefined;
	const recorded = recordedSubscription(this.getWorkflowStaticData('node'));
	let remote: IDataObject | undefined;
	try {
		remote = await remoteSubscriptionFor(this, recorded?.webhookUrl ?? this.getNodeWebhookUrl('default') ?? '', true);
	} catch (error) {
		// The delivery is refused like any unverified one (401); SalesOS retries it later.
		this.logger.warn(`SalesOS Trigger could not look up its subscription in SalesOS: ${(error as Error).message}`);
		return undefined;
	}
	const nonce = nonceInDescription(remote);
	if (!remote || nonce === undefined || typeof remote.url !== 'string') return undefined;
	learnNonce(scope, { nonce, url: remote.url });
	return await derivedSecret(this, remote.url, nonce);
}
