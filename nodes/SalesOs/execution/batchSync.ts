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
	/** What the records are called in messages, e.g. `activities`. */
	noun: string;
	/**
	 * When a response counts `skipped` records without saying which, every record of that
	 * request fails with this reason, unless the user chose to treat skips as success.
	 */
	skipped?: { reason: string; whatToDo: string; treatAsSuccess: boolean };
}

/** What SalesOS answered for the request a record was in, added to its output as `syncResult`. */
export type SyncResult = IDataObject & { request: number; requests: number; rejected: number };

interface Pending {
	itemIndex: number;
	record: IDataObject;
}

type Outcome = { record: IDataObject } | { error: NodeApiError | NodeOperationError };

/** The counts of a Default Integration answer (`processed`, `skipped`, … `total`); `errors` becomes `rejected`. */
function countsOf(data: IDataObject, rejected: number): IDataObject {
	const counts: IDataObject = {};
	for (const [key, value] of Object.entries(data)) if (typeof value === 'number') counts[key] = value;
	return { ...counts, rejected };
}

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
): Promise<{ outcomes: Outcome[]; counts?: IDataObject }> {
	const outcomes = new Array<Outcome | undefined>(batch.length);
	let remaining = batch.map((_, position) => position);
	let counts: IDataObject | undefined;

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
			counts = countsOf(data, batch.length - sending.length + failedDetails.size);
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
	return { outcomes: outcomes as Outcome[], counts };
}

/** The error of a record whose request SalesOS answered with skipped records it did not name. */
function skippedError(
	context: IExecuteFunctions,
	itemIndex: number,
	sync: BatchSync,
	counts: IDataObject,
	request: number,
): NodeOperationError {
	const skipped = sync.skipped!;
	const message = `SalesOS skipped ${String(counts.skipped)} of ${String(counts.total)} ${sync.noun} in request ${request}: ${skipped.reason}`;
	const error = new NodeOperationError(context.getNode(), message, {
		itemIndex,
		description: `SalesOS does not say which ${sync.noun} it skipped, so every one of that request is reported here; the others were stored, and sending them again only counts them as duplicates. ${skipped.whatToDo}`,
	});
	error.context.salesOs = { status: 200, code: 'SKIPPED', message, details: [] } as unknown as JsonObject;
	return error;
}

const formatCount = (value: number) => value.toLocaleString('en-US');

/** One execution hint with the totals of the run, so what SalesOS did is visible without opening items. */
function addTotalsHint(context: IExecuteFunctions, sync: BatchSync, totals: IDataObject, requests: number) {
	const parts = Object.entries(totals)
		.filter(([key]) => key !== 'total')
		.map(([key, value]) => `${formatCount(Number(value))} ${key}`);
	const problems = Number(totals.skipped ?? 0) + Number(totals.rejected ?? 0) > 0;
	context.addExecutionHints({
		message: `SalesOS ${sync.action}: ${formatCount(Number(totals.total ?? 0))} ${sync.noun} in ${formatCount(requests)} request${requests === 1 ? '' : 's'}: ${parts.join(', ')}`,
		type: problems ? 'warning' : 'info',
		location: 'outputPane',
	});
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
	const totals: IDataObject = {};
	for (const [batchNumber, batch] of batches.entries()) {
		const request = batchNumber + 1;
		const { outcomes: batchOutcomes, counts } = await sendBatch(context, sync, batch);
		const syncResult = counts && ({ request, requests: batches.length, ...counts } as SyncResult);
		for (const [key, value] of Object.entries(counts ?? {})) totals[key] = Number(totals[key] ?? 0) + Number(value);
		const failsSkipped = !!counts && Number(counts.skipped) > 0 && !!sync.skipped && !sync.skipped.treatAsSuccess;
		batchOutcomes.forEach((outcome, position) => {
			const { itemIndex } = batch[position];
			outcomes[itemIndex] =
				'error' in outcome
					? outcome
					: failsSkipped
						? { error: skippedError(context, itemIndex, sync, counts, request) }
						: { record: { ...outcome.record, syncResult } };
		});
		const firstFailure = batch.map(({ itemIndex }) => outcomes[itemIndex]).find((outcome) => 'error' in outcome);
		if (firstFailure && 'error' in firstFailure && !continueOnFail) throw firstFailure.error;
	}
	if (batches.length > 0 && Object.keys(totals).length > 0) addTotalsHint(context, sync, totals, batches.length);

	return outcomes.map((outcome, itemIndex) =>
		'error' in outcome
			? failedItem(context, items[itemIndex], itemIndex, outcome.error)
			: { json: outcome.record, pairedItem: { item: itemIndex } },
	);
}
