import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { SalesOsAuthentication } from './credentialTypes';
import type { AttemptFailure } from './retry';

export interface SalesOsErrorDetail {
	field: string;
	message: string;
	/** Position of the bad item in a Default Integration batch. */
	index?: number;
}

/** Structured error data, on `error.context.salesOs` (and usable on an error output). */
export interface SalesOsErrorInfo {
	/** HTTP status; absent when no response arrived (network failure, token endpoint). */
	status?: number;
	/** SalesOS `error.code`, or ours: NETWORK_ERROR, TOKEN_REQUEST_FAILED, HTTP_<status>. */
	code: string;
	message: string;
	details: SalesOsErrorDetail[];
	/** 409: the record that already exists, when SalesOS says which. */
	existingId?: string;
	/** 429: the wait SalesOS asked for on the last attempt. */
	retryAfterSeconds?: number;
	attempts?: number;
	waitedSeconds?: number;
	/** An earlier attempt failed in a way that may have reached SalesOS (see retry.ts). */
	retriedAfterAmbiguousFailure?: boolean;
	/** A POST whose answer was lost (broken connection, 500/502/504): SalesOS may have carried it out. */
	mayHaveBeenProcessed?: boolean;
	method?: string;
	/** Request path relative to the API base, e.g. `/leads/abc`. */
	path?: string;
}

export interface FailureContext {
	method: string;
	path: string;
	apiLabel: string;
	authentication: SalesOsAuthentication;
	attempts: number;
	waitedSeconds: number;
	retriedAfterAmbiguousFailure: boolean;
	mayHaveBeenProcessed: boolean;
	/** Why the retry loop stopped on a retryable failure, if it did. */
	gaveUp?: string;
	retryAfterSeconds?: number;
	itemIndex?: number;
	/** Values that must never appear in a message (credential secrets, tokens). */
	secrets: string[];
}

/** Removes secrets, bearer tokens, signatures and API keys from text shown to users. */
function redact(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) result = result.split(secret).join('***');
	}
	return result
		.replace(/(Bearer|P2S-SIGN-V1)\s+\S+/gi, '$1 ***')
		.replace(/\bsk_(live|test)_[A-Za-z0-9_-]+/g, 'sk_$1_***');
}

/** redact() applied to every string inside a value (redacting serialised JSON could cut a closing quote). */
function redactValues<T>(value: T, secrets: string[]): T {
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => redactValues(entry, secrets)) as T;
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, redactValues(entry, secrets)]),
		) as T;
	}
	return value;
}

interface SalesOsErrorBody {
	error?: {
		code?: unknown;
		message?: unknown;
		details?: unknown;
		existing_id?: unknown;
		retry_after?: unknown;
	};
	message?: unknown;
}

function parseDetails(raw: unknown): SalesOsErrorDetail[] {
	if (!Array.isArray(raw)) return [];
	return raw
		.filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object')
		.map((entry) => ({
			field: typeof entry.field === 'string' ? entry.field : '',
			message: typeof entry.message === 'string' ? entry.message : JSON.stringify(entry),
			...(typeof entry.index === 'number' ? { index: entry.index } : {}),
		}));
}

function describeDetail(detail: SalesOsErrorDetail): string {
	const where = detail.index === undefined ? '' : `item ${detail.index}: `;
	return `${where}${detail.field || '(record)'}: ${detail.message}`;
}

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function credentialHint(authentication: SalesOsAuthentication, status: 401 | 403): string {
	if (authentication === 'apiKey') {
		return status === 401
			? 'Check the API Key in the SalesOS (API Key) API credential (sk_live_… for production, sk_test_… for testing) and, if set, its API Secret: a wrong secret makes every signed request fail.'
			: 'Check that the API key in the SalesOS (API Key) API credential has the scope this endpoint needs (the Default Integration needs default:sync).';
	}
	return status === 401
		? 'n8n fetched a fresh access token and SalesOS still refused it. Check Client ID, Client Secret and Audience in the SalesOS (Client Credentials) API credential; the Audience must be the SalesOS API (https://api.play2sell.com).'
		: 'The access token is valid but not allowed to do this. Check the API client’s permissions in SalesOS and the Audience in the SalesOS (Client Credentials) API credential.';
}

function waitedPhrase(context: FailureContext): string {
	const retries = context.attempts - 1;
	const retryCount = retries === 1 ? '1 retry' : `${retries} retries`;
	return `after ${plural(context.attempts, 'attempt')} (${retryCount}, ${Math.round(context.waitedSeconds)} s waited)`;
}

interface Wording {
	message: string;
	description: string;
}

type DescribedFailure = Wording & { info: SalesOsErrorInfo };

/** What every message may use: the request as `METHOD /path` and the info every failure carries. */
interface Described {
	request: string;
	context: FailureContext;
	info: Omit<SalesOsErrorInfo, 'code' | 'message' | 'details'>;
}

/** The message, description and structured info for a failed request. */
export function describeFailure(failure: AttemptFailure, context: FailureContext): DescribedFailure {
	const described: Described = {
		request: `${context.method} ${context.path}`,
		context,
		info: {
			attempts: context.attempts,
			waitedSeconds: Math.round(context.waitedSeconds * 1000) / 1000,
			retriedAfterAmbiguousFailure: context.retriedAfterAmbiguousFailure,
			...(context.mayHaveBeenProcessed ? { mayHaveBeenProcessed: true } : {}),
			method: context.method,
			path: context.path,
		},
	};
	switch (failure.kind) {
		case 'http':
			return describeAnswer(failure, described);
		case 'network':
			return describeNetworkFailure(failure, described);
		default:
			return describeUnsentRequest(failure, described);
	}
}

function describeNetworkFailure(
	failure: Extract<AttemptFailure, { kind: 'network' }>,
	{ request, context, info }: Described,
): DescribedFailure {
	const networkInfo = { ...info, code: 'NETWORK_ERROR', message: failure.message, details: [] };
	if (context.mayHaveBeenProcessed) {
		return {
			message: `The connection to ${context.apiLabel} broke during ${request}: SalesOS may have carried it out`,
			description: `The answer was lost (${failure.code}: ${failure.message}). ${context.gaveUp ?? ''} Check in SalesOS whether it happened before running this item again.`.replace(/\s+/g, ' ').trim(),
			info: networkInfo,
		};
	}
	return {
		message: `Could not reach ${context.apiLabel} for ${request} ${waitedPhrase(context)}`,
		description: `The connection failed (${failure.code}: ${failure.message}). ${context.gaveUp ?? ''} Check the credential's environment or Host, and whether SalesOS is reachable from n8n.`.trim(),
		info: networkInfo,
	};
}

/** The access token could not be fetched, or the request could not be built: nothing reached SalesOS. */
function describeUnsentRequest(
	failure: Extract<AttemptFailure, { kind: 'token' | 'other' }>,
	{ request, info }: Described,
): DescribedFailure {
	const code = failure.kind === 'token' ? 'TOKEN_REQUEST_FAILED' : 'REQUEST_FAILED';
	return {
		message: failure.message,
		description: `${request} was not sent to SalesOS.`,
		info: { ...info, code, message: failure.message, details: [] },
	};
}

/** What SalesOS answered, for the wording of one status. */
interface Answer extends Described {
	status: number;
	info: SalesOsErrorInfo;
	/** SalesOS's own message ('' when it gave none). */
	serverMessage: string;
	/** " SalesOS said: <serverMessage>", or ''. */
	said: string;
	details: SalesOsErrorDetail[];
	detailLines: string[];
}

function describeAnswer(failure: Extract<AttemptFailure, { kind: 'http' }>, described: Described): DescribedFailure {
	const body = (failure.body && typeof failure.body === 'object' ? failure.body : {}) as SalesOsErrorBody;
	const apiError = body.error && typeof body.error === 'object' ? body.error : {};
	const serverMessage =
		typeof apiError.message === 'string'
			? apiError.message
			: typeof body.message === 'string'
				? body.message
				: typeof failure.body === 'string' && failure.body
					? failure.body.slice(0, 300)
					: '';
	const details = parseDetails(apiError.details);
	const { context } = described;
	const info: SalesOsErrorInfo = {
		...described.info,
		status: failure.status,
		code: typeof apiError.code === 'string' ? apiError.code : `HTTP_${failure.status}`,
		message: serverMessage,
		details,
		...(typeof apiError.existing_id === 'string' || typeof apiError.existing_id === 'number'
			? { existingId: String(apiError.existing_id) }
			: {}),
		...(context.retryAfterSeconds !== undefined ? { retryAfterSeconds: context.retryAfterSeconds } : {}),
	};
	const answer: Answer = {
		...described,
		status: failure.status,
		info,
		serverMessage,
		said: serverMessage ? ` SalesOS said: ${serverMessage}` : '',
		details,
		detailLines: details.map(describeDetail),
	};
	return { ...(WORDING_BY_STATUS[failure.status] ?? otherStatusWording)(answer), info };
}

function invalidRequestWording({ request, status, said, details, detailLines }: Answer): Wording {
	if (!details.length) {
		return { message: `SalesOS rejected ${request} as invalid (${status}).${said}`, description: `Check the request.${said}` };
	}
	return {
		message: `SalesOS rejected ${plural(details.length, 'field')} of ${request}: ${detailLines.join('; ')}`,
		description: `Fix these fields and run again:\n${detailLines.map((line) => `• ${line}`).join('\n')}`,
	};
}

/** The wording of the statuses SalesOS's contract gives a meaning; others read as otherStatusWording. */
const WORDING_BY_STATUS: Record<number, (answer: Answer) => Wording> = {
	400: invalidRequestWording,
	422: invalidRequestWording,
	401: ({ request, context, said }) => ({
		message: `SalesOS rejected the credentials (401) for ${request}`,
		description: `${credentialHint(context.authentication, 401)}${said}`,
	}),
	403: ({ request, context, said }) => ({
		message: `SalesOS refused access (403) to ${request}`,
		description: `${credentialHint(context.authentication, 403)}${said}`,
	}),
	404: ({ request, context, said }) => ({
		message: `SalesOS found nothing at ${context.path} (404)`,
		description: `${request} returned Not Found: check the ID or path.${said}`,
	}),
	409: ({ request, info, details, detailLines, serverMessage }) => {
		const field = details[0]?.field || 'unique field';
		const existing = info.existingId ? ` (existing record ${info.existingId})` : '';
		return {
			message: `SalesOS already has a record with this ${field}${existing} (409 Conflict)`,
			description: `${request} would create a duplicate: ${detailLines.join('; ') || serverMessage || 'a record with the same unique value exists'}. Update the existing record instead, or look it up by ${field}.`,
		};
	},
	429: ({ request, context, said }) => ({
		message: `SalesOS kept rate-limiting ${request} (429) ${waitedPhrase(context)}`,
		description: `${context.gaveUp ?? 'Retries exhausted.'} Raise Max Retries / Max Total Wait, lower the batch size or concurrency, or ask SalesOS for a higher rate limit.${said}`,
	}),
};

function otherStatusWording({ request, status, context, said }: Answer): Wording {
	const advice =
		status >= 500
			? 'A problem on SalesOS’s side: run the item again later; if it persists, give SalesOS support the request id from the debug log.'
			: `Check the request; SalesOS answered ${status}.`;
	return {
		message: `SalesOS failed with ${status} for ${request}${context.attempts > 1 ? ` ${waitedPhrase(context)}` : ''}`,
		description: `${context.gaveUp ?? ''}${said} ${advice}`.trim(),
	};
}

/** A NodeApiError carrying SalesOS-specific text and `context.salesOs`, with secrets removed. */
export function salesOsNodeError(node: INode, failure: AttemptFailure, context: FailureContext): NodeApiError {
	const { message, description, info } = describeFailure(failure, context);
	const clean = (text: string) => redact(text, context.secrets);
	const safeInfo = redactValues(info, context.secrets);
	// A plain object (not the AxiosError, which carries the request's Authorization header) as
	// the error response, so nothing secret is kept on the error.
	const error = new NodeApiError(node, { salesOs: safeInfo } as unknown as JsonObject, {
		message: clean(message),
		description: clean(description),
		...(safeInfo.status ? { httpCode: String(safeInfo.status) } : {}),
		...(context.itemIndex !== undefined ? { itemIndex: context.itemIndex } : {}),
	});
	// NodeApiError swaps messages containing codes like ECONNRESET for generic text: keep ours.
	error.message = clean(message);
	error.description = clean(description);
	error.context.salesOs = safeInfo as unknown as JsonObject;
	return error;
}

/** The SalesOS error info of an error thrown by the transport (or undefined for other errors). */
export function getSalesOsError(error: unknown): SalesOsErrorInfo | undefined {
	const context = (error as { context?: { salesOs?: unknown } } | undefined)?.context;
	const info = context?.salesOs;
	return info && typeof info === 'object' ? (info as SalesOsErrorInfo) : undefined;
}
