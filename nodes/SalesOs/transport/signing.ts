import { createHash, createHmac } from 'node:crypto';

/**
 * SalesOS request signing, scheme P2S-SIGN-V1:
 * `Authorization: P2S-SIGN-V1 <apiKey>:<timestamp>:<signature>` where the signature is the hex
 * of a chained HMAC-SHA256: k1 = HMAC(secret, apiKey), k2 = HMAC(k1, timestamp),
 * k3 = HMAC(k2, METHOD), k4 = HMAC(k3, PATH), sig = HMAC(k4, hex(SHA256(rawBody))).
 * PATH is the path as sent on the wire, with the query string; the body is hashed as sent.
 */
export interface SignatureInput {
	apiKey: string;
	apiSecret: string;
	/** Unix seconds. */
	timestamp: number;
	method: string;
	/** e.g. `/v1/leads?page=2`. */
	pathWithQuery: string;
	rawBody: string | Buffer;
}

export function p2sSignature(input: SignatureInput): string {
	const bodyHash = createHash('sha256').update(input.rawBody).digest('hex');
	const chain = [input.apiKey, String(input.timestamp), input.method.toUpperCase(), input.pathWithQuery];
	const key = chain.reduce<Buffer>(
		(previous, part) => createHmac('sha256', previous).update(part).digest(),
		Buffer.from(input.apiSecret, 'utf8'),
	);
	return createHmac('sha256', key).update(bodyHash).digest('hex');
}

export function p2sAuthorization(input: SignatureInput): string {
	return `P2S-SIGN-V1 ${input.apiKey}:${input.timestamp}:${p2sSignature(input)}`;
}
