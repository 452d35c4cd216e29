// The contact system of the two-way sync: a plain contact API that reports every stored change.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { API_USER, startSandbox, type Sandbox } from './index';

let sandbox: Sandbox;
let receiver: Server;
const received: Array<Record<string, unknown>> = [];

beforeAll(async () => {
	sandbox = await startSandbox();
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
	await sandbox.close();
	await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
	sandbox.reset();
	received.length = 0;
	sandbox.contacts.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

const api = () => axios.create({ baseURL: `${sandbox.url}/external/contacts`, validateStatus: () => true });
const quiet = async () => {
	while (sandbox.contacts.deliveriesPending > 0) await new Promise((resolve) => setTimeout(resolve, 10));
};

test('PUT replaces, PATCH changes only the fields sent, both answer the stored contact; GET returns it with updated_at; DELETE removes it', async () => {
	const put = await api().put('/c-1', { name: 'Ana', phone: '+5511900000001', company: 'Acme' });
	expect(put.status).toBe(200);
	expect(put.data).toEqual({ contact_id: 'c-1', name: 'Ana', phone: '+5511900000001', company: 'Acme', updated_at: expect.any(String), updated_by: API_USER });
	const patched = await api().patch('/c-1', { company: 'Beta' }, { headers: { 'X-User': 'sync-bot' } });
	expect(patched.data).toMatchObject({ name: 'Ana', phone: '+5511900000001', company: 'Beta', updated_by: 'sync-bot' });
	expect(Date.parse(patched.data.updated_at)).toBeGreaterThan(Date.parse(put.data.updated_at));
	const replaced = await api().put('/c-1', { name: 'Ana Lima' });
	expect(replaced.data).toEqual({ contact_id: 'c-1', name: 'Ana Lima', updated_at: expect.any(String), updated_by: API_USER });
	expect((await api().get('/c-1')).data).toEqual(replaced.data);
	expect((await api().delete('/c-1')).status).toBe(204);
	expect((await api().get('/c-1')).status).toBe(404);
	expect((await api().patch('/c-1', { name: 'x' })).status).toBe(404);
});

test('every stored change, API writes and its own users’ edits alike, is posted with the whole contact, contact_id, updated_at and updated_by', async () => {
	await api().put('/c-2', { name: 'Bo', company: 'Acme' });
	sandbox.contacts.patch('c-2', { company: 'Beta' }, 'crm-user');
	await api().patch('/c-2', { company: 'Beta' });
	await api().delete('/c-2');
	await quiet();
	expect(received.map(({ change, company, updated_by }) => [change, company, updated_by])).toEqual([
		['created', 'Acme', API_USER],
		['updated', 'Beta', 'crm-user'],
		['updated', 'Beta', API_USER],
		['deleted', 'Beta', API_USER],
	]);
	expect(received.every((body) => body.contact_id === 'c-2' && typeof body.updated_at === 'string')).toBe(true);
	expect(sandbox.contacts.changes.map((change) => change.fields)).toEqual([['name', 'company'], ['company'], ['company'], []]);
});
