// Local SalesOS sandbox: a real HTTP server on 127.0.0.1 implementing ../shared/salesos-api.md,
// plus controls for tests (in-process methods here, the same over HTTP under /__sandbox/*).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxCore } from './core';
import { createRequestListener } from './server';
import type { SandboxCredentials, SandboxOptions } from './types';

export class Sandbox extends SandboxCore {
	/** Origin, e.g. http://127.0.0.1:41234 (REST base is `${url}/v1`). */
	url = '';
	private readonly server: Server;

	constructor(options: SandboxOptions = {}) {
		super(options.settings);
		this.server = createServer(createRequestListener(this, () => this.url));
		// Benchmarks keep connections alive across many requests.
		this.server.keepAliveTimeout = 30_000;
	}

	/** URLs and secrets to put into n8n credentials. */
	override credentials(origin: string = this.url): SandboxCredentials {
		return super.credentials(origin);
	}

	async listen(port = 0, host = '127.0.0.1'): Promise<this> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, () => resolve());
		});
		const address = this.server.address() as AddressInfo;
		this.url = `http://${host}:${address.port}`;
		return this;
	}

	async close(): Promise<void> {
		this.events.stop();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = await new Sandbox(options).listen(options.port ?? 0, options.host ?? '127.0.0.1');
	if (options.seedLeads) sandbox.seed({ resource: 'leads', count: options.seedLeads, returnRecords: false });
	if (options.seedDeals) sandbox.seed({ resource: 'deals', count: options.seedDeals, returnRecords: false });
	return sandbox;
}

export { SandboxCore } from './core';
export type { DeliveryFilter, WaitForDeliveriesOptions } from './core';
export { p2sSignature } from './auth';
export { webhookSignature, WEBHOOK_EVENT_TYPES } from './webhookDelivery';
export * from './settings';
export type * from './types';
export { API_USER, ContactSystem } from './contacts';
export type { Contact, ContactChange, ContactWebhookDelivery } from './contacts';
