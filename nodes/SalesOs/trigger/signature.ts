import { createHmac, timingSafeEqual } from 'crypto';

export const SIGNATURE_HEADER = 'x-salesos-signature';

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/**
 * Checks `X-SalesOS-Signature` against the raw request bytes, never a re-serialised body: JSON
 * parsing and printing can change whitespace, key order or number formatting.
 */
export function verifySignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secret: string,
): SignatureCheck {
	if (header === undefined || header === '') {
		return { valid: false, reason: 'Missing X-SalesOS-Signature header' };
	}
	const match = typeof header === 'string' ? SIGNATURE_FORMAT.exec(header.trim()) : null;
	if (match === null) {
		return { valid: false, reason: 'Malformed X-SalesOS-Signature header, expected sha256=<64 hex digits>' };
	}
	const provided = Buffer.from(match[1], 'hex');
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	// timingSafeEqual throws on different lengths; the format check above already pins the length.
	if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
		return { valid: false, reason: 'Invalid signature' };
	}
	return { valid: true };
}
