/**
 * The only code that talks HTTP to SalesOS. It owns the base URL per environment, JSON, the
 * `{data, meta}` envelope, pagination, retries and error mapping; every node calls it.
 *
 * Requests go through n8n's `httpRequestWithAuthentication`, which (n8n-core 2.40 and 1.122):
 * - runs the credential's preAuthentication when its token field is empty, applies its
 *   `authenticate`, and on a 401 refreshes the token once (preAuthentication with
 *   credentialsExpired) and repeats the request once; for the API-key credential, which has no
 *   token, it still repeats the request once. The client-credentials token is shared by the whole
 *   process (tokens.ts), so a 401 reaching us gets one more attempt for that credential only.
 * - leaves pacing to us: every request of the process for one SalesOS client waits its turn in
 *   that client's pacer (pacing.ts).
 * - sends an object body as JSON (axios serialises it) and a string body byte for byte;
 *   `qs` is serialised by axios onto the URL.
 * - throws a NodeApiError: with the AxiosError as `cause` on n8n 2.x, with only the status
 *   and JSON body on n8n 1.x (see classifyFailure in retry.ts). n8n 1.x behaves the same otherwise.
 */
import { createHash } from 'node:crypto';
import {
	NodeOperationError,
	sleep,
	type IAdditionalCredentialOptions,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type INode,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { credentialTypeFor, type SalesOsAuthentication } from './authentication';
import { resolveEndpoints, type SalesOsEndpoints } from './hosts';
import { salesOsNodeError, type FailureContext } from './errors';
import {
	backoffSeconds,
	classifyFailure,
	DEFAULT_RETRY_POLICY,
	normaliseHeaders,
	retryDecision,
	waitHintSeconds,
	type AttemptFailure,
	type RetryPolicy,
} from './retry';
import { logAttempt, recordResponse, recordRetry, recordWait, requestIdOf } from './observability';
import { pacerFor } from './pacing';

export { getSalesOsError, type SalesOsErrorDetail, type SalesOsErrorInfo } from './errors';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export { activitySummary } from './observability';

export type SalesOsFunctions =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface SalesOsRequest {
	method: IHttpRequestMethods;
	/** Relative to the API base, e.g. '/leads/abc' (REST) or '' (Default Integration). */
	path: string;
	body?: IDataObject | IDataObject[];
	qs?: IDataObject;
	/** 'rest' (default): `<origin>/v1`; 'defaultIntegration': `<origin>/functions/v1/default-integration`. */
	api?: 'rest' | 'defaultIntegration';
	/**
	 * A POST is repeated after a failure that may have reached SalesOS (reset, timeout, 500,
	 * 502, 504) only when the caller says a duplicate would come back as 409 (lead create with
	 * email, anything with an external id). Default Integration calls default to true: SalesOS
	 * deduplicates them by email / external_id.
	 */
	retrySafe?: boolean;
	/** The item the request is for, so errors point at it. */
	itemIndex?: number;
}

export interface SalesOsResponse {
	/** The envelope's `data`: a record, a list, or null for 204. */
	data: any;
	meta: IDataObject;
	/** An earlier attempt may have been processed (a 409 now likely means "we created it"). */
	retriedAfterAmbiguousFailure: boolean;
	status: number;
	attempts: number;
	waitedSeconds: number;
}

interface RequestContext {
	getNode(): INode;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequestWithAuthentication'>;
}

const API_LABELS = { rest: 'the SalesOS API', defaultIntegration: 'the SalesOS Default Integration' };

function authenticationOf(context: SalesOsFunctions): SalesOsAuthentication {
	const value =
		'getInputData' in context
			? (context as IExecuteFunctions).getNodeParameter('authentication', 0, 'clientCredentials')
			: (context as ILoadOptionsFunctions).getNodeParameter('authentication', 'clientCredentials');
	return value === 'apiKey' ? 'apiKey' : 'clientCredentials';
}

interface ResolvedCredentials {
	authentication: SalesOsAuthentication;
	credentialType: string;
	endpoints: SalesOsEndpoints;
	secrets: string[];
	/** Names the SalesOS client whose rate limit the requests spend (see pacing.ts). */
	clientKey: string;
	/**
	 * Handed to every request of the run, so n8n does not decrypt the credential again for each
	 * one. n8n writes a refreshed token into this same object, so later requests use it.
	 */
	decrypted: IAdditionalCredentialOptions;
}

/** Credentials are read once per node run (context), not once per request. */
const resolvedByContext = new WeakMap<object, Promise<ResolvedCredentials>>();

async function resolveCredentials(context: SalesOsFunctions): Promise<ResolvedCredentials> {
	let resolved = resolvedByContext.get(context);
	if (!resolved) {
		resolved = (async () => {
			const authentication = authenticationOf(context);
			const credentialType = credentialTypeFor(authentication);
			const credentials = await (context as unknown as RequestContext).getCredentials(credentialType);
			const secrets = ['clientSecret', 'accessToken', 'apiKey', 'apiSecret']
				.map((field) => credentials[field])
				.filter((value): value is string => typeof value === 'string' && value !== '');
			const { id, name } = context.getNode().credentials?.[credentialType] ?? {};
			const endpoints = resolveEndpoints(credentials);
			return {
				authentication,
				credentialType,
				endpoints,
				secrets,
				clientKey: createHash('sha256')
					.update([endpoints.restBaseUrl, credentialType, credentials.clientId ?? credentials.apiKey].join('\n'))
					.digest('hex'),
				decrypted: { credentialsDecrypted: { id: id ?? '', name: name ?? '', type: credentialType, data: credentials } },
			};
		})();
		resolvedByContext.set(context, resolved);
		resolved.catch(() => resolvedByContext.delete(context));
	}
	return await resolved;
}

function withoutEmpty(qs: IDataObject | undefined): IDataObject | undefined {
	if (!qs) return undefined;
	const entries = Object.entries(qs).filter(([, value]) => value !== undefined && value !== null);
	return entries.length ? Object.fromEntries(entries) : undefined;
}

function unwrapEnvelope(body: unknown): { data: unknown; meta: IDataObject } {
	if (body && typeof body === 'object' && !Array.isArray(body) && 'data' in body) {
		const envelope = body as { data: unknown; meta?: IDataObject };
		return { data: envelope.data, meta: envelope.meta ?? {} };
	}
	// 204 (DELETE) has no body; anything else without an envelope is passed through as is.
	return { data: body === '' || body === undefined ? null : body, meta: {} };
}

/** The defaults, overridden by every setting that is a usable number (options may be unset or blank). */
function retryPolicy(overrides: Partial<RetryPolicy>): Required<RetryPolicy> {
	const policy = { ...DEFAULT_RETRY_POLICY };
	for (const key of Object.keys(policy) as Array<keyof RetryPolicy>) {
		const value = overrides[key];
		if (typeof value === 'number' && Number.isFinite(value) && value >= 0) policy[key] = value;
	}
	return policy;
}

/** Sends one request to SalesOS, retrying per `retry` (see retry.ts for what is retried). */
export async function salesOsApiRequest(
	this: SalesOsFunctions,
	request: SalesOsRequest,
	retry: Partial<RetryPolicy> = {},
): Promise<SalesOsResponse> {
	const policy = retryPolicy(retry);
	const context = this as unknown as RequestContext;
	const api = request.api ?? 'rest';
	const retrySafe = request.retrySafe ?? api === 'defaultIntegration';
	let resolved: ResolvedCredentials;
	try {
		resolved = await resolveCredentials(this);
	} catch (error) {
		// Missing credentials or an unusable Host: n8n's message already names the problem.
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex: request.itemIndex });
	}
	const { authentication, credentialType, endpoints, secrets, clientKey, decrypted } = resolved;
	const baseUrl = api === 'rest' ? endpoints.restBaseUrl : endpoints.defaultIntegrationUrl;
	const qs = withoutEmpty(request.qs);

	let attempts = 0;
	let waitedSeconds = 0;
	let retriedAfterAmbiguousFailure = false;
	let retryAfterSeconds: number | undefined;

	const fail = (failure: AttemptFailure, ambiguous: boolean, gaveUp?: string) => {
		const failureContext: FailureContext = {
			method: request.method,
			// Paths in messages are relative to the REST base; the Default Integration has its own.
			path: api === 'rest' ? request.path || '/' : `/functions/v1/default-integration${request.path}`,
			apiLabel: API_LABELS[api],
			authentication,
			attempts,
			waitedSeconds,
			retriedAfterAmbiguousFailure,
			mayHaveBeenProcessed: request.method === 'POST' && (ambiguous || retriedAfterAmbiguousFailure),
			gaveUp,
			retryAfterSeconds,
			itemIndex: request.itemIndex,
			secrets,
		};
		return salesOsNodeError(context.getNode(), failure, failureContext);
	};

	const logPath = api === 'rest' ? request.path || '/' : `/functions/v1/default-integration${request.path}`;
	const queryParameters = Object.keys(qs ?? {});
	const pacer = pacerFor(clientKey);
	// Max Retries counts failures; rate limiting is waited out within Max Total Wait instead.
	let failureRetries = 0;
	let rateLimitRetries = 0;
	let retriedWithNewToken = false;
	for (;;) {
		const paced = await pacer.acquire(Math.max(0, policy.maxWaitSeconds - waitedSeconds));
		recordWait(this, paced);
		waitedSeconds += paced;
		attempts++;
		const startedAt = Date.now();
		const attemptLog = () => ({
			method: request.method,
			path: logPath,
			attempt: attempts,
			waitedSeconds,
			durationMs: Date.now() - startedAt,
			queryParameters,
		});
		// Fresh options per attempt: n8n's helper and the credential's authenticate mutate them.
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			headers: { Accept: 'application/json' },
			json: true,
			returnFullResponse: true,
			...(qs ? { qs } : {}),
			...(request.body !== undefined ? { body: request.body } : {}),
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				this,
				credentialType,
				options,
				decrypted,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			const failure = classifyFailure(error);
			const failureHeaders = failure.kind === 'http' ? failure.headers : undefined;
			pacer.settle(failureHeaders);
			if (failureHeaders) recordResponse(this, failureHeaders);
			const cause = failure.kind === 'http' ? String(failure.status) : failure.kind === 'network' ? failure.code : failure.kind;
			const failureLog = { ...attemptLog(), status: cause, requestId: failure.kind === 'http' ? requestIdOf(failure.body) : undefined };
			const rateLimited = failure.kind === 'http' && failure.status === 429;
			const hint = waitHintSeconds(failure);
			if (hint !== undefined) retryAfterSeconds = hint;
			if (rateLimited && hint !== undefined) pacer.pause(hint);
			// n8n refreshed the token once and repeated the request with it. When another run of
			// this process had refreshed just before, that token can be one SalesOS expired too:
			// one more attempt makes n8n fetch a new one (see sharedAccessToken in tokens.ts).
			if (failure.kind === 'http' && failure.status === 401 && authentication === 'clientCredentials' && !retriedWithNewToken) {
				retriedWithNewToken = true;
				logAttempt(this, { ...failureLog, retryInSeconds: 0 });
				recordRetry(this, cause);
				continue;
			}
			const decision = retryDecision(failure, request.method, retrySafe);
			if (!decision.retry) {
				logAttempt(this, failureLog);
				throw fail(failure, decision.ambiguous);
			}
			if (!rateLimited && failureRetries >= policy.maxRetries) {
				logAttempt(this, failureLog);
				throw fail(failure, decision.ambiguous, `Gave up after the maximum of ${policy.maxRetries} retries.`);
			}
			if (rateLimited) rateLimitRetries++;
			else failureRetries++;
			const neededSeconds = hint ?? backoffSeconds(rateLimited ? rateLimitRetries : failureRetries, policy.backoffBaseSeconds);
			if (waitedSeconds + neededSeconds > policy.maxWaitSeconds) {
				logAttempt(this, failureLog);
				throw fail(
					failure,
					decision.ambiguous,
					`Stopped retrying: waiting another ${neededSeconds.toFixed(1)} s would exceed the maximum total wait of ${policy.maxWaitSeconds} s.`,
				);
			}
			// A hint is honoured plus a random spread (within Max Total Wait), so the requests it held
			// back, in this run or others, do not all come back at once.
			const spread = hint === undefined ? 0 : Math.random() * Math.min(2, Math.max(0.2, hint * 0.5));
			const waitSeconds = Math.min(neededSeconds + spread, policy.maxWaitSeconds - waitedSeconds);
			logAttempt(this, { ...failureLog, retryInSeconds: waitSeconds });
			recordRetry(this, cause);
			if (decision.ambiguous) retriedAfterAmbiguousFailure = true;
			await sleep(waitSeconds * 1000);
			recordWait(this, waitSeconds);
			waitedSeconds += waitSeconds;
			continue;
		}
		const headers = normaliseHeaders(response.headers);
		pacer.settle(headers);
		recordResponse(this, headers);
		logAttempt(this, { ...attemptLog(), status: response.statusCode, requestId: requestIdOf(response.body) });
		return {
			...unwrapEnvelope(response.body),
			retriedAfterAmbiguousFailure,
			status: response.statusCode,
			attempts,
			waitedSeconds,
		};
	}
}

export const MAX_PAGE_SIZE = 100;

/**
 * Reads a list page by page (`page` from 1, `per_page` up to 100). With `returnAll: false` it
 * stops once `limit` records are in (default 50). The page size stays the same for every page,
 * `min(100, limit)`, because `page` is an offset in units of `per_page`: shrinking it for the
 * last page would re-read records.
 */
export async function salesOsApiRequestAllItems(
	this: SalesOsFunctions,
	path: string,
	qs: IDataObject = {},
	{ returnAll, limit = 50 }: { returnAll: boolean; limit?: number },
	retry?: Partial<RetryPolicy>,
): Promise<IDataObject[]> {
	const wanted = returnAll ? Infinity : Math.max(0, limit);
	const perPage = Math.min(MAX_PAGE_SIZE, wanted);
	const records: IDataObject[] = [];
	for (let page = 1; records.length < wanted; page++) {
		const { data, meta } = await salesOsApiRequest.call(
			this,
			{ method: 'GET', path, qs: { ...qs, page, per_page: perPage } },
			retry,
		);
		const pageRecords = (Array.isArray(data) ? data : []) as IDataObject[];
		records.push(...pageRecords.slice(0, wanted - records.length));
		const totalPages = Number(meta.total_pages);
		const lastPage = Number.isFinite(totalPages) ? page >= totalPages : pageRecords.length < perPage;
		if (lastPage || pageRecords.length === 0) break;
	}
	return records;
}
