import { createHmac, randomBytes } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { API_KEY_TYPE } from '../transport/credentialTypes';

/**
 * Automatic registration never stores a signing secret: it derives it from secret material the
 * SalesOS credential already holds (in n8n's encrypted credential store) and non-secret facts the
 * workflow keeps (its id, the node's id, the webhook URL, a random nonce per registration). Every
 * n8n process derives the same secret; nothing usable is in static data, REST or an export; a new
 * nonce on every registration rotates it.
 */
const DERIVATION_LABEL = 'n8n-nodes-salesos webhook signing secret v1';

export interface DerivationInput {
	workflowId: string;
	nodeId: string;
	webhookUrl: string;
	nonce: string;
}

/** The credential's secret: OAuth client secret; API key's signing secret when set, else the key. */
export function secretMaterial(credentialType: string, credentials: ICredentialDataDecryptedObject): string {
	const fields = credentialType === API_KEY_TYPE ? ['apiSecret', 'apiKey'] : ['clientSecret'];
	for (const field of fields) {
		const value = credentials[field];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return '';
}

export function deriveSigningSecret(material: string, input: DerivationInput): string {
	const message = [DERIVATION_LABEL, input.workflowId, input.nodeId, input.webhookUrl, input.nonce].join('\n');
	return createHmac('sha256', material).update(message).digest('hex');
}

export function newNonce(): string {
	return randomBytes(16).toString('hex');
}

/**
 * The nonce travels in the SalesOS subscription's description too, so a process whose static data
 * was overwritten by a stale copy can still find the current one (it is not secret: without the
 * credential's secret it derives nothing).
 */
const NONCE_IN_DESCRIPTION = /\[n8n-nonce:([0-9a-f]{32})\]/;

export function describeWithNonce(description: string, nonce: string): string {
	return `${description} [n8n-nonce:${nonce}]`;
}

export function nonceInDescription(subscription: IDataObject | undefined): string | undefined {
	const description = subscription?.description;
	return typeof description === 'string' ? NONCE_IN_DESCRIPTION.exec(description)?.[1] : undefined;
}

/** Seconds the previous secret stays valid after a re-registration, unless the node says otherwise. */
export const DEFAULT_PREVIOUS_SECRET_SECONDS = 3600;

/** The nonces whose secrets verify a delivery now: the current one, the previous one until it expires. */
export function acceptedNonces(record: IDataObject, now = Date.now()): string[] {
	const nonces: string[] = [];
	if (typeof record.nonce === 'string' && record.nonce !== '') nonces.push(record.nonce);
	const { previousNonce, previousNonceExpiresAt } = record;
	if (typeof previousNonce === 'string' && typeof previousNonceExpiresAt === 'number' && now < previousNonceExpiresAt) {
		nonces.push(previousNonce);
	}
	return nonces;
}

/**
 * The static-data fields of a new registration: the new nonce, and the one it replaces with the
 * time it stops being accepted (0 seconds: refused at once).
 */
export function rotatedNonces(record: IDataObject, nonce: string, overlapSeconds: number, now = Date.now()): IDataObject {
	const previous = typeof record.nonce === 'string' && record.nonce !== '' ? record.nonce : undefined;
	if (!previous || overlapSeconds <= 0) return { nonce };
	return { nonce, previousNonce: previous, previousNonceExpiresAt: now + overlapSeconds * 1000 };
}

/**
 * At most one SalesOS lookup per trigger per interval in each process: a flood of forged
 * deliveries must not turn into API traffic. Keyed by workflow and node.
 */
export const LOOKUP_INTERVAL_MS = 30_000;
const lastLookup = new Map<string, number>();

export function mayLookUp(scope: string, now = Date.now()): boolean {
	const last = lastLookup.get(scope);
	if (last !== undefined && now - last < LOOKUP_INTERVAL_MS) return false;
	lastLookup.set(scope, now);
	return true;
}

/** A nonce this process learned from SalesOS, with the URL its subscription was registered for. */
export interface LearnedNonce {
	nonce: string;
	url: string;
}

/** Per trigger: what SalesOS said after a stale static-data save put an older nonce back. */
const learnedNonces = new Map<string, LearnedNonce>();

export function learnedNonce(scope: string): LearnedNonce | undefined {
	return learnedNonces.get(scope);
}

export function learnNonce(scope: string, learned: LearnedNonce): void {
	learnedNonces.set(scope, learned);
}

/** For tests: forget every lookup time and learned nonce of this process. */
export function resetSigningSecretMemory(): void {
	lastLookup.clear();
	learnedNonces.clear();
}

/**
 * The test of the Manual registration's signing secret credential. SalesOS has no request that
 * checks a webhook secret, so this checks only what can be checked here and says so.
 */
export async function signingSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secret = credential.data?.secret;
	if (typeof secret !== 'string' || secret === '') return { status: 'Error', message: 'Enter the signing secret SalesOS shows for the webhook' };
	if (secret !== secret.trim()) return { status: 'Error', message: 'The signing secret starts or ends with a space; paste it exactly as SalesOS shows it' };
	return {
		status: 'OK',
		message: 'Saved. SalesOS cannot check a signing secret in advance: the trigger refuses (HTTP 401) every delivery whose signature it does not match',
	};
}
