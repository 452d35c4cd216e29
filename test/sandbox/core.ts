// The sandbox's controls, shared by the in-process `Sandbox` and the HTTP control API.
import { ApiError } from './http';
import { ContactSystem } from './contacts';
import { FaultInjector } from './faults';
import { externalReceived, externalSend } from './external';
import { MODEL_BASE_PATH, validateScript } from './model';
import { RateLimiter } from './rateLimit';
import type { Domain, WriteOptions } from './resources/common';
import { createDeal, deleteDeal, getDeal, updateDeal } from './resources/deals';
import { createLead, deleteLead, getLead, updateLead } from './resources/leads';
import { createUser, getUser, updateUser } from './resources/users';
import { createWebhook } from './resources/webhooks';
import { SandboxState } from './state';
import { SEED_USERS, STAGES } from './settings';
import type {
	Counters,
	Deal,
	DeliverOptions,
	DeliverResult,
	DeliveryAttempt,
	ExternalReceived,
	ExternalSendOptions,
	FaultRule,
	HttpExchangeResult,
	Lead,
	ModelExchange,
	ModelScript,
	MutateOptions,
	SandboxCredentials,
	SandboxSettings,
	SeedOptions,
	SeedResult,
	User,
	WebhookEvent,
	WebhookSubscription,
} from './types';
import { WebhookDispatcher } from './webhookDelivery';

export interface DeliveryFilter {
	eventId?: string;
	type?: string;
	webhookId?: string;
	url?: string;
}

export interface WaitForDeliveriesOptions extends DeliveryFilter {
	/** Resolve once at least this many matching attempts are recorded (default 1). */
	count?: number;
	/** Count only successful (2xx) attempts. */
	ok?: boolean;
	timeoutMs?: number;
}

type AnyRecord = Lead | Deal | User;

const LEAD_SOURCES = ['website', 'referral', 'event', 'ads'];
const LEAD_STATUSES_FOR_SEED = ['new', 'contacted', 'qualified', 'unqualified'];

export class SandboxCore {
	readonly state: SandboxState;
	readonly events: WebhookDispatcher;
	readonly faults = new FaultInjector();
	readonly rateLimiter = new RateLimiter();
	/** The other system of a two-way sync (contact API with change webhooks) and its test driver. */
	readonly contacts = new ContactSystem();
	readonly domain: Domain;

	constructor(settings: Partial<SandboxSettings> = {}) {
		this.state = new SandboxState(settings);
		this.events = new WebhookDispatcher(this.state);
		this.domain = { state: this.state, events: this.events };
		this.faults.reseed(this.state.settings.seed);
	}

	/** Empty data, default settings (plus `settings`), no faults, no tokens, zeroed counters. */
	reset(settings: Partial<SandboxSettings> = {}) {
		this.events.clear();
		this.state.reset(settings);
		this.faults.clear();
		this.faults.reseed(this.state.settings.seed);
		this.rateLimiter.clear();
		this.contacts.reset();
	}

	/** Merges `changes` into the settings and returns them all. */
	updateSettings(changes: Partial<SandboxSettings>): SandboxSettings {
		this.state.settings = { ...this.state.settings, ...changes };
		if ('seed' in changes) this.faults.reseed(this.state.settings.seed);
		if ('rateLimit' in changes) this.rateLimiter.clear();
		return this.state.settings;
	}

	get settings(): SandboxSettings {
		return this.state.settings;
	}

	seed(options: SeedOptions): SeedResult {
		const inputs: Array<Record<string, unknown>> = options.records ?? Array.from({ length: options.count ?? 1 }, () => ({}));
		// Timestamps 1 ms apart ending about now and after every write of this resource (so cursors
		// see them as new), unless all share `sameUpdatedAt`. Other resources' writes don't count:
		// a big deal seed right after a big lead seed is not pushed into the future.
		const start = Math.max(Date.now() - inputs.length, this.state.clock.latest(options.resource) + 1);
		const write = () =>
			inputs.map((input, i) => {
				const updatedAt = options.sameUpdatedAt ?? new Date(start + i).toISOString();
				const record = { ...this.generate(options.resource, this.state.nextSeedNumber()), ...input };
				const custom = { ...(record.custom_fields as object), ...(options.fields?.custom_fields as object), ...(input.custom_fields as object) };
				const fields = { ...record, ...options.fields, custom_fields: custom, created_at: input.created_at ?? updatedAt };
				return this.create(options.resource, fields, { force: true, updatedAt });
			});
		const records = options.events ? write() : this.events.withoutEvents(write);
		return {
			count: records.length,
			...(options.returnRecords === false ? {} : { records }),
			firstId: records[0]?.id,
			lastId: records[records.length - 1]?.id,
		};
	}

	/** Changes a record as a SalesOS user would: validated (unless `force`), bumps updated_at, fires webhooks. */
	mutate(options: MutateOptions): AnyRecord | { id: string; deleted: true } {
		const write: WriteOptions = { force: options.force, updatedAt: options.updatedAt };
		const changes = options.changes ?? {};
		const op = options.op ?? 'update';
		if (op === 'create') return this.create(options.resource, changes, write);
		if (!options.id) throw new ApiError(400, 'BAD_REQUEST', `mutate ${op} needs an id`);
		const { domain } = this;
		const id = options.id;
		switch (options.resource) {
			case 'leads':
				if (op === 'delete') deleteLead(domain, getLead(domain, id));
				else return updateLead(domain, getLead(domain, id), changes, write);
				break;
			case 'deals':
				if (op === 'delete') deleteDeal(domain, getDeal(domain, id));
				else return updateDeal(domain, getDeal(domain, id), changes, write);
				break;
			case 'users':
				return updateUser(domain, getUser(domain, id), op === 'delete' ? { status: 'deactivated' } : changes, write);
			default:
				throw unknownResource(options.resource);
		}
		return { id, deleted: true };
	}

	setFaults(rules: FaultRule[], append = false) {
		this.faults.set(rules, append);
		return this.faults.list();
	}

	clearFaults() {
		this.faults.clear();
	}

	/** What the scripted model answers from now on (replaces the previous script); null removes it. */
	setModelScript(script: ModelScript | null): ModelScript | null {
		this.state.model.script = script === null ? null : validateScript(script);
		return this.state.model.script;
	}

	/** Every chat completion request the scripted model received, oldest first. */
	modelExchanges(): ModelExchange[] {
		return [...this.state.model.exchanges];
	}

	/** Every issued token becomes invalid: the next call with one gets 401. */
	expireTokens() {
		this.state.tokens.clear();
	}

	counters(): Counters {
		const { state } = this;
		const succeeded = state.deliveries.filter((d) => d.ok).length;
		return {
			requests: state.requests,
			tokenRequests: state.tokenRequests,
			tokensIssued: state.tokensIssued,
			deliveries: state.deliveries,
			deliveryStats: {
				attempts: state.deliveries.length,
				succeeded,
				failed: state.deliveries.length - succeeded,
				pending: this.events.pendingCount,
			},
			events: state.events.length,
		};
	}

	resetCounters() {
		this.state.resetCounters();
	}

	/** Total requests for 'METHOD /route-pattern', optionally of one status. */
	requestCount(routeKey: string, status?: number | 'reset'): number {
		const byStatus = this.state.requests[routeKey] ?? {};
		if (status !== undefined) return byStatus[status] ?? 0;
		return Object.values(byStatus).reduce((sum, n) => sum + n, 0);
	}

	deliveries(filter: DeliveryFilter = {}): DeliveryAttempt[] {
		return this.state.deliveries.filter(
			(d) =>
				(!filter.eventId || d.eventId === filter.eventId) &&
				(!filter.type || d.type === filter.type) &&
				(!filter.webhookId || d.webhookId === filter.webhookId) &&
				(!filter.url || d.url === filter.url),
		);
	}

	async waitForDeliveries(options: WaitForDeliveriesOptions = {}): Promise<DeliveryAttempt[]> {
		const wanted = options.count ?? 1;
		const deadline = Date.now() + (options.timeoutMs ?? 5000);
		for (;;) {
			const matching = this.deliveries(options).filter((d) => !options.ok || d.ok);
			if (matching.length >= wanted) return matching;
			if (Date.now() > deadline) {
				throw new Error(`waited for ${wanted} deliveries matching ${JSON.stringify(options)}, saw ${matching.length}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	/** Events emitted so far (snapshots), optionally of one type. */
	emittedEvents(type?: string): WebhookEvent[] {
		return type ? this.state.events.filter((event) => event.type === type) : [...this.state.events];
	}

	deliver(options: DeliverOptions): Promise<DeliverResult> {
		return this.events.deliverOnce(options);
	}

	/** Sends the event again now (a due retry early, or a duplicate of a delivered one). */
	retryEvent(eventId: string): number {
		return this.events.retryEvent(eventId);
	}

	flushRetries(): number {
		return this.events.flushRetries();
	}

	/** Subscriptions including their secrets and failure counters. */
	webhooks(): WebhookSubscription[] {
		return [...this.state.webhooks.values()];
	}

	/** Subscribes without going through the REST API; returns the subscription with its secret. */
	subscribe(input: { url: string; events: string[]; secret?: string; description?: string }): WebhookSubscription {
		return createWebhook(this.domain, input);
	}

	records(resource: string): unknown[] {
		const { state } = this;
		switch (resource) {
			case 'leads':
				return [...state.leads.values()];
			case 'deals':
				return [...state.deals.values()];
			case 'users':
				return [...state.users.values()];
			case 'teams':
				return [...state.teams.values()];
			case 'stages':
				return [...STAGES];
			case 'webhooks':
				return this.webhooks();
			case 'collaborators':
				return [...state.collaborators.values()];
			case 'activities':
				return [...state.activities.values()];
			case 'events':
				return [...state.events];
			default:
				throw unknownResource(resource);
		}
	}

	external(collection?: string): ExternalReceived[] {
		return externalReceived(this.state, collection);
	}

	externalSend(options: ExternalSendOptions): Promise<HttpExchangeResult> {
		return externalSend(options);
	}

	credentials(origin: string): SandboxCredentials {
		const [client] = this.state.settings.clients;
		const [key] = this.state.settings.apiKeys;
		return {
			url: origin,
			tokenUrl: `${origin}/oauth/token`,
			restBaseUrl: `${origin}/v1`,
			defaultIntegrationUrl: `${origin}/functions/v1/default-integration`,
			audience: this.state.settings.audience,
			clientId: client?.clientId,
			clientSecret: client?.clientSecret,
			apiKey: key?.key,
			apiSecret: key?.secret,
			apiKeys: this.state.settings.apiKeys,
			openAiBaseUrl: `${origin}${MODEL_BASE_PATH}`,
		};
	}

	private create(resource: string, input: Record<string, unknown>, options: WriteOptions): AnyRecord {
		switch (resource) {
			case 'leads':
				return createLead(this.domain, input, options);
			case 'deals':
				return createDeal(this.domain, input, options);
			case 'users':
				return createUser(this.domain, input, options);
			default:
				throw unknownResource(resource);
		}
	}

	/** Plausible, valid, unique field values for seed record number `n`. */
	private generate(resource: string, n: number): Record<string, unknown> {
		const owner = SEED_USERS[n % SEED_USERS.length];
		switch (resource) {
			case 'leads':
				return {
					name: `Seed Lead ${n}`,
					email: `seed.lead.${n}@example.com`,
					phone: `+55119${String(n).padStart(8, '0')}`,
					company: `Company ${n % 50}`,
					position: 'Buyer',
					source: LEAD_SOURCES[n % LEAD_SOURCES.length],
					status: LEAD_STATUSES_FOR_SEED[n % LEAD_STATUSES_FOR_SEED.length],
					owner_id: owner.id,
					team_id: owner.team_id,
					tags: ['seed'],
					custom_fields: {},
				};
			case 'deals':
				return {
					name: `Seed Deal ${n}`,
					value: ((n * 1000) % 50_000) + 500,
					stage_id: STAGES[n % 4].id,
					contact_name: `Contact ${n}`,
					contact_email: `seed.contact.${n}@example.com`,
					company: `Company ${n % 50}`,
					owner_id: owner.id,
					team_id: owner.team_id,
					expected_close_date: `2026-${String((n % 12) + 1).padStart(2, '0')}-15`,
					priority: ['low', 'medium', 'high'][n % 3],
					custom_fields: {},
				};
			case 'users':
				return { name: `Seed User ${n}`, email: `seed.user.${n}@example.com`, role: 'sales_rep', status: 'active' };
			default:
				throw unknownResource(resource);
		}
	}
}

const unknownResource = (resource: string) =>
	new ApiError(400, 'BAD_REQUEST', `Unknown resource "${resource}"; use leads, deals or users`);
