// In-memory data of one sandbox: records with their unique indexes, tokens, counters, clock.
import { defaultSettings, SEED_TEAMS, SEED_USERS, STAGES } from './settings';
import type {
	Activity,
	Collaborator,
	Counters,
	Deal,
	DefaultIntegrationRequest,
	DeliveryAttempt,
	ExternalReceived,
	Lead,
	ModelExchange,
	ModelScript,
	SandboxSettings,
	Stage,
	Team,
	User,
	WebhookEvent,
	WebhookSubscription,
} from './types';

type KeyOf<T> = (record: T) => string | undefined;

/** Records by id (insertion order = creation order) plus case-insensitive unique indexes. */
export class RecordStore<T extends { id: string }> {
	private readonly records = new Map<string, T>();
	private readonly indexes = new Map<string, Map<string, string>>();

	constructor(private readonly uniqueKeys: Record<string, KeyOf<T>>) {
		for (const name of Object.keys(uniqueKeys)) this.indexes.set(name, new Map());
	}

	get size() {
		return this.records.size;
	}

	get(id: string): T | undefined {
		return this.records.get(id);
	}

	values(): IterableIterator<T> {
		return this.records.values();
	}

	/** Id of the record holding `key` in index `name`. */
	findId(name: string, key: string | undefined): string | undefined {
		if (key === undefined) return undefined;
		return this.indexes.get(name)!.get(key);
	}

	keyOf(name: string, record: T): string | undefined {
		return this.uniqueKeys[name](record);
	}

	insert(record: T): T {
		this.records.set(record.id, record);
		this.index(record);
		return record;
	}

	/** Applies `change` to the stored record and re-indexes it. */
	update(record: T, change: (record: T) => void): T {
		this.unindex(record);
		change(record);
		this.index(record);
		return record;
	}

	delete(record: T) {
		this.unindex(record);
		this.records.delete(record.id);
	}

	clear() {
		this.records.clear();
		for (const index of this.indexes.values()) index.clear();
	}

	private index(record: T) {
		for (const [name, keyOf] of Object.entries(this.uniqueKeys)) {
			const key = keyOf(record);
			if (key !== undefined && !this.indexes.get(name)!.has(key)) this.indexes.get(name)!.set(key, record.id);
		}
	}

	private unindex(record: T) {
		for (const [name, keyOf] of Object.entries(this.uniqueKeys)) {
			const key = keyOf(record);
			const index = this.indexes.get(name)!;
			if (key !== undefined && index.get(key) === record.id) index.delete(key);
		}
	}
}

const emailKey = (record: { email?: string | null }) => record.email?.toLowerCase() || undefined;

export const externalIdKey = (record: { custom_fields?: Record<string, unknown> }) => {
	const value = record.custom_fields?.external_id;
	return value === undefined || value === null || value === '' ? undefined : String(value);
};

/**
 * Write timestamps: ISO with milliseconds, strictly increasing across writes. Also remembers the
 * latest time handed out per resource (deleted records included), so bulk seeds can be placed
 * after every write a cursor may have seen.
 */
export class Clock {
	private lastMs = 0;
	private readonly latestByResource = new Map<string, number>();

	now(resource?: string): string {
		this.lastMs = Math.max(Date.now(), this.lastMs + 1);
		if (resource) this.latestByResource.set(resource, this.lastMs);
		return new Date(this.lastMs).toISOString();
	}

	/** Records a timestamp stored from outside (seeds, forced updated_at); later writes come after it. */
	observe(iso: string, resource?: string) {
		const ms = Date.parse(iso);
		if (ms > this.lastMs) this.lastMs = ms;
		if (resource && ms > (this.latestByResource.get(resource) ?? 0)) this.latestByResource.set(resource, ms);
	}

	/** Latest timestamp handed out or observed for `resource` (0 if none). */
	latest(resource: string): number {
		return this.latestByResource.get(resource) ?? 0;
	}
}

export interface IssuedToken {
	clientId: string;
	expiresAtMs: number;
}

export class SandboxState {
	settings: SandboxSettings = defaultSettings();
	readonly clock = new Clock();
	readonly leads = new RecordStore<Lead>({ email: emailKey, external_id: externalIdKey });
	readonly deals = new RecordStore<Deal>({ external_id: externalIdKey });
	readonly users = new RecordStore<User>({ email: emailKey });
	readonly teams = new Map<string, Team>();
	readonly stages: readonly Stage[] = STAGES;
	readonly webhooks = new Map<string, WebhookSubscription>();
	/** Default Integration collaborators by lower-cased email. */
	readonly collaborators = new Map<string, Collaborator>();
	/** Default Integration activities by external_id. */
	readonly activities = new Map<string, Activity>();
	readonly tokens = new Map<string, IssuedToken>();
	readonly events: WebhookEvent[] = [];
	readonly external: ExternalReceived[] = [];
	/** `<collection>\n<idempotency key>` → id of the first record received with it. */
	readonly externalKeys = new Map<string, string>();
	/** The scripted language model: its script and every request it answered. */
	readonly model: { script: ModelScript | null; exchanges: ModelExchange[] } = { script: null, exchanges: [] };
	requests: Counters['requests'] = {};
	tokenRequests = 0;
	tokensIssued = 0;
	deliveries: DeliveryAttempt[] = [];
	/** Every request to the Default Integration as received (the contract test checks each body). */
	defaultIntegrationRequests: DefaultIntegrationRequest[] = [];
	private seedCounter = 0;

	constructor(settings: Partial<SandboxSettings> = {}) {
		this.reset(settings);
	}

	/** Empty data, default settings (plus `settings`), reference users/teams, zeroed counters. */
	reset(settings: Partial<SandboxSettings> = {}) {
		this.settings = { ...defaultSettings(), ...settings };
		this.leads.clear();
		this.deals.clear();
		this.users.clear();
		for (const user of SEED_USERS) this.users.insert({ ...user });
		this.teams.clear();
		for (const team of SEED_TEAMS) this.teams.set(team.id, { ...team });
		this.webhooks.clear();
		this.collaborators.clear();
		this.activities.clear();
		this.tokens.clear();
		this.events.length = 0;
		this.external.length = 0;
		this.externalKeys.clear();
		this.seedCounter = 0;
		this.model.script = null;
		this.model.exchanges = [];
		this.defaultIntegrationRequests = [];
		this.resetCounters();
	}

	resetCounters() {
		this.requests = {};
		this.tokenRequests = 0;
		this.tokensIssued = 0;
		this.deliveries = [];
	}

	recordDefaultIntegrationRequest(authorization: string | undefined, rawBody: Buffer) {
		let body: unknown;
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = rawBody.toString('utf8');
		}
		this.defaultIntegrationRequests.push({ authorization: String(authorization ?? '').split(' ')[0], body });
	}

	countRequest(routeKey: string, status: number | 'reset') {
		const byStatus = (this.requests[routeKey] ??= {});
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}

	nextSeedNumber(): number {
		return ++this.seedCounter;
	}

	stage(id: string): Stage | undefined {
		return this.stages.find((stage) => stage.id === id);
	}
}
