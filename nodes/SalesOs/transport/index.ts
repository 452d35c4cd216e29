/**
 * The only code that talks HTTP to SalesOS. It owns the base URL per environment, JSON, the
 * `{data, meta}` envelope, pagination, retries and error mapping; every node calls it.
 *
 * Requests go through n8n's `httpRequestWithAuthentication`, which (n8n-core 2.40):
 * - runs the credential's preAuthentication when its token field is empty, applies its
 *   `authenticate`, and on a 401 refreshes the token once (preAuthentication with
 *   credentialsExpired) and repeats the request once; for the API-key credential, which has no
 *   token, it still repeats the request once. So a 401 reaching us is final.
 * - sends an object body as JSON (axios serialises it) and a string body byte for byte;
 *   `qs` is serialised by axios onto the URL.
 * - throws a NodeApiError whose `cause` is the AxiosError (see classifyFailure in retry.ts).
 */
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
import { pauseBeforeRateLimit, pauseContext, sendCounted, waitForPause } from './pacing';

export { getSalesOsError, type SalesOsErrorDetail, type SalesOsErrorInfo } from './errors';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

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
			return {
				authentication,
				credentialType,
				endpoints: resolveEndpoints(credentials),
				secrets,
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
	const { authentication, credentialType, endpoints, secrets, decrypted } = resolved;
	const baseUrl = api === 'rest' ? endpoints.restBaseUrl : endpoints.defaultIntegrationUrl;
	const qs = withoutEmpty(request.qs);

	let attempts = 0;
	let waitedSeconds = 0;
	let retriedAfterAmbiguousFailure = false;
	let retryAfterSeconds: number | undefined;

	const fail = (failure: AttemptFailure, gaveUp?: string) => {
		const failureContext: FailureContext = {
			method: request.method,
			// Paths in messages are relative to the REST base; the Default Integration has its own.
			path: api === 'rest' ? request.path || '/' : `/functions/v1/default-integration${request.path}`,
			apiLabel: API_LABELS[api],
			authentication,
			attempts,
			waitedSeconds,
			retriedAfterAmbiguousFailure,
			gaveUp,
			retryAfterSeconds,
			itemIndex: request.itemIndex,
			secrets,
		};
		return salesOsNodeError(context.getNode(), failure, failureContext);
	};

	for (;;) {
		waitedSeconds += await waitForPause(this);
		attempts++;
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
		try {
			const response = (await sendCounted(this, async () =>
				await context.helpers.httpRequestWithAuthentication.call(this, credentialType, options, decrypted),
			)) as IN8nHttpFullResponse;
			pauseBeforeRateLimit(this, normaliseHeaders(response.headers), policy.maxWaitSeconds);
			return {
				...unwrapEnvelope(response.body),
				retriedAfterAmbiguousFailure,
				status: response.statusCode,
				attempts,
				waitedSeconds,
			};
		} catch (error) {
			const failure = classifyFailure(error);
			if (failure.kind === 'http') pauseBeforeRateLimit(this, failure.headers, policy.maxWaitSeconds);
			const decision = retryDecision(failure, request.method, retrySafe);
			const hint = waitHintSeconds(failure);
			if (hint !== undefined) retryAfterSeconds = hint;
			if (!decision.retry) throw fail(failure);
			if (attempts > policy.maxRetries) {
				throw fail(failure, `Gave up after the maximum of ${policy.maxRetries} retries.`);
			}
			// A hint is honoured as given plus a little spread, so paused requests do not all return at once.
			const waitSeconds =
				hint !== undefined
					? hint + Math.random() * Math.min(1, hint * 0.1)
					: backoffSeconds(attempts, policy.backoffBaseSeconds);
			if (waitedSeconds + waitSeconds > policy.maxWaitSeconds) {
				throw fail(
					failure,
					`Stopped retrying: waiting another ${waitSeconds.toFixed(1)} s would exceed the maximum total wait of ${policy.maxWaitSeconds} s.`,
				);
			}
			if (decision.ambiguous) retriedAfterAmbiguousFailure = true;
			if (failure.kind === 'http' && failure.status === 429) pauseContext(this, waitSeconds);
			await sleep(waitSeconds * 1000);
			waitedSeconds += waitSeconds;
		}
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
