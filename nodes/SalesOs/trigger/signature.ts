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
	return verifySignatureWithAny(rawBody, header, [secret]);
}

/** The reason of a well-formed signature that no secret produced: worth asking SalesOS about. */
export const NO_SECRET_MATCHED = 'Invalid signature';

/** Like verifySignature, for a delivery that any of several secrets may have signed (rotation). */
export function verifySignatureWithAny(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secrets: string[],
): SignatureCheck {
	if (header === undefined || header === '') {
		return { valid: false, reason: 'Missing X-SalesOS-Signature header' };
	}
	const match = typeof header === 'string' ? SIGNATURE_FORMAT.exec(header.trim()) : null;
	if (match === null) {
		return { valid: false, reason: 'Malformed X-SalesOS-Signature header, expected sha256=<64 hex digits>' };
	}
	const provided = Buffer.from(match[1], 'hex');
	// Every secret is compared, so the time taken does not tell which one came close.
	let matched = false;
	for (const secret of secrets) {
		const expected = createHmac('sha256', secret).update(rawBody).digest();
		// timingSafeEqual throws on different lengths; the format check above already pins the length.
		if (provided.length === expected.length && timingSafeEqual(provided, expected)) matched = true;
	}
	return matched ? { valid: true } : { valid: false, reason: NO_SECRET_MATCHED };
}
