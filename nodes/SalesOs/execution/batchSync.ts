import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeOperationError, type NodeApiError } from 'n8n-workflow';

import { getSalesOsError, type SalesOsErrorDetail, type SalesOsErrorInfo } from '../transport';
import { asNodeError, failedItem, request } from './nodeRun';

/**
 * The Default Integration takes records in batches (500 collaborators or 1,000 activities per
 * request) and reports bad records by their position in the batch: inside a 200 as
 * `data.errors` (strings, or objects with `index`), or, when SalesOS rejects the whole batch,
 * as a 400 with `details[{index, field, message}]`. Every report is traced back to the input
 * item that caused it; after a 400 the batch is sent again without the bad records.
 */
export interface BatchSync {
	/** `action` of the request body, e.g. `sync_collaborators`. */
	action: string;
	/** Key of the record array in the request body, e.g. `collaborators`. */
	recordsKey: string;
	/** Records per request: the API maximum. */
	batchSize: number;
	/** Builds the record sent for one input item (throws for bad input). */
	recordFor(itemIndex: number): IDataObject;
	/** Values that identify a record in an error message that gives no index (email, external ID). */
	identifiersOf(record: IDataObject): string[];
}

interface Pending {
	itemIndex: number;
	record: IDataObject;
}

type Outcome = { record: IDataObject } | { error: NodeApiError | NodeOperationError };

/**
 * Reads a Default Integration error string such as `items[3].email: must be a valid email`.
 * Other phrasings ("index 3", "item 3") are recognised too; no index → undefined.
 */
export function parseReport(text: string): { index?: number; field: string; message: string } {
	const indexed = /\[(\d+)\]\.?([\w.]*)\s*:\s*([\s\S]*)/.exec(text);
	if (indexed) return { index: Number(indexed[1]), field: indexed[2], message: indexed[3] || text };
	const loose = /\b(?:index|item|record|position|#)\s*:?\s*(\d+)/i.exec(text);
	return { index: loose ? Number(loose[1]) : undefined, field: '', message: text };
}

interface ItemReport {
	batchIndex: number;
	detail: SalesOsErrorDetail;
}

/** Per-record problems in a 200 response's `data.errors`, paired by index or, failing that, by identifier. */
function reportsIn(errors: unknown, batch: Pending[], sync: BatchSync): { paired: ItemReport[]; unpaired: string[] } {
	const paired: ItemReport[] = [];
	const unpaired: string[] = [];
	for (const entry of Array.isArray(errors) ? errors : []) {
		const object = entry && typeof entry === 'object' ? (entry as IDataObject) : undefined;
		const text = object ? String(object.message ?? object.error ?? JSON.stringify(object)) : String(entry);
		const parsed = parseReport(text);
		let batchIndex = typeof object?.index === 'number' ? object.index : parsed.index;
		if (batchIndex === undefined || batchIndex < 0 || batchIndex >= batch.length) {
			const found = batch.findIndex(({ record }) =>
				sync.identifiersOf(record).some((id) => id !== '' && text.includes(id)),
			);
			batchIndex = found >= 0 ? found : undefined;
		}
		if (batchIndex === undefined) {
			unpaired.push(text);
			continue;
		}
		const field = typeof object?.field === 'string' ? object.field : parsed.field;
		const message = typeof object?.message === 'string' ? object.message : parsed.message;
		paired.push({ batchIndex, detail: { field, message, index: batchIndex } });
	}
	return { paired, unpaired };
}

function recordError(
	context: IExecuteFunctions,
	itemIndex: number,
	sync: BatchSync,
	info: SalesOsErrorInfo,
): NodeOperationError {
	const fields = info.details.map((detail) => `${detail.field ? `${detail.field}: ` : ''}${detail.message}`);
	const error = new NodeOperationError(
		context.getNode(),
		`SalesOS rejected this record of ${sync.action}: ${fields.join('; ') || info.message}`,
		{
			itemIndex,
			description:
				'The other records of the batch were processed. Fix this item and run it again; syncing is idempotent.',
		},
	);
	error.context.salesOs = info as unknown as JsonObject;
	return error;
}

/**
 * Sends one batch; after a 400 that names bad records, sends the rest again. Returns an outcome
 * per pending record, in the same order.
 */
async function sendBatch(
	context: IExecuteFunctions,
	sync: BatchSync,
	batch: Pending[],
): Promise<Outcome[]> {
	const outcomes = new Array<Outcome | undefined>(batch.length);
	let remaining = batch.map((_, position) => position);

	while (remaining.length > 0) {
		const sending = remaining;
		try {
			const response = await request(context, {
				method: 'POST',
				path: '',
				api: 'defaultIntegration',
				body: { action: sync.action, [sync.recordsKey]: sending.map((position) => batch[position].record) },
				retrySafe: true,
			});
			const data = (response.data ?? {}) as IDataObject;
			const { paired, unpaired } = reportsIn(data.errors, sending.map((position) => batch[position]), sync);
			const failedDetails = new Map<number, SalesOsErrorDetail[]>();
			for (const { batchIndex, detail } of paired) {
				failedDetails.set(batchIndex, [...(failedDetails.get(batchIndex) ?? []), detail]);
			}
			sending.forEach((position, batchIndex) => {
				const details = failedDetails.get(batchIndex);
				const { itemIndex, record } = batch[position];
				outcomes[position] = details
					? {
							error: recordError(context, itemIndex, sync, {
								status: response.status,
								code: 'VALIDATION_ERROR',
								message: details.map((detail) => detail.message).join('; '),
								details,
							}),
						}
					: { record: unpaired.length > 0 ? { ...record, warnings: unpaired } : record };
			});
			remaining = [];
		} catch (error) {
			const info = getSalesOsError(error);
			const rejected = new Map<number, SalesOsErrorDetail[]>();
			for (const detail of info?.details ?? []) {
				if (detail.index === undefined || detail.index < 0 || detail.index >= sending.length) continue;
				rejected.set(detail.index, [...(rejected.get(detail.index) ?? []), detail]);
			}
			if (info?.status !== 400 || rejected.size === 0) {
				// The whole batch failed (auth, rate limit exhausted, server error): every record shares it.
				for (const position of sending) {
					outcomes[position] = { error: asNodeError(context.getNode(), error, batch[position].itemIndex) };
				}
				break;
			}
			for (const [batchIndex, details] of rejected) {
				const position = sending[batchIndex];
				outcomes[position] = {
					error: recordError(context, batch[position].itemIndex, sync, { ...info, details }),
				};
			}
			remaining = sending.filter((_, batchIndex) => !rejected.has(batchIndex));
		}
	}
	return outcomes as Outcome[];
}

/** Collects every input item, sends them in batches, and outputs one item per input item. */
export async function runBatchSync(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	sync: BatchSync,
): Promise<INodeExecutionData[]> {
	const continueOnFail = context.continueOnFail();
	const outcomes = new Array<Outcome>(items.length);
	const pending: Pending[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			pending.push({ itemIndex, record: sync.recordFor(itemIndex) });
		} catch (error) {
			const nodeError = asNodeError(context.getNode(), error, itemIndex);
			if (!continueOnFail) throw nodeError;
			outcomes[itemIndex] = { error: nodeError };
		}
	}

	const batches: Pending[][] = [];
	for (let start = 0; start < pending.length; start += sync.batchSize) {
		batches.push(pending.slice(start, start + sync.batchSize));
	}
	// Batches go one after another: each is already as large as SalesOS allows.
	for (const batch of batches) {
		const batchOutcomes = await sendBatch(context, sync, batch);
		batchOutcomes.forEach((outcome, position) => {
			outcomes[batch[position].itemIndex] = outcome;
		});
		const firstFailure = batchOutcomes.find((outcome) => 'error' in outcome);
		if (firstFailure && 'error' in firstFailure && !continueOnFail) throw firstFailure.error;
	}

	return outcomes.map((outcome, itemIndex) =>
		'error' in outcome
			? failedItem(context, items[itemIndex], itemIndex, outcome.error)
			: { json: outcome.record, pairedItem: { item: itemIndex } },
	);
}
