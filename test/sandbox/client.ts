// SandboxClient: the /__sandbox/* control API over HTTP, for tests, e2e and benchmarks that run
// the sandbox (or n8n) in another process. Method names mirror the in-process `Sandbox`.
import axios, { type AxiosInstance } from 'axios';
import type { DeliveryFilter, WaitForDeliveriesOptions } from './core';
import type {
	DefaultIntegrationRequest,
	ActiveFaultRule,
	Counters,
	DeliverOptions,
	DeliverResult,
	DeliveryAttempt,
	ExternalReceived,
	ExternalSendOptions,
	FaultRule,
	HttpExchangeResult,
	ModelExchange,
	ModelScript,
	MutateOptions,
	SandboxCredentials,
	SandboxSettings,
	SeedOptions,
	SeedResult,
	WebhookEvent,
	WebhookSubscription,
} from './types';

export class SandboxClient {
	readonly http: AxiosInstance;

	/** `url` is the sandbox origin, e.g. http://127.0.0.1:4010. */
	constructor(readonly url: string) {
		this.http = axios.create({ baseURL: `${url.replace(/\/$/, '')}/__sandbox`, timeout: 30_000 });
	}

	private async get<T>(path: string, params?: Record<string, unknown>): Promise<T> {
		return (await this.http.get<T>(path, { params })).data;
	}

	private async post<T>(path: string, body: unknown = {}): Promise<T> {
		return (await this.http.post<T>(path, body)).data;
	}

	async health(): Promise<boolean> {
		return (await this.get<{ ok: boolean }>('/health')).ok;
	}

	credentials(): Promise<SandboxCredentials> {
		return this.get('/credentials');
	}

	async reset(settings: Partial<SandboxSettings> = {}): Promise<void> {
		await this.post('/reset', { settings });
	}

	seed(options: SeedOptions): Promise<SeedResult> {
		return this.post('/seed', options);
	}

	async mutate(options: MutateOptions): Promise<any> {
		return (await this.post<{ data: unknown }>('/mutate', options)).data;
	}

	async setFaults(rules: FaultRule[], append = false): Promise<ActiveFaultRule[]> {
		return (await this.post<{ rules: ActiveFaultRule[] }>('/faults', { rules, append })).rules;
	}

	async faultRules(): Promise<ActiveFaultRule[]> {
		return (await this.get<{ rules: ActiveFaultRule[] }>('/faults')).rules;
	}

	async clearFaults(): Promise<void> {
		await this.http.delete('/faults');
	}

	updateSettings(changes: Partial<SandboxSettings>): Promise<SandboxSettings> {
		return this.post('/settings', changes);
	}

	settings(): Promise<SandboxSettings> {
		return this.get('/settings');
	}

	async expireTokens(): Promise<void> {
		await this.post('/tokens/expire');
	}

	counters(): Promise<Counters> {
		return this.get('/counters');
	}

	/** Every request the Default Integration received since the last reset (Authorization scheme and body). */
	async defaultIntegrationRequests(): Promise<DefaultIntegrationRequest[]> {
		return (await this.get<{ requests: DefaultIntegrationRequest[] }>('/default-integration/requests')).requests;
	}

	async resetCounters(): Promise<void> {
		await this.post('/counters/reset');
	}

	/** Total requests for 'METHOD /route-pattern', optionally of one status. */
	async requestCount(routeKey: string, status?: number | 'reset'): Promise<number> {
		const byStatus = (await this.counters()).requests[routeKey] ?? {};
		if (status !== undefined) return byStatus[status] ?? 0;
		return Object.values(byStatus).reduce((sum, n) => sum + n, 0);
	}

	async deliveries(filter: DeliveryFilter = {}): Promise<DeliveryAttempt[]> {
		const attempts = (await this.get<{ data: DeliveryAttempt[] }>('/deliveries', { eventId: filter.eventId, type: filter.type, webhookId: filter.webhookId })).data;
		return filter.url ? attempts.filter((d) => d.url === filter.url) : attempts;
	}

	async waitForDeliveries(options: WaitForDeliveriesOptions = {}): Promise<DeliveryAttempt[]> {
		const wanted = options.count ?? 1;
		const deadline = Date.now() + (options.timeoutMs ?? 5000);
		for (;;) {
			const matching = (await this.deliveries(options)).filter((d) => !options.ok || d.ok);
			if (matching.length >= wanted) return matching;
			if (Date.now() > deadline) {
				throw new Error(`waited for ${wanted} deliveries matching ${JSON.stringify(options)}, saw ${matching.length}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
	}

	deliver(options: DeliverOptions): Promise<DeliverResult> {
		return this.post('/deliver', options);
	}

	async retryEvent(eventId: string): Promise<number> {
		return (await this.post<{ sent: number }>('/deliveries/retry', { eventId })).sent;
	}

	async flushRetries(): Promise<number> {
		return (await this.post<{ sent: number }>('/deliveries/flush')).sent;
	}

	async emittedEvents(type?: string): Promise<WebhookEvent[]> {
		return (await this.get<{ data: WebhookEvent[] }>('/events', { type })).data;
	}

	/** Subscriptions including secrets and failure counters. */
	async webhooks(): Promise<WebhookSubscription[]> {
		return (await this.get<{ data: WebhookSubscription[] }>('/webhooks')).data;
	}

	async subscribe(input: { url: string; events: string[]; secret?: string; description?: string }): Promise<WebhookSubscription> {
		return (await this.post<{ data: WebhookSubscription }>('/webhooks', input)).data;
	}

	/** leads | deals | users | teams | stages | webhooks | collaborators | activities | events */
	async records<T = any>(resource: string): Promise<T[]> {
		return (await this.get<{ data: T[] }>(`/records/${resource}`)).data;
	}

	async external(collection?: string): Promise<ExternalReceived[]> {
		return (await this.get<{ data: ExternalReceived[] }>('/external', { collection })).data;
	}

	externalSend(options: ExternalSendOptions): Promise<HttpExchangeResult> {
		return this.post('/external/send', options);
	}

	/** What the scripted model (`<url>/llm/v1`) answers from now on. */
	async setModelScript(script: ModelScript): Promise<ModelScript> {
		return (await this.post<{ script: ModelScript }>('/model/script', script)).script;
	}

	async clearModelScript(): Promise<void> {
		await this.http.delete('/model/script');
	}

	async modelExchanges(): Promise<ModelExchange[]> {
		return (await this.get<{ data: ModelExchange[] }>('/model/requests')).data;
	}
}
