import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { SandboxClient } from './client';
import { startSandbox, type Sandbox } from './index';
import { restClient } from './testing';

interface Received {
	path: string;
	headers: IncomingHttpHeaders;
	raw: Buffer;
}

/** A webhook receiver answering with the next queued status (200 when the queue is empty). */
class Receiver {
	readonly received: Received[] = [];
	readonly statuses: number[] = [];
	private readonly server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			this.received.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
			res.writeHead(this.statuses.shift() ?? 200, { 'Content-Type': 'application/json' }).end('{"received":true}');
		});
	});
	url = '';

	async start() {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	close() {
		return new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}
}

/** What a receiver should do: HMAC over the raw bytes, constant-time compare. */
function verify(secret: string, raw: Buffer, header: string | undefined): boolean {
	const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
	const given = Buffer.from(header ?? '');
	return expected.length === given.length && timingSafeEqual(expected, given);
}

describe('sandbox webhooks', () => {
	let sandbox: Sandbox;
	let control: SandboxClient;
	let receiver: Receiver;
	let api: AxiosInstance;
	beforeAll(async () => {
		sandbox = await startSandbox();
		control = new SandboxClient(sandbox.url);
		receiver = await new Receiver().start();
	});
	afterAll(async () => {
		await sandbox.close();
		await receiver.close();
	});
	beforeEach(async () => {
		await control.reset({ webhookRetryDelaysMs: [50, 100] });
		receiver.received.length = 0;
		receiver.statuses.length = 0;
		api = await restClient(sandbox);
	});

	it('manages subscriptions; the secret is shown only at creation', async () => {
		const created = await api.post('/webhooks', { url: `${receiver.url}/hook`, events: ['lead.created'], description: 'test' });
		expect(created.status).toBe(201);
		expect(created.data.data).toMatchObject({ url: `${receiver.url}/hook`, events: ['lead.created'], active: true, description: 'test' });
		expect(created.data.data.secret).toMatch(/^whsec_/);
		const listed = await api.get('/webhooks');
		expect(listed.data.data).toHaveLength(1);
		expect(listed.data.data[0]).not.toHaveProperty('secret');
		const patched = await api.patch(`/webhooks/${created.data.data.id}`, { events: ['lead.created', 'deal.won'], active: false });
		expect(patched.data.data).toMatchObject({ events: ['lead.created', 'deal.won'], active: false });
		expect(patched.data.data).not.toHaveProperty('secret');
		expect((await api.delete(`/webhooks/${created.data.data.id}`)).status).toBe(204);
		expect(await control.webhooks()).toEqual([]);
	});

	it('validates subscriptions: https (or loopback http) and known events', async () => {
		const bad = await api.post('/webhooks', { url: 'http://example.com/hook', events: ['lead.created', 'lead.exploded'] });
		expect(bad.status).toBe(422);
		expect(bad.data.error.details.map((d: { field: string }) => d.field)).toEqual(['url', 'events']);
		expect(bad.data.error.details[1].message).toContain('lead.exploded');
		const https = await api.post('/webhooks', { url: 'https://example.com/hook', events: ['deal.won'], secret: 'mine' });
		expect(https.status).toBe(201);
		expect(https.data.data.secret).toBe('mine');
		await control.updateSettings({ webhookAllowHttpLoopback: false });
		expect((await api.post('/webhooks', { url: `${receiver.url}/hook`, events: ['deal.won'] })).status).toBe(422);
	});

	it('delivers signed events for record changes; the signature verifies over the raw bytes', async () => {
		const secret = (await api.post('/webhooks', { url: `${receiver.url}/hook`, events: ['lead.created', 'lead.status_changed'] })).data.data.secret;
		const lead = (await api.post('/leads', { name: 'Ana', email: 'ana@example.com' })).data.data;
		await control.mutate({ resource: 'leads', id: lead.id, changes: { status: 'qualified' } });
		await control.waitForDeliveries({ count: 2, ok: true });
		expect(receiver.received).toHaveLength(2);
		const [created, statusChanged] = receiver.received;
		for (const delivery of receiver.received) {
			expect(verify(secret, delivery.raw, delivery.headers['x-salesos-signature'] as string)).toBe(true);
			expect(verify('other-secret', delivery.raw, delivery.headers['x-salesos-signature'] as string)).toBe(false);
		}
		const body = JSON.parse(created.raw.toString('utf8'));
		expect(body).toEqual({ id: expect.stringMatching(/^evt_/), type: 'lead.created', version: '1', ts: expect.any(String), tenant: 'sandbox', data: lead });
		expect(created.headers['x-salesos-event']).toBe('lead.created');
		expect(created.headers['x-salesos-event-id']).toBe(body.id);
		expect(JSON.parse(statusChanged.raw.toString('utf8')).data.status).toBe('qualified');
	});

	it('retries failures with the same event id and bytes, and counts attempts', async () => {
		await control.subscribe({ url: `${receiver.url}/hook`, events: ['deal.created'], secret: 's' });
		receiver.statuses.push(500, 503);
		await api.post('/deals', { name: 'Retry me' });
		const attempts = await control.waitForDeliveries({ count: 3, timeoutMs: 3000 });
		expect(attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([
			[1, 500, false],
			[2, 503, false],
			[3, 200, true],
		]);
		expect(new Set(receiver.received.map((r) => r.headers['x-salesos-event-id'])).size).toBe(1);
		expect(new Set(receiver.received.map((r) => r.raw.toString('hex'))).size).toBe(1);
		const counters = await control.counters();
		expect(counters.deliveryStats).toMatchObject({ attempts: 3, succeeded: 1, failed: 2 });
	});

	it('re-sends an event on demand (a duplicate delivery) and flushes scheduled retries', async () => {
		await control.updateSettings({ webhookRetryDelaysMs: [60_000] });
		await control.subscribe({ url: `${receiver.url}/hook`, events: ['lead.created'] });
		receiver.statuses.push(500);
		sandbox.seed({ resource: 'leads', count: 1, events: true });
		const [first] = await control.waitForDeliveries({ count: 1 });
		expect(first.ok).toBe(false);
		expect(await control.flushRetries()).toBe(1);
		await control.waitForDeliveries({ count: 2 });
		expect(await control.retryEvent(first.eventId)).toBe(1);
		const all = await control.waitForDeliveries({ count: 3 });
		expect(all.map((a) => a.attempt)).toEqual([1, 2, 3]);
		expect(new Set(receiver.received.map((r) => r.headers['x-salesos-event-id']))).toEqual(new Set([first.eventId]));
	});

	it('deactivates a subscription after the configured consecutive failures', async () => {
		await control.updateSettings({ webhookMaxConsecutiveFailures: 3, webhookRetryDelaysMs: [10, 10, 10, 10] });
		const subscription = await control.subscribe({ url: `${receiver.url}/hook`, events: ['lead.created'] });
		receiver.statuses.push(500, 500, 500, 500, 500);
		sandbox.seed({ resource: 'leads', count: 1, events: true });
		const attempts = await control.waitForDeliveries({ count: 3 });
		expect(attempts[2].deactivated).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 60));
		expect(await control.deliveries()).toHaveLength(3);
		expect((await control.webhooks()).find((w) => w.id === subscription.id)!.active).toBe(false);
	});

	it('times out slow receivers per webhookTimeoutMs', async () => {
		await control.updateSettings({ webhookTimeoutMs: 50, webhookRetryDelaysMs: [] });
		const slow = createServer(() => undefined);
		await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
		await control.subscribe({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, events: ['lead.created'] });
		sandbox.seed({ resource: 'leads', count: 1, events: true });
		const [attempt] = await control.waitForDeliveries({ count: 1 });
		expect(attempt).toMatchObject({ status: null, ok: false, error: 'timeout after 50 ms' });
		slow.closeAllConnections();
		slow.close();
	});

	it('sends one delivery with each signature defect via /__sandbox/deliver', async () => {
		const results: Record<string, boolean> = {};
		for (const defect of ['valid', 'none', 'wrong-secret', 'tampered-body', 'truncated', 'wrong-prefix', 'reformatted'] as const) {
			const result = await control.deliver({ url: `${receiver.url}/manual`, secret: 'topsecret', signature: defect, event: { type: 'deal.won' } });
			expect(result.status).toBe(200);
			expect(result.body).toEqual({ received: true });
			const delivery = receiver.received[receiver.received.length - 1];
			expect(delivery.raw.toString('utf8')).toBe(result.sentBody);
			expect(delivery.headers['x-salesos-event']).toBe('deal.won');
			results[defect] = verify('topsecret', delivery.raw, delivery.headers['x-salesos-signature'] as string);
		}
		expect(results).toEqual({
			valid: true,
			none: false,
			'wrong-secret': false,
			'tampered-body': false,
			truncated: false,
			'wrong-prefix': false,
			reformatted: false,
		});
		const raw = await control.deliver({ url: `${receiver.url}/raw`, secret: 'k', rawBody: '{"id":"evt_fixed", "type":"lead.created"}' });
		expect(receiver.received[receiver.received.length - 1].raw.toString('utf8')).toBe('{"id":"evt_fixed", "type":"lead.created"}');
		expect(raw.signatureHeader).toBe(`sha256=${createHmac('sha256', 'k').update('{"id":"evt_fixed", "type":"lead.created"}').digest('hex')}`);
	});
});

describe('sandbox external-system stand-in', () => {
	let sandbox: Sandbox;
	let control: SandboxClient;
	beforeAll(async () => {
		sandbox = await startSandbox();
		control = new SandboxClient(sandbox.url);
	});
	afterAll(() => sandbox.close());

	it('records pushes, answers duplicates by idempotency key, and can post to a URL', async () => {
		const http = axios.create({ baseURL: sandbox.url, validateStatus: () => true });
		const first = await http.post('/external/orders', { order: 1 }, { headers: { 'Idempotency-Key': 'evt_1' } });
		expect(first.data).toEqual({ ok: true, id: expect.any(String) });
		const again = await http.post('/external/orders', { order: 1 }, { headers: { 'Idempotency-Key': 'evt_1' } });
		expect(again.data).toEqual({ ok: true, id: first.data.id, duplicate: true });
		await http.put('/external/chat/messages', { text: 'hi', idempotency_key: 'm1' });
		expect((await control.external('orders')).map((r) => r.body)).toEqual([{ order: 1 }]);
		expect((await control.external()).map((r) => [r.collection, r.method, r.path])).toEqual([
			['orders', 'POST', '/orders'],
			['chat', 'PUT', '/chat/messages'],
		]);

		const form = await control.externalSend({ url: `${sandbox.url}/external/forms`, body: { name: 'Ana', email: 'ana@example.com' }, encoding: 'form' });
		expect(form.status).toBe(200);
		expect((await control.external('forms'))[0].body).toEqual({ name: 'Ana', email: 'ana@example.com' });

		await control.setFaults([{ route: '/external/*', status: 503, count: 1 }]);
		const failed = await control.externalSend({ url: `${sandbox.url}/external/forms`, body: { x: 1 } });
		expect(failed.status).toBe(503);
		expect(await control.requestCount('POST /external/*', 503)).toBe(1);
	});
});
