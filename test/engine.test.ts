/**
 * The in-process engine harness itself (test/helpers/engine/): workflows, error outputs,
 * polling with persistent static data, and webhook triggers served over real HTTP.
 */
import { createHmac } from 'node:crypto';
import axios from 'axios';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { connect, PollRunner, runNode, runWorkflow, startWebhookServer, TestNodeTypes } from './helpers/engine';

const base: Pick<INodeTypeDescription, 'group' | 'version' | 'description' | 'inputs' | 'outputs'> = {
	group: ['transform'],
	version: 1,
	description: 'test',
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
};

/** Fails on items with `fail: true`; continue-on-fail puts them on the error output. */
class Picky implements INodeType {
	description: INodeTypeDescription = { ...base, displayName: 'Picky', name: 'picky', defaults: { name: 'Picky' }, properties: [] };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => {
				if (item.json.fail) {
					const error = new NodeOperationError(this.getNode(), `item ${index} is bad`, { itemIndex: index });
					if (!this.continueOnFail()) throw error;
					return { json: { error: error.message }, pairedItem: { item: index } };
				}
				return { json: { ok: item.json.n }, pairedItem: { item: index } };
			}),
		];
	}
}

/** Emits numbers above the last one it saw, remembered in static data. */
class Counter implements INodeType {
	description = {
		...base,
		group: ['trigger'],
		displayName: 'Counter',
		name: 'counter',
		defaults: { name: 'Counter' },
		inputs: [],
		polling: true,
		properties: [],
	} as INodeTypeDescription;

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node');
		const last = Number(state.last ?? 0);
		state.last = last + 2;
		return [[{ json: { n: last + 1 } }, { json: { n: last + 2 } }]];
	}
}

/** Accepts a body signed with `sha256=<hmac of the raw body>`; answers 401 itself otherwise. */
class SignedHook implements INodeType {
	description = {
		...base,
		group: ['trigger'],
		displayName: 'Signed Hook',
		name: 'signedHook',
		defaults: { name: 'Signed Hook' },
		inputs: [],
		// Without responseData n8n 2.40 (and so the engine) replies with the literal text "firstEntryJson".
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'hook' }],
		properties: [],
	} as INodeTypeDescription;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const expected = `sha256=${createHmac('sha256', 'k').update(request.rawBody).digest('hex')}`;
		if (request.headers['x-signature'] !== expected) {
			this.getResponseObject().status(401).send('bad signature');
			return { noWebhookResponse: true };
		}
		const state = this.getWorkflowStaticData('node');
		state.seen = Number(state.seen ?? 0) + 1;
		return { workflowData: [[{ json: this.getBodyData() as IDataObject }]] };
	}
}

const nodeTypes = () => new TestNodeTypes([new Picky(), new Counter(), new SignedHook()]);

test('runs a workflow and reads each node’s output', async () => {
	const result = await runWorkflow({
		nodes: [
			{ name: 'Items', type: 'testItems', parameters: { items: JSON.stringify([{ n: 1 }, { n: 2 }]) } },
			{ name: 'Picky', type: 'picky' },
			{ name: 'After', type: 'testPassThrough' },
		],
		connections: connect('Items', 'Picky', 'After'),
		nodeTypes: nodeTypes(),
	});
	expect(result.error).toBeUndefined();
	expect(result.outputOf('After').map((item) => item.json)).toEqual([{ ok: 1 }, { ok: 2 }]);
});

test('a failing node stops the run, or routes items to the error output', async () => {
	const input = [{ n: 1 }, { n: 2, fail: true }];
	const stopped = await runNode({ node: { type: 'picky' }, input, nodeTypes: nodeTypes() });
	expect(stopped.error?.message).toBe('item 1 is bad');
	expect(stopped.result.error?.message).toBe('item 1 is bad');

	const split = await runNode({ node: { type: 'picky' }, input, nodeTypes: nodeTypes(), continueOnFail: 'continueErrorOutput' });
	expect(split.error).toBeUndefined();
	expect(split.outputs.map((output) => output.map((item) => item.json))).toEqual([
		[{ ok: 1 }],
		// n8n's error output keeps the failed input item's fields beside the error.
		[{ n: 2, fail: true, error: 'item 1 is bad' }],
	]);
});

test('polls keep their static data from one poll to the next', async () => {
	const poller = new PollRunner({ node: { type: 'counter' }, nodeTypes: nodeTypes(), staticData: {} });
	const first = await poller.poll();
	const second = await poller.poll();
	expect(first?.[0].map((item) => item.json.n)).toEqual([1, 2]);
	expect(second?.[0].map((item) => item.json.n)).toEqual([3, 4]);
	expect(poller.staticData).toEqual({ last: 4 });
});

test('webhook triggers get the raw body, may answer themselves, and start the workflow', async () => {
	const server = await startWebhookServer({
		node: { name: 'Hook', type: 'signedHook' },
		nodes: [{ name: 'After', type: 'testPassThrough' }],
		connections: connect('Hook', 'After'),
		nodeTypes: nodeTypes(),
	});
	try {
		expect(server.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/.+\/hook$/);
		const body = '{"id": "evt_1",  "n": 1}';
		const signature = `sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`;
		const post = async (headers: Record<string, string>) =>
			await axios.post(server.webhookUrl, body, {
				headers: { 'content-type': 'application/json', ...headers },
				validateStatus: () => true,
				transformRequest: (data) => data,
			});

		const rejected = await post({ 'x-signature': 'sha256=00' });
		expect([rejected.status, rejected.data]).toEqual([401, 'bad signature']);
		expect(server.calls[0].execution).toBeUndefined();

		const accepted = await post({ 'x-signature': signature });
		expect([accepted.status, accepted.data]).toEqual([200, { message: 'Workflow was started' }]);
		expect(server.failures).toEqual([]);
		expect(server.calls[1].execution?.outputOf('After').map((item) => item.json)).toEqual([{ id: 'evt_1', n: 1 }]);
		expect(server.staticData).toEqual({ seen: 1 });
	} finally {
		await server.close();
	}
});
