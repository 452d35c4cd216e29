// Authentication: the OAuth client-credentials token endpoint, Bearer tokens, API keys and
// P2S-SIGN-V1 signed requests.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ApiError, isPlainObject, type Principal, type RequestContext, type SandboxResponse } from './http';
import type { SandboxState } from './state';

const SIGNING_KEY = randomBytes(32);

/** Auth0-shaped token endpoint errors: `{error, error_description}`. */
const oauthError = (status: number, error: string, description: string): SandboxResponse => ({
	status,
	body: { error, error_description: description },
});

export function issueToken(state: SandboxState, ctx: RequestContext, origin: string): SandboxResponse {
	const contentType = String(ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	let body: Record<string, unknown>;
	if (contentType === 'application/json') {
		if (!isPlainObject(ctx.body)) return oauthError(400, 'invalid_request', 'Request body must be a JSON object');
		body = ctx.body;
	} else if (contentType === 'application/x-www-form-urlencoded' && state.settings.tokenAcceptsFormEncoded) {
		body = Object.fromEntries(new URLSearchParams(ctx.rawBody.toString('utf8')));
	} else {
		return oauthError(400, 'invalid_request', 'Content-Type must be application/json');
	}
	const missing = ['client_id', 'client_secret', 'audience', 'grant_type'].filter(
		(field) => typeof body[field] !== 'string' || body[field] === '',
	);
	if (missing.length) return oauthError(400, 'invalid_request', `Missing required parameter: ${missing.join(', ')}`);
	if (body.grant_type !== 'client_credentials') {
		return oauthError(403, 'unsupported_grant_type', `Grant type '${String(body.grant_type)}' not allowed for the client.`);
	}
	const client = state.settings.clients.find((candidate) => candidate.clientId === body.client_id);
	if (!client || !safeEqual(client.clientSecret, String(body.client_secret))) {
		return oauthError(401, 'access_denied', 'Unauthorized');
	}
	if (body.audience !== state.settings.audience) {
		return oauthError(403, 'access_denied', `Service not found: ${String(body.audience)}`);
	}
	const ttl = state.settings.tokenTtlSeconds;
	const token = signJwt({
		iss: `${origin}/`,
		sub: `${client.clientId}@clients`,
		aud: state.settings.audience,
		iat: Math.floor(Date.now() / 1000),
		exp: Math.floor(Date.now() / 1000 + ttl),
		gty: 'client-credentials',
		jti: randomUUID(),
	});
	state.tokens.set(token, { clientId: client.clientId, expiresAtMs: Date.now() + ttl * 1000 });
	state.tokensIssued++;
	return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: Math.ceil(ttl) } };
}

function signJwt(payload: Record<string, unknown>): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
	return `${unsigned}.${createHmac('sha256', SIGNING_KEY).update(unsigned).digest('base64url')}`;
}

const unauthorized = (code: string, message: string) =>
	new ApiError(401, code, message, [], {}, { 'WWW-Authenticate': 'Bearer realm="salesos"' });

/** Who is calling; throws 401 for missing/invalid/expired credentials. */
export function authenticate(state: SandboxState, ctx: RequestContext): Principal {
	const header = ctx.req.headers.authorization;
	if (!header) throw unauthorized('UNAUTHORIZED', 'Missing Authorization header');
	const [scheme, ...rest] = header.split(' ');
	const credential = rest.join(' ').trim();
	if (scheme === 'P2S-SIGN-V1') return verifySignedRequest(state, ctx, credential);
	if (scheme.toLowerCase() !== 'bearer' || !credential) {
		throw unauthorized('UNAUTHORIZED', 'Authorization must be "Bearer <token or API key>" or "P2S-SIGN-V1 <key>:<timestamp>:<signature>"');
	}
	if (credential.startsWith('sk_')) {
		const key = state.settings.apiKeys.find((candidate) => candidate.key === credential);
		if (!key) throw unauthorized('UNAUTHORIZED', 'Invalid API key');
		if (key.requireSignature) throw unauthorized('UNAUTHORIZED', 'This API key requires signed requests (P2S-SIGN-V1)');
		return { kind: 'apiKey', id: key.key, scopes: key.scopes, rest: key.rest };
	}
	const token = state.tokens.get(credential);
	if (!token) throw unauthorized('INVALID_TOKEN', 'Invalid access token');
	if (Date.now() >= token.expiresAtMs) throw unauthorized('TOKEN_EXPIRED', 'Access token expired');
	return { kind: 'token', id: token.clientId, scopes: [], rest: true };
}

/** P2S-SIGN-V1: chained HMAC over key, timestamp, METHOD, path with query as sent, SHA-256 of the body. */
export function p2sSignature(secret: string, apiKey: string, timestamp: string, method: string, path: string, body: Buffer | string) {
	const step = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
	const k4 = step(step(step(step(secret, apiKey), timestamp), method.toUpperCase()), path);
	const bodyHash = createHash('sha256').update(body).digest('hex');
	return createHmac('sha256', k4).update(bodyHash).digest('hex');
}

function verifySignedRequest(state: SandboxState, ctx: RequestContext, credential: string): Principal {
	const parts = credential.split(':');
	if (parts.length < 3) throw unauthorized('INVALID_SIGNATURE', 'Malformed P2S-SIGN-V1 header: expected <API_KEY>:<TIMESTAMP>:<SIGNATURE>');
	const signature = parts.pop()!;
	const timestamp = parts.pop()!;
	const apiKey = parts.join(':');
	const key = state.settings.apiKeys.find((candidate) => candidate.key === apiKey);
	if (!key) throw unauthorized('UNAUTHORIZED', 'Invalid API key');
	if (!/^\d+$/.test(timestamp)) throw unauthorized('INVALID_SIGNATURE', 'P2S-SIGN-V1 timestamp must be Unix seconds');
	const skew = Math.abs(Date.now() / 1000 - Number(timestamp));
	const window = state.settings.signatureWindowSeconds;
	if (skew > window) {
		throw unauthorized('SIGNATURE_EXPIRED', `P2S-SIGN-V1 timestamp is ${Math.round(skew)} s away from server time (allowed: ${window} s)`);
	}
	const expected = p2sSignature(key.secret, apiKey, timestamp, ctx.method, ctx.req.url ?? '/', ctx.rawBody);
	if (!safeEqual(expected, signature.toLowerCase())) {
		throw unauthorized('INVALID_SIGNATURE', 'P2S-SIGN-V1 signature does not match the request (method, path with query, body or secret differ)');
	}
	return { kind: 'apiKey', id: key.key, scopes: key.scopes, rest: key.rest };
}

function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

/** REST needs an OAuth token or a key with REST access; the Default Integration needs default:sync. */
export function authorize(principal: Principal, api: 'rest' | 'defaultIntegration') {
	if (principal.kind === 'token') return;
	if (api === 'rest' && !principal.rest) {
		throw new ApiError(403, 'FORBIDDEN', 'This API key may not call the REST API; use an OAuth client or a key with REST access');
	}
	if (api === 'defaultIntegration' && !principal.scopes.includes('default:sync')) {
		throw new ApiError(403, 'FORBIDDEN', 'This API key lacks the scope default:sync required by the Default Integration');
	}
}

const diUnauthorized = (message: string) => new ApiError(401, 'UNAUTHORIZED', message, null);

/**
 * The Default Integration as Play2Sell's spec documents it: `Bearer sk_live_…|sk_test_…` only
 * (an OAuth token or a P2S-SIGN-V1 header is refused), 403 without the scope default:sync.
 */
export function authenticateDefaultIntegration(state: SandboxState, ctx: RequestContext): Principal {
	const match = /^Bearer\s+(\S+)$/.exec(String(ctx.req.headers.authorization ?? '').trim());
	if (!match) throw diUnauthorized('Missing or malformed Authorization header. Expected: Bearer sk_live_xxx');
	const credential = match[1];
	if (!/^sk_(live|test)_/.test(credential)) throw diUnauthorized('Invalid API key prefix. Expected sk_live_ or sk_test_');
	const key = state.settings.apiKeys.find((candidate) => candidate.key === credential);
	if (!key) throw diUnauthorized('Invalid or expired API key');
	if (!key.scopes.includes('default:sync')) {
		throw new ApiError(403, 'FORBIDDEN', 'API key missing required scopes: default:sync', null);
	}
	return { kind: 'apiKey', id: key.key, scopes: key.scopes, rest: key.rest };
}
