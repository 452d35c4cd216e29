import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	activitySummary,
	DEFAULT_RETRY_POLICY,
	getSalesOsError,
	salesOsApiRequest,
	type RetryPolicy,
	type SalesOsRequest,
} from '../transport';
import { mapWithConcurrency } from './concurrency';
import { DEFAULT_MAX_CONCURRENT_REQUESTS, MAX_CONCURRENT_REQUESTS } from '../descriptions/commonProperties';

/**
 * Settings that apply to a whole run of the node, not to one item: how many requests run at
 * once and how the transport retries. They are read from the first item's Options.
 */
export interface RunSettings {
	retry: RetryPolicy;
	maxConcurrentRequests: number;
}

const settingsByRun = new WeakMap<IExecuteFunctions, RunSettings>();

function runSettings(context: IExecuteFunctions): RunSettings {
	let settings = settingsByRun.get(context);
	if (!settings) {
		const options = context.getNodeParameter('options', 0, {}) as IDataObject;
		const concurrency = Number(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS);
		settings = {
			retry: {
				maxRetries: Number(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries),
				maxWaitSeconds: Number(options.maxWaitSeconds ?? DEFAULT_RETRY_POLICY.maxWaitSeconds),
			},
			maxConcurrentRequests: Math.min(MAX_CONCURRENT_REQUESTS, Math.max(1, concurrency || 1)),
		};
		settingsByRun.set(context, settings);
	}
	return settings;
}

/** The run's waits, retries and rate-limit budget left, shown above the node's output. */
export function addRequestHints(context: IExecuteFunctions): void {
	const hints = activitySummary(context).map((message) => ({ message, type: 'info' as const, location: 'outputPane' as const }));
	if (hints.length > 0) context.addExecutionHints(...hints);
}

/** One SalesOS request with this run's retry policy. */
export async function request(context: IExecuteFunctions, salesOsRequest: SalesOsRequest) {
	return await salesOsApiRequest.call(context, salesOsRequest, runSettings(context).retry);
}

/** The `data` of one SalesOS request. */
export async function requestData<T = IDataObject>(
	context: IExecuteFunctions,
	salesOsRequest: SalesOsRequest,
): Promise<T> {
	return (await request(context, salesOsRequest)).data as T;
}

/** Reads "Return All" / "Limit" of one item; a Limit that is not a whole number of at least 1 is an error. */
export function pagingOf(context: IExecuteFunctions, itemIndex: number) {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return { returnAll, limit: undefined };
	const raw = context.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw inputError(
			context,
			itemIndex,
			`Limit must be a whole number of at least 1, got ${JSON.stringify(raw)}`,
			'Set Limit to how many records to return (e.g. 50), or switch on Return All.',
		);
	}
	return { returnAll, limit };
}

// ---------------------------------------------------------------------------------------------
// Per-item errors.

/** n8n's error types carry the item index, so the editor shows which item failed. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * What an item that failed carries in `json.error`: the message plus, for errors SalesOS
 * returned, the HTTP status, the SalesOS error code and every field error.
 */
function errorDetails(error: NodeApiError | NodeOperationError): IDataObject {
	const info = getSalesOsError(error);
	const httpCode = (error as NodeApiError).httpCode;
	return {
		message: error.message,
		...(error.description ? { description: error.description } : {}),
		status: info?.status ?? (httpCode ? Number(httpCode) : null),
		code: info?.code ?? null,
		details: (info?.details ?? []) as unknown as IDataObject[],
	};
}

/**
 * The output item for a failed input item under "On Error: Continue": the input's fields plus
 * `error`. For "Continue (using error output)" n8n routes an item whose JSON holds nothing but
 * `error` to the error output and merges the paired input item's fields into it itself (it would
 * replace the JSON of an item carrying an Error object by the bare message, so none is attached).
 */
export function failedItem(
	context: IExecuteFunctions,
	input: INodeExecutionData,
	itemIndex: number,
	error: NodeApiError | NodeOperationError,
): INodeExecutionData {
	const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
	return {
		json: { ...(toErrorOutput ? {} : input.json), error: errorDetails(error) },
		pairedItem: { item: itemIndex },
	};
}

export type ItemHandler = (itemIndex: number) => Promise<IDataObject | IDataObject[]>;

/**
 * Runs `handler` for every input item, at most "Max Concurrent Requests" at a time. Each result
 * record becomes an output item paired to its input; output order follows the input. A failing
 * item fails the node, or with "On Error: Continue" becomes an error item while the others go on.
 */
export async function runPerItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	handler: ItemHandler,
): Promise<INodeExecutionData[]> {
	const { maxConcurrentRequests } = runSettings(context);
	const continueOnFail = context.continueOnFail();
	const results = await mapWithConcurrency(items.length, maxConcurrentRequests, async (itemIndex) => {
		try {
			const records = await handler(itemIndex);
			return (Array.isArray(records) ? records : [records]).map(
				(json): INodeExecutionData => ({ json, pairedItem: { item: itemIndex } }),
			);
		} catch (error) {
			const nodeError = asNodeError(context.getNode(), error, itemIndex);
			if (!continueOnFail) throw nodeError;
			return [failedItem(context, items[itemIndex], itemIndex, nodeError)];
		}
	});
	return results.flat();
}

/** A NodeOperationError for bad input, naming the parameter, the problem and the fix. */
export function inputError(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}
