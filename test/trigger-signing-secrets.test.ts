/**
 * The SalesOS Trigger's automatic signing secret: derived from the credential and non-secret facts,
 * rotated with a bounded overlap, and the per-process limit on SalesOS lookups.
 */
import {
	acceptedNonces,
	deriveSigningSecret,
	describeWithNonce,
	LOOKUP_INTERVAL_MS,
	mayLookUp,
	newNonce,
	nonceInDescription,
	resetSigningSecretMemory,
	rotatedNonces,
	secretMaterial,
} from '../nodes/SalesOs/trigger/signingSecrets';

const input = { workflowId: 'wf1', nodeId: 'node1', webhookUrl: 'https://n8n.example.com/webhook/abc/webhook', nonce: 'a'.repeat(32) };

describe('derivation', () => {
	test('the same inputs give the same 64-hex secret in every process; any other input gives another', () => {
		const secret = deriveSigningSecret('client-secret', input);
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		expect(deriveSigningSecret('client-secret', { ...input })).toBe(secret);
		const variants = [
			deriveSigningSecret('other-client-secret', input),
			deriveSigningSecret('client-secret', { ...input, workflowId: 'wf2' }),
			deriveSigningSecret('client-secret', { ...input, nodeId: 'node2' }),
			deriveSigningSecret('client-secret', { ...input, webhookUrl: `${input.webhookUrl}x` }),
			deriveSigningSecret('client-secret', { ...input, nonce: 'b'.repeat(32) }),
		];
		expect(new Set([secret, ...variants]).size).toBe(6);
		expect(secret).not.toContain('client-secret');
	});

	test('the secret material is the OAuth client secret, the API key signing secret, else the API key', () => {
		expect(secretMaterial('salesOsClientCredentialsApi', { clientId: 'id', clientSecret: ' s3cret ' })).toBe('s3cret');
		expect(secretMaterial('salesOsApiKeyApi', { apiKey: 'sk_test_1', apiSecret: 'signing' })).toBe('signing');
		expect(secretMaterial('salesOsApiKeyApi', { apiKey: 'sk_test_1', apiSecret: '' })).toBe('sk_test_1');
		expect(secretMaterial('salesOsClientCredentialsApi', { clientId: 'id' })).toBe('');
	});

	test('a new nonce per registration, readable back from the subscription description', () => {
		const nonce = newNonce();
		expect(nonce).toMatch(/^[0-9a-f]{32}$/);
		expect(newNonce()).not.toBe(nonce);
		expect(nonceInDescription({ description: describeWithNonce('n8n workflow "X" (SalesOS Trigger)', nonce) })).toBe(nonce);
		expect(nonceInDescription({ description: 'added by hand' })).toBeUndefined();
		expect(nonceInDescription(undefined)).toBeUndefined();
	});
});

describe('rotation window', () => {
	test('the previous nonce is accepted until its expiry, then only the current one', () => {
		const now = 1_000_000;
		const rotated = rotatedNonces({ nonce: 'old' }, 'new', 60, now);
		expect(rotated).toEqual({ nonce: 'new', previousNonce: 'old', previousNonceExpiresAt: now + 60_000 });
		expect(acceptedNonces(rotated, now)).toEqual(['new', 'old']);
		expect(acceptedNonces(rotated, now + 59_999)).toEqual(['new', 'old']);
		expect(acceptedNonces(rotated, now + 60_000)).toEqual(['new']);
	});

	test('an overlap of 0 seconds, or a first registration, keeps no previous nonce', () => {
		expect(rotatedNonces({ nonce: 'old' }, 'new', 0)).toEqual({ nonce: 'new' });
		expect(rotatedNonces({}, 'new', 3600)).toEqual({ nonce: 'new' });
	});
});

describe('lookup rate limit', () => {
	beforeEach(() => resetSigningSecretMemory());

	test('one SalesOS lookup per trigger per interval in a process; other triggers have their own', () => {
		const start = 5_000_000;
		expect(mayLookUp('wf:a', start)).toBe(true);
		expect(mayLookUp('wf:a', start + 1)).toBe(false);
		expect(mayLookUp('wf:a', start + LOOKUP_INTERVAL_MS - 1)).toBe(false);
		expect(mayLookUp('wf:b', start + 1)).toBe(true);
		expect(mayLookUp('wf:a', start + LOOKUP_INTERVAL_MS)).toBe(true);
	});
});
