import {
	NodeConnectionTypes,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { authenticationProperty, salesOsCredentials } from '../../nodes/SalesOs/descriptions/authenticationProperty';
import {
	getSalesOsError,
	salesOsApiRequest,
	salesOsApiRequestAllItems,
	type RetryPolicy,
} from '../../nodes/SalesOs/transport';

/**
 * Test-only node types. They stand in for n8n-nodes-base nodes (not installed here) and give the
 * transport a minimal caller while the real action node is built elsewhere.
 */

/** Emits the items given in its `items` parameter (an array of JSON objects): a Manual Trigger + Code stand-in. */
export class TestItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items (tests only)',
		defaults: { name: 'Test Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/** Passes its input through unchanged (a No Operation stand-in, handy as a downstream probe). */
export class TestPassThrough implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Pass Through',
		name: 'testPassThrough',
		group: ['transform'],
		version: 1,
		description: 'Passes items through (tests only)',
		defaults: { name: 'Test Pass Through' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Calls the transport once per item with the request given as parameters (tests only), so the
 * transport and credentials can be exercised through the real engine before any real node exists.
 * Output: `{data, meta, retriedAfterAmbiguousFailure, status, attempts, waitedSeconds}` per item,
 * or with `mode: 'all'` one item per record from salesOsApiRequestAllItems; `parallel` sends all
 * items' requests at once (as the action node's bounded concurrency does), each after its
 * `delaySeconds` (an expression such as `={{ $json.delay }}` staggers them). On continue-on-fail
 * the item carries `error` (message) and `salesOs` (SalesOsErrorInfo), as the action node does.
 */
export class TestSalesOsCaller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SalesOS Test Caller',
		name: 'salesOsTestCaller',
		group: ['transform'],
		version: 1,
		description: 'Calls the SalesOS transport (tests only)',
		defaults: { name: 'SalesOS Test Caller' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: salesOsCredentials,
		properties: [
			authenticationProperty,
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'request' },
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/users' },
			{ displayName: 'API', name: 'api', type: 'string', default: 'rest' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
			{ displayName: 'Query', name: 'qs', type: 'json', default: '{}' },
			{ displayName: 'Retry Safe', name: 'retrySafe', type: 'boolean', default: false },
			{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: true },
			{ displayName: 'Limit', name: 'limit', type: 'number', default: 50 },
			{ displayName: 'Retry Policy', name: 'retry', type: 'json', default: '{}' },
			{ displayName: 'Parallel', name: 'parallel', type: 'boolean', default: false },
			{ displayName: 'Delay Seconds', name: 'delaySeconds', type: 'number', default: 0 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const parseJson = (name: string, index: number) => {
			const value = this.getNodeParameter(name, index) as string | IDataObject;
			return typeof value === 'string' ? (value.trim() ? JSON.parse(value) : undefined) : value;
		};
		const callForItem = async (itemIndex: number): Promise<INodeExecutionData[]> => {
			await sleep((this.getNodeParameter('delaySeconds', itemIndex) as number) * 1000);
			const retry = parseJson('retry', itemIndex) as Partial<RetryPolicy>;
			const path = this.getNodeParameter('path', itemIndex) as string;
			try {
				if (this.getNodeParameter('mode', itemIndex) === 'all') {
					const records = await salesOsApiRequestAllItems.call(
						this,
						path,
						parseJson('qs', itemIndex),
						{
							returnAll: this.getNodeParameter('returnAll', itemIndex) as boolean,
							limit: this.getNodeParameter('limit', itemIndex) as number,
						},
						retry,
					);
					return records.map((json) => ({ json, pairedItem: { item: itemIndex } }));
				}
				const response = await salesOsApiRequest.call(
					this,
					{
						method: this.getNodeParameter('method', itemIndex) as IHttpRequestMethods,
						path,
						body: parseJson('body', itemIndex),
						qs: parseJson('qs', itemIndex),
						api: this.getNodeParameter('api', itemIndex) as 'rest' | 'defaultIntegration',
						retrySafe: this.getNodeParameter('retrySafe', itemIndex) as boolean,
						itemIndex,
					},
					retry,
				);
				return [{ json: response as unknown as IDataObject, pairedItem: { item: itemIndex } }];
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				return [
					{
						json: {
							error: (error as Error).message,
							salesOs: getSalesOsError(error) as unknown as IDataObject,
						},
						pairedItem: { item: itemIndex },
					},
				];
			}
		};
		const indexes = this.getInputData().map((_, index) => index);
		if (this.getNodeParameter('parallel', 0) as boolean) {
			return [(await Promise.all(indexes.map(callForItem))).flat()];
		}
		const output: INodeExecutionData[] = [];
		for (const index of indexes) output.push(...(await callForItem(index)));
		return [output];
	}
}
