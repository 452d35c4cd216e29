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
	type NodeApiError,
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

import { credentialTypeFor, type SalesOsAuthentication } from './credentialTypes';
import { resolveEndpoints, type SalesOsEndpoints } from './hosts';
import { salesOsNodeError } from './errors';
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
import {
	logAttempt,
	recordResponse,
	recordRetry,
	recordWait,
	requestIdOf,
	type AttemptLog,
} from './observability';
import { pacerFor, type ClientPacer } from './pacing';
import { pageSizeFor, readPages } from './paging';

export { getSalesOsError, type SalesOsErrorDetail, type SalesOsErrorInfo } from './errors';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export { activitySummary } from './observability';
export { MAX_PAGE_SIZE, pageSizeFor, readPages } from './paging';

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
	const attempts = new RequestAttempts(this, request, retryPolicy(retry), await credentialsFor(this, request));
	for (;;) {
		await attempts.waitForTurn();
		const outcome = await attempts.sendOnce();
		if ('response' in outcome) return attempts.succeeded(outcome.response);
		const plan = attempts.planRetry(outcome);
		attempts.logFailure(outcome, plan);
		if ('giveUp' in plan) throw plan.giveUp;
		await attempts.waitBeforeRetry(plan);
	}
}

async function credentialsFor(context: SalesOsFunctions, request: SalesOsRequest): Promise<ResolvedCredentials> {
	try {
		return await resolveCredentials(context);
	} catch (error) {
		// Missing credentials or an unusable Host: n8n's message already names the problem.
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex: request.itemIndex });
	}
}

/** One attempt that got no usable answer, with what it says about waiting. */
interface FailedAttempt {
	failure: AttemptFailure;
	/** The status or network error code: the log's status and the run's retry count key. */
	cause: string;
	rateLimited: boolean;
	/** Seconds SalesOS asked us to wait, if it said. */
	waitHint?: number;
	log: AttemptLog;
}

/** Either the wait before the next attempt, or the error to throw. */
type RetryPlan = { retryInSeconds: number; ambiguous: boolean } | { giveUp: NodeApiError };

/** The attempts of one request: what they waited, how often they failed and why. */
class RequestAttempts {
	private attempts = 0;
	private waitedSeconds = 0;
	private retriedAfterAmbiguousFailure = false;
	private retryAfterSeconds: number | undefined;
	// Max Retries counts failures; rate limiting is waited out within Max Total Wait instead.
	private failureRetries = 0;
	private rateLimitRetries = 0;
	private retriedWithNewToken = false;
	private startedAt = 0;
	private readonly pacer: ClientPacer;
	private readonly api: 'rest' | 'defaultIntegration';
	private readonly qs: IDataObject | undefined;
	/** The request as messages and logs name it: relative to the REST base; the Default Integration has its own. */
	private readonly shownPath: string;

	constructor(
		private readonly context: SalesOsFunctions,
		private readonly request: SalesOsRequest,
		private readonly policy: Required<RetryPolicy>,
		private readonly credentials: ResolvedCredentials,
	) {
		this.api = request.api ?? 'rest';
		this.qs = withoutEmpty(request.qs);
		this.shownPath = this.api === 'rest' ? request.path || '/' : `/functions/v1/default-integration${request.path}`;
		this.pacer = pacerFor(credentials.clientKey);
	}

	/** Waits for this client's turn under the rate limit (pacing.ts). */
	async waitForTurn(): Promise<void> {
		const paced = await this.pacer.acquire(Math.max(0, this.policy.maxWaitSeconds - this.waitedSeconds));
		recordWait(this.context, paced);
		this.waitedSeconds += paced;
	}

	async sendOnce(): Promise<{ response: IN8nHttpFullResponse } | FailedAttempt> {
		this.attempts++;
		this.startedAt = Date.now();
		const { endpoints, credentialType, decrypted } = this.credentials;
		const baseUrl = this.api === 'rest' ? endpoints.restBaseUrl : endpoints.defaultIntegrationUrl;
		// Fresh options per attempt: n8n's helper and the credential's authenticate mutate them.
		const options: IHttpRequestOptions = {
			method: this.request.method,
			url: `${baseUrl}${this.request.path}`,
			headers: { Accept: 'application/json' },
			json: true,
			returnFullResponse: true,
			...(this.qs ? { qs: this.qs } : {}),
			...(this.request.body !== undefined ? { body: this.request.body } : {}),
		};
		try {
			const helpers = (this.context as unknown as RequestContext).helpers;
			const response = await helpers.httpRequestWithAuthentication.call(this.context, credentialType, options, decrypted);
			return { response: response as IN8nHttpFullResponse };
		} catch (error) {
			return this.failedAttempt(classifyFailure(error));
		}
	}

	succeeded(response: IN8nHttpFullResponse): SalesOsResponse {
		const headers = normaliseHeaders(response.headers);
		this.pacer.settle(headers);
		recordResponse(this.context, headers);
		logAttempt(this.context, { ...this.attemptLog(), status: response.statusCode, requestId: requestIdOf(response.body) });
		return {
			...unwrapEnvelope(response.body),
			retriedAfterAmbiguousFailure: this.retriedAfterAmbiguousFailure,
			status: response.statusCode,
			attempts: this.attempts,
			waitedSeconds: this.waitedSeconds,
		};
	}

	/** Settles the attempt with the pacer and notes the wait SalesOS asked for. */
	private failedAttempt(failure: AttemptFailure): FailedAttempt {
		const headers = failure.kind === 'http' ? failure.headers : undefined;
		this.pacer.settle(headers);
		if (headers) recordResponse(this.context, headers);
		const cause = failure.kind === 'http' ? String(failure.status) : failure.kind === 'network' ? failure.code : failure.kind;
		const rateLimited = failure.kind === 'http' && failure.status === 429;
		const waitHint = waitHintSeconds(failure);
		if (waitHint !== undefined) this.retryAfterSeconds = waitHint;
		if (rateLimited && waitHint !== undefined) this.pacer.pause(waitHint);
		const requestId = failure.kind === 'http' ? requestIdOf(failure.body) : undefined;
		return { failure, cause, rateLimited, waitHint, log: { ...this.attemptLog(), status: cause, requestId } };
	}

	planRetry({ failure, rateLimited, waitHint }: FailedAttempt): RetryPlan {
		// n8n refreshed the token once and repeated the request with it. When another run of
		// this process had refreshed just before, that token can be one SalesOS expired too:
		// one more attempt makes n8n fetch a new one (see sharedAccessToken in tokens.ts).
		if (this.mayRetryWithNewToken(failure)) {
			this.retriedWithNewToken = true;
			return { retryInSeconds: 0, ambiguous: false };
		}
		const { retry, ambiguous } = retryDecision(failure, this.request.method, this.retrySafe());
		if (!retry) return { giveUp: this.error(failure, ambiguous) };
		const { maxRetries, maxWaitSeconds, backoffBaseSeconds } = this.policy;
		if (!rateLimited && this.failureRetries >= maxRetries) {
			return { giveUp: this.error(failure, ambiguous, `Gave up after the maximum of ${maxRetries} retries.`) };
		}
		const retryNumber = rateLimited ? ++this.rateLimitRetries : ++this.failureRetries;
		const neededSeconds = waitHint ?? backoffSeconds(retryNumber, backoffBaseSeconds);
		if (this.waitedSeconds + neededSeconds > maxWaitSeconds) {
			const gaveUp = `Stopped retrying: waiting another ${neededSeconds.toFixed(1)} s would exceed the maximum total wait of ${maxWaitSeconds} s.`;
			return { giveUp: this.error(failure, ambiguous, gaveUp) };
		}
		// A hint is honoured plus a random spread (within Max Total Wait), so the requests it held
		// back, in this run or others, do not all come back at once.
		const spread = waitHint === undefined ? 0 : Math.random() * Math.min(2, Math.max(0.2, waitHint * 0.5));
		return { retryInSeconds: Math.min(neededSeconds + spread, maxWaitSeconds - this.waitedSeconds), ambiguous };
	}

	logFailure({ log, cause }: FailedAttempt, plan: RetryPlan): void {
		if ('giveUp' in plan) {
			logAttempt(this.context, log);
			return;
		}
		logAttempt(this.context, { ...log, retryInSeconds: plan.retryInSeconds });
		recordRetry(this.context, cause);
	}

	async waitBeforeRetry({ retryInSeconds, ambiguous }: { retryInSeconds: number; ambiguous: boolean }): Promise<void> {
		if (ambiguous) this.retriedAfterAmbiguousFailure = true;
		if (retryInSeconds <= 0) return;
		await sleep(retryInSeconds * 1000);
		recordWait(this.context, retryInSeconds);
		this.waitedSeconds += retryInSeconds;
	}

	private mayRetryWithNewToken(failure: AttemptFailure): boolean {
		const refused = failure.kind === 'http' && failure.status === 401;
		return refused && this.credentials.authentication === 'clientCredentials' && !this.retriedWithNewToken;
	}

	private retrySafe(): boolean {
		return this.request.retrySafe ?? this.api === 'defaultIntegration';
	}

	private attemptLog(): Omit<AttemptLog, 'status'> {
		return {
			method: this.request.method,
			path: this.shownPath,
			attempt: this.attempts,
			waitedSeconds: this.waitedSeconds,
			durationMs: Date.now() - this.startedAt,
			queryParameters: Object.keys(this.qs ?? {}),
		};
	}

	private error(failure: AttemptFailure, ambiguous: boolean, gaveUp?: string): NodeApiError {
		const { method, itemIndex } = this.request;
		return salesOsNodeError(this.context.getNode(), failure, {
			method,
			path: this.shownPath,
			apiLabel: API_LABELS[this.api],
			authentication: this.credentials.authentication,
			attempts: this.attempts,
			waitedSeconds: this.waitedSeconds,
			retriedAfterAmbiguousFailure: this.retriedAfterAmbiguousFailure,
			mayHaveBeenProcessed: method === 'POST' && (ambiguous || this.retriedAfterAmbiguousFailure),
			gaveUp,
			retryAfterSeconds: this.retryAfterSeconds,
			itemIndex,
			secrets: this.credentials.secrets,
		});
	}
}

/**
 * Reads a list page by page (`page` from 1, `per_page` up to 100). With `returnAll: false` it
 * stops once `limit` records are in (default 50).
 */
export async function salesOsApiRequestAllItems(
	this: SalesOsFunctions,
	path: string,
	qs: IDataObject = {},
	{ returnAll, limit = 50 }: { returnAll: boolean; limit?: number },
	retry?: Partial<RetryPolicy>,
): Promise<IDataObject[]> {
	const wanted = returnAll ? Infinity : Math.max(0, limit);
	const records: IDataObject[] = [];
	await readPages(
		async (paging) => await salesOsApiRequest.call(this, { method: 'GET', path, qs: { ...qs, ...paging } }, retry),
		pageSizeFor(wanted),
		{
			wantsMore: () => records.length < wanted,
			take: (page) => {
				records.push(...page.slice(0, wanted - records.length));
				return true;
			},
		},
	);
	return records;
}
