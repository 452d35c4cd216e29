// Response shapes shared by every route: the SalesOS envelope, errors, and the request context.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface FieldError {
	field: string;
	message: string;
	index?: number;
}

/** What a handler returns; the server writes it (or replaces it with a fault). */
export interface SandboxResponse {
	status: number;
	body?: unknown;
	/** Sent as-is instead of JSON when set. */
	rawBody?: string;
	headers?: Record<string, string>;
}

export interface RequestContext {
	req: IncomingMessage;
	method: string;
	/** Path without the query string. */
	pathname: string;
	query: URLSearchParams;
	params: Record<string, string>;
	rawBody: Buffer;
	/** Parsed JSON body (undefined when empty). */
	body: unknown;
	requestId: string;
	/** Set by authentication. */
	principal?: Principal;
}

export interface Principal {
	kind: 'token' | 'apiKey';
	/** client id for tokens, the key for API keys: the rate-limit bucket. */
	id: string;
	scopes: string[];
	rest: boolean;
}

/** Thrown by handlers and services; rendered as the SalesOS error envelope. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		/** null: no `details` in the body (as the Default Integration's spec examples). */
		readonly details: FieldError[] | null = [],
		/** Extra properties of `error` (existing_id, retry_after). */
		readonly extra: Record<string, unknown> = {},
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export const validationError = (details: FieldError[], message = 'Validation failed') =>
	new ApiError(422, 'VALIDATION_ERROR', `${message}: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);

export const notFound = (what: string, id: string) =>
	new ApiError(404, 'NOT_FOUND', `${what} ${id} not found`);

export function newRequestId(): string {
	return `req_${randomBytes(8).toString('hex')}`;
}

export function meta(requestId: string, extra: Record<string, unknown> = {}) {
	return { request_id: requestId, timestamp: new Date().toISOString(), ...extra };
}

export function ok(ctx: RequestContext, data: unknown, status = 200): SandboxResponse {
	return { status, body: { data, meta: meta(ctx.requestId) } };
}

export function noContent(): SandboxResponse {
	return { status: 204 };
}

export function errorResponse(requestId: string, error: ApiError): SandboxResponse {
	return {
		status: error.status,
		headers: error.headers,
		body: {
			error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}), ...error.extra },
			meta: meta(requestId),
		},
	};
}

/** The request body as a JSON object, or 400. */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
	const body = ctx.body ?? {};
	if (!isPlainObject(body)) {
		throw new ApiError(400, 'BAD_REQUEST', 'Request body must be a JSON object');
	}
	return body;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
