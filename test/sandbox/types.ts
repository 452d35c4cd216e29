// Public types of the SalesOS sandbox (records, settings, faults, deliveries, control payloads).

export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'unqualified' | 'converted';
export type DealStatus = 'open' | 'won' | 'lost';
export type UserRole = 'admin' | 'manager' | 'sales_rep';
export type UserStatus = 'active' | 'invited' | 'deactivated';

export type CustomFields = Record<string, unknown>;

export interface Lead {
	id: string;
	name: string;
	email: string;
	phone: string | null;
	company: string | null;
	position: string | null;
	source: string | null;
	status: LeadStatus;
	owner_id: string | null;
	team_id: string | null;
	tags: string[];
	custom_fields: CustomFields;
	created_at: string;
	updated_at: string;
}

export interface StageRef {
	id: string;
	name: string;
	probability: number;
}

export interface Stage extends StageRef {
	position: number;
}

export interface Deal {
	id: string;
	name: string;
	value: number;
	stage: StageRef;
	status: DealStatus;
	contact_name: string | null;
	contact_email: string | null;
	company: string | null;
	owner_id: string | null;
	team_id: string | null;
	expected_close_date: string | null;
	priority: string | null;
	lead_id: string | null;
	close_reason: string | null;
	custom_fields: CustomFields;
	created_at: string;
	updated_at: string;
}

export interface User {
	id: string;
	name: string;
	email: string;
	role: UserRole;
	team_id: string | null;
	status: UserStatus;
	created_at: string;
	updated_at: string;
}

export interface Team {
	id: string;
	name: string;
	created_at: string;
}

/** A webhook subscription as stored; `secret` and `consecutive_failures` never leave through REST. */
export interface WebhookSubscription {
	id: string;
	url: string;
	events: string[];
	active: boolean;
	description: string | null;
	secret: string;
	consecutive_failures: number;
	created_at: string;
	updated_at: string;
}

export interface Collaborator {
	external_id: string | null;
	name: string | null;
	email: string;
	phone: string | null;
	document: string | null;
	team: string | null;
	role: string | null;
	metadata: unknown;
	created_at: string;
	updated_at: string;
}

export interface Activity {
	external_id: string;
	activity_code: string;
	collaborator_email: string;
	data: unknown;
	occurred_at: string | null;
	received_at: string;
}

export type RecordResource = 'leads' | 'deals' | 'users';

export interface ApiKeyConfig {
	key: string;
	/** Signing secret for P2S-SIGN-V1. */
	secret: string;
	/** Documented scope: 'default:sync' (Default Integration). */
	scopes: string[];
	/** May this key call the REST API (/v1/*)? false → 403 there. */
	rest: boolean;
	/** Reject plain `Bearer <key>`; only P2S-SIGN-V1 is accepted. */
	requireSignature?: boolean;
}

export interface OAuthClientConfig {
	clientId: string;
	clientSecret: string;
}

export interface RateLimitSettings {
	limit: number;
	windowMs: number;
	/**
	 * fixed: counter resets at window boundaries; sliding: counts requests in the last windowMs;
	 * tokenBucket: `limit` tokens, refilled continuously at `limit` per windowMs.
	 */
	mode?: 'fixed' | 'sliding' | 'tokenBucket';
}

/**
 * Which wait hints a 429 carries. `X-RateLimit-Limit`/`-Remaining` are always sent;
 * `X-RateLimit-Reset` is sent on every non-429 response, and on a 429 only for 'reset' and 'all',
 * so a client can be tested against one hint form at a time.
 */
export type RateLimitHint = 'retry-after-seconds' | 'retry-after-date' | 'body' | 'reset' | 'none' | 'all';

export interface SandboxSettings {
	/** Audience the token endpoint requires. */
	audience: string;
	clients: OAuthClientConfig[];
	apiKeys: ApiKeyConfig[];
	tokenTtlSeconds: number;
	/** Accept application/x-www-form-urlencoded at /oauth/token (the documented endpoint takes JSON only). */
	tokenAcceptsFormEncoded: boolean;
	/** P2S-SIGN-V1 timestamp window, either direction. */
	signatureWindowSeconds: number;
	/** null disables rate limiting (and its headers). */
	rateLimit: RateLimitSettings | null;
	rateLimitHint: RateLimitHint;
	/** Added to every non-control request. */
	latencyMs: number;
	perPageDefault: number;
	perPageMax: number;
	/** per_page above the max: clamp to the max (default) or answer 422. */
	perPageOverMax: 'clamp' | 'reject';
	conflictIncludesExistingId: boolean;
	/**
	 * List filters this SalesOS does not know and so ignores (returning every record), as the
	 * contract says a client must tolerate: `custom_fields` (every `custom_fields.<key>`),
	 * `search`, `updated_after`, or any other query parameter name.
	 */
	ignoredListFilters: string[];
	/** Default Integration: reject the whole request with 400 details[{index,field,message}] on any bad item. */
	defaultIntegrationStrict: boolean;
	collaboratorsMaxPerRequest: number;
	activitiesMaxPerRequest: number;
	webhookRetryDelaysMs: number[];
	webhookTimeoutMs: number;
	webhookMaxConsecutiveFailures: number;
	/** Allow http:// webhook URLs on 127.0.0.1, localhost and [::1] (the real service requires https). */
	webhookAllowHttpLoopback: boolean;
	tenant: string;
	/** Seed of the RNG behind fault probabilities. */
	seed: number;
}

export interface FaultRule {
	/** Route pattern ('/v1/leads/:id'), exact path, or glob on the path ('/external/*'). Omit: any route. */
	route?: string;
	method?: string;
	/** Respond with this status (429 carries the configured wait hints). */
	status?: number;
	/** Destroy the socket instead of answering (client sees a connection reset). */
	reset?: boolean;
	latencyMs?: number;
	/** 0..1, drawn from the seeded RNG. Default 1. */
	probability?: number;
	/** Apply to the next `count` matching requests only. Default: unlimited. */
	count?: number;
	/** before (default): fail without processing; after: process (writes happen), then fail. */
	when?: 'before' | 'after';
	/** Body of a status fault (string is sent raw, e.g. a proxy's HTML page). */
	body?: unknown;
	headers?: Record<string, string>;
	/** retry_after of a 429 fault, seconds. Default 1. */
	retryAfterSeconds?: number;
}

export interface ActiveFaultRule extends FaultRule {
	id: string;
	/** Remaining applications; null = unlimited. */
	remaining: number | null;
	applied: number;
}

export interface WebhookEvent {
	id: string;
	type: string;
	version: '1';
	ts: string;
	tenant: string;
	data: unknown;
}

export interface DeliveryAttempt {
	eventId: string;
	type: string;
	/** null for control-API deliveries (/__sandbox/deliver). */
	webhookId: string | null;
	url: string;
	attempt: number;
	/** HTTP status, or null when the request failed (timeout, refused, reset). */
	status: number | null;
	ok: boolean;
	error?: string;
	/** The receiver's answer (parsed JSON when it was JSON), e.g. the trigger's `{"received":true,"ignored":"own change"}`. */
	response?: unknown;
	durationMs: number;
	at: string;
	/** true when this failure deactivated the subscription. */
	deactivated?: boolean;
}

export interface Counters {
	/** 'METHOD /route-pattern' → status (or 'reset') → count. */
	requests: Record<string, Record<string, number>>;
	tokenRequests: number;
	tokensIssued: number;
	/** Every webhook delivery attempt, oldest first. */
	deliveries: DeliveryAttempt[];
	deliveryStats: { attempts: number; succeeded: number; failed: number; pending: number };
	events: number;
}

export interface SeedOptions {
	resource: RecordResource;
	/** Generate this many records (ignored when `records` is given). */
	count?: number;
	/** Explicit (partial) records; missing fields are generated. Stored without validation. */
	records?: Array<Record<string, unknown>>;
	/** Fields applied to every generated record (custom_fields merge). */
	fields?: Record<string, unknown>;
	/** Give every seeded record this created_at and updated_at (ties for cursor tests). */
	sameUpdatedAt?: string;
	/** Fire *.created webhook events for seeded records (default false). */
	events?: boolean;
	/** Return the records (default true); false returns only count and ids of first/last. */
	returnRecords?: boolean;
}

export interface SeedResult {
	count: number;
	records?: Array<Lead | Deal | User>;
	firstId?: string;
	lastId?: string;
}

export interface MutateOptions {
	resource: RecordResource;
	/** update (default) needs id; create ignores it; delete needs id. */
	op?: 'create' | 'update' | 'delete';
	id?: string;
	changes?: Record<string, unknown>;
	/** Skip validation and conflict checks. */
	force?: boolean;
	/** Store this updated_at instead of the clock's. */
	updatedAt?: string;
}

export type SignatureDefect =
	| 'valid'
	| 'none'
	| 'wrong-secret'
	/** Alias of 'wrong-secret'. */
	| 'wrong'
	| 'tampered-body'
	| 'truncated'
	| 'wrong-prefix'
	| 'reformatted';

export interface DeliverOptions {
	url: string;
	secret: string;
	/** Partial event; defaults: fresh id, type 'lead.created', a sample lead as data. */
	event?: Partial<WebhookEvent>;
	signature?: SignatureDefect;
	/** Send exactly these bytes (signed per `signature`) instead of JSON.stringify(event). */
	rawBody?: string;
	/** Alias of rawBody (the name docs/architecture.md first used). */
	body?: string;
	headers?: Record<string, string>;
	timeoutMs?: number;
}

export interface HttpExchangeResult {
	status: number | null;
	error?: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	durationMs: number;
}

export interface DeliverResult extends HttpExchangeResult {
	eventId: string;
	sentBody: string;
	signatureHeader: string | null;
}

export interface ExternalReceived {
	id: string;
	collection: string;
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	idempotencyKey: string | null;
	receivedAt: string;
}

export interface ExternalSendOptions {
	url: string;
	body?: unknown;
	method?: string;
	/** json (default) or form (application/x-www-form-urlencoded, like an HTML form post). */
	encoding?: 'json' | 'form';
	headers?: Record<string, string>;
	timeoutMs?: number;
}

export interface SandboxCredentials {
	url: string;
	tokenUrl: string;
	restBaseUrl: string;
	defaultIntegrationUrl: string;
	audience: string;
	clientId: string;
	clientSecret: string;
	apiKey: string;
	apiSecret: string;
	apiKeys: ApiKeyConfig[];
	/** Base URL of the scripted OpenAI-compatible model (the `url` of an n8n `openAiApi` credential). */
	openAiBaseUrl: string;
}

export interface SandboxOptions {
	/** Default 0 (random). */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	settings?: Partial<SandboxSettings>;
	/** Seed this many leads and deals at start (default 0). */
	seedLeads?: number;
	seedDeals?: number;
}

/** One turn of the scripted model (test/sandbox/model.ts): tool calls, a final answer, or both. */
export interface ModelTurn {
	/** Answer only if the latest tool result matches this regular expression (case-insensitive); otherwise 400. */
	expectToolResult?: string;
	/** `tool`: the tool node's name (as in the workflow) or its tool name; string arguments may hold templates. */
	toolCalls?: Array<{ tool: string; arguments?: Record<string, unknown> }>;
	/** Text of the reply; `{{userMessage}}`, `{{userMessage /<regex>/}}`, `{{toolResult}}` and `{{toolResult.<path>}}` are filled in. */
	content?: string;
}

export interface ModelScript {
	turns: ModelTurn[];
}

export interface ModelMessage {
	role: 'system' | 'user' | 'assistant' | 'tool' | string;
	content: unknown;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ModelTool {
	name: string;
	description: string;
	/** JSON schema of the arguments. */
	parameters: unknown;
}

/** One chat completion request the scripted model received, and what it answered. */
export interface ModelExchange {
	receivedAt: string;
	model: string;
	stream: boolean;
	messages: ModelMessage[];
	tools: ModelTool[];
	/** 0-based turn of the script that answered; null when the request was off-script. */
	turn: number | null;
	reply: { content: string | null; toolCalls: Array<{ id: string; name: string; arguments: unknown }> } | null;
	/** Why the model refused the request (the 400 message). */
	error: string | null;
}

/** A request the Default Integration received since the last reset: the Authorization scheme (never the key) and the body. */
export interface DefaultIntegrationRequest {
	authorization: string;
	body: unknown;
}
