import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeOperationError, type NodeApiError } from 'n8n-workflow';

import { follows, SALESOS_V3 } from '../descriptions/versions';
import { getSalesOsError, type SalesOsErrorDetail, type SalesOsErrorInfo } from '../transport';
import { asNodeError, failedItem, request } from './nodeRun';

/**
 * The Default Integration takes records in batches (500 collaborators or 1,000 activities per
 * request). It reports a bad record inside a 200 as a string in `data.errors`,
 * `"<Label> <external_id> (<email>): <message>"`, without an index: each is paired to the one
 * record sent with exactly that external ID and email, or shown as unpaired. A 400 rejects the
 * whole request with `details[{index, field, message}]`: the request is sent again without the
 * bad records. Activities of a collaborator SalesOS does not know are counted as `skipped`
 * without naming them: the node finds them by replaying one activity per email (see findSkipped).
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
	/** How SalesOS names a record in `data.errors`: `<label> <external_id> (<email>): `. */
	errorLabel: 'Collaborator' | 'Activity';
	/** The email SalesOS names in an error string and, for activities, matches the collaborator by. */
	emailKey: 'email' | 'collaborator_email';
	/** What the records are called in messages, e.g. `activities`. */
	noun: string;
	/** What a stored record of a request with these counts was: e.g. `created`, `existing`. */
	outcomeOf(counts: IDataObject): string;
	/** Skipped activities: found per record; `treatAsSuccess` only in node versions before 3. */
	skipped?: { treatAsSuccess: boolean };
}

/** What SalesOS answered for the request a record was in, added to its output as `syncResult`. */
export type SyncResult = IDataObject & { request: number; requests: number; rejected: number };

interface Pending {
	itemIndex: number;
	record: IDataObject;
}

/** `unresolved`: the request had skipped activities and the node could not tell which (why). */
type Outcome = { record: IDataObject; skipped?: boolean; unresolved?: string } | { error: NodeApiError | NodeOperationError };

interface BatchAnswer {
	outcomes: Outcome[];
	counts?: IDataObject;
	unpaired: string[];
	probes: number;
}

const SKIPPED_MESSAGE = 'Collaborator unknown: sync collaborators first';

/** The counts of a Default Integration answer (`processed`, `skipped`, … `total`); `errors` becomes `rejected`. */
function countsOf(data: IDataObject, rejected: number): IDataObject {
	const counts: IDataObject = {};
	for (const [key, value] of Object.entries(data)) if (typeof value === 'number') counts[key] = value;
	return { ...counts, rejected };
}

const errorPrefix = (sync: BatchSync, record: IDataObject) =>
	`${sync.errorLabel} ${String(record.external_id ?? '')} (${String(record[sync.emailKey] ?? '')}): `;

/**
 * Pairs `data.errors` strings with the records sent, by exact external ID and email: a string
 * that fits no record, or more than one (the same external ID and email twice), stays unpaired.
 */
export function pairErrors(
	errors: unknown,
	records: IDataObject[],
	sync: BatchSync,
): { paired: Map<number, SalesOsErrorDetail[]>; unpaired: string[] } {
	const paired = new Map<number, SalesOsErrorDetail[]>();
	const unpaired: string[] = [];
	const prefixes = records.map((record) => errorPrefix(sync, record));
	for (const entry of Array.isArray(errors) ? errors : []) {
		const text = typeof entry === 'string' ? entry : JSON.stringify(entry);
		const matches = prefixes.flatMap((prefix, position) => (text.startsWith(prefix) ? [position] : []));
		if (matches.length !== 1) {
			unpaired.push(text);
			continue;
		}
		const [position] = matches;
		const detail = { field: '', message: text.slice(prefixes[position].length), index: position };
		paired.set(position, [...(paired.get(position) ?? []), detail]);
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

function skippedError(context: IExecuteFunctions, itemIndex: number, record: IDataObject): NodeOperationError {
	const error = new NodeOperationError(context.getNode(), `SalesOS skipped this activity: ${SKIPPED_MESSAGE}`, {
		itemIndex,
		description: `SalesOS has no collaborator with the email ${String(record.collaborator_email)}, so it did not store the activity. Sync the collaborator (Collaborator → Sync) and run this item again; activities already stored only count as duplicates.`,
	});
	const info: SalesOsErrorInfo = { status: 200, code: 'SKIPPED', message: SKIPPED_MESSAGE, details: [] };
	error.context.salesOs = info as unknown as JsonObject;
	return error;
}

/** An activity of a request with skipped ones that the node could not tell apart: neither stored nor skipped is certain. */
function unresolvedError(context: IExecuteFunctions, itemIndex: number, counts: IDataObject, reason: string): NodeOperationError {
	const message = `SalesOS skipped ${String(counts.skipped)} of ${String(counts.total)} activities of this request; the node could not find out which: ${reason}`;
	const error = new NodeOperationError(context.getNode(), message, {
		itemIndex,
		description: `${SKIPPED_MESSAGE}. Run these items again: activities SalesOS stored only count as duplicates.`,
	});
	const info: SalesOsErrorInfo = { status: 200, code: 'SKIPPED_UNKNOWN', message, details: [] };
	error.context.salesOs = info as unknown as JsonObject;
	return error;
}

async function post(context: IExecuteFunctions, sync: BatchSync, records: IDataObject[]) {
	return await request(context, {
		method: 'POST',
		path: '',
		api: 'defaultIntegration',
		body: { action: sync.action, [sync.recordsKey]: records },
		retrySafe: true,
	});
}

const emailOf = (record: IDataObject) => String(record.collaborator_email ?? '').toLowerCase();

/**
 * Which collaborator emails SalesOS does not know, among `emails` (each with one activity that
 * SalesOS accepted). Replaying an activity is idempotent (a stored one counts as a duplicate), and
 * SalesOS skips exactly the activities of unknown emails, so replaying one activity per email
 * tells them apart: a group is replayed at once (its `skipped` count is its number of unknown
 * emails) and split in halves while it is mixed; the second half's count is the group's minus
 * the first half's, so only first halves are replayed. `skipped` undefined: not known yet.
 */
async function findUnknownEmails(
	context: IExecuteFunctions,
	sync: BatchSync,
	emails: string[],
	probe: Map<string, IDataObject>,
	skipped: number | undefined,
	cost: { requests: number },
): Promise<string[]> {
	let unknown = skipped;
	if (unknown === undefined) {
		cost.requests++;
		const { data } = await post(context, sync, emails.map((email) => probe.get(email)!));
		unknown = Number((data as IDataObject | null)?.skipped ?? 0);
	}
	if (unknown === 0) return [];
	if (unknown >= emails.length) return emails;
	const half = Math.ceil(emails.length / 2);
	const first = await findUnknownEmails(context, sync, emails.slice(0, half), probe, undefined, cost);
	const second = await findUnknownEmails(context, sync, emails.slice(half), probe, unknown - first.length, cost);
	return [...first, ...second];
}

/**
 * The unknown emails of a request with skipped and stored activities. Its counts are of
 * activities, not emails, so both halves are replayed once; then only first halves. Costs at most
 * 2 + u·(⌈log2 n⌉ − 1) requests for u unknown among n ≥ 2 emails, and never more than n.
 */
async function findUnknownInMixed(
	context: IExecuteFunctions,
	sync: BatchSync,
	emails: string[],
	probe: Map<string, IDataObject>,
	cost: { requests: number },
): Promise<string[]> {
	if (emails.length === 1) return await findUnknownEmails(context, sync, emails, probe, undefined, cost);
	const half = Math.ceil(emails.length / 2);
	return [
		...(await findUnknownEmails(context, sync, emails.slice(0, half), probe, undefined, cost)),
		...(await findUnknownEmails(context, sync, emails.slice(half), probe, undefined, cost)),
	];
}

/** Marks the stored records of a request with skipped activities as skipped or stored, exactly. */
async function findSkipped(
	context: IExecuteFunctions,
	sync: BatchSync,
	accepted: Pending[],
	counts: IDataObject,
): Promise<{ skipped: Set<Pending>; probes: number }> {
	const stored = Number(counts.processed ?? 0) + Number(counts.duplicates ?? 0);
	if (stored === 0) return { skipped: new Set(accepted), probes: 0 };
	const probe = new Map<string, IDataObject>();
	for (const { record } of accepted) if (!probe.has(emailOf(record))) probe.set(emailOf(record), record);
	const emails = [...probe.keys()];
	const cost = { requests: 0 };
	const unknown = new Set(await findUnknownInMixed(context, sync, emails, probe, cost));
	return { skipped: new Set(accepted.filter(({ record }) => unknown.has(emailOf(record)))), probes: cost.requests };
}

/** The skipped activities of a request, or why they could not be found (a replay failed). */
async function skippedAmong(
	context: IExecuteFunctions,
	sync: BatchSync,
	accepted: Pending[],
	counts: IDataObject,
): Promise<{ skipped: Set<Pending>; probes: number; unresolved?: string }> {
	if (!sync.skipped || Number(counts.skipped ?? 0) === 0) return { skipped: new Set(), probes: 0 };
	try {
		return await findSkipped(context, sync, accepted, counts);
	} catch (error) {
		return { skipped: new Set(), probes: 0, unresolved: (error as Error).message };
	}
}

/**
 * Sends one batch; after a 400 that names bad records, sends the rest again. Returns an outcome
 * per pending record, in the same order.
 */
async function sendBatch(context: IExecuteFunctions, sync: BatchSync, batch: Pending[]): Promise<BatchAnswer> {
	const outcomes = new Array<Outcome | undefined>(batch.length);
	let remaining = batch.map((_, position) => position);
	const answer: BatchAnswer = { outcomes: [], unpaired: [], probes: 0 };

	while (remaining.length > 0) {
		const sending = remaining;
		try {
			const response = await post(context, sync, sending.map((position) => batch[position].record));
			const data = (response.data ?? {}) as IDataObject;
			const records = sending.map((position) => batch[position].record);
			const { paired, unpaired } = pairErrors(data.errors, records, sync);
			answer.unpaired = unpaired;
			answer.counts = countsOf(data, batch.length - sending.length + paired.size);
			const accepted = sending.filter((_, sent) => !paired.has(sent)).map((position) => batch[position]);
			const found = await skippedAmong(context, sync, accepted, answer.counts);
			answer.probes = found.probes;
			sending.forEach((position, sent) => {
				const details = paired.get(sent);
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
					: { record, skipped: found.skipped.has(batch[position]), unresolved: found.unresolved };
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
			for (const [sent, details] of rejected) {
				const position = sending[sent];
				outcomes[position] = {
					error: recordError(context, batch[position].itemIndex, sync, { ...info, details }),
				};
			}
			remaining = sending.filter((_, sent) => !rejected.has(sent));
		}
	}
	answer.outcomes = outcomes as Outcome[];
	return answer;
}

const formatCount = (value: number) => value.toLocaleString('en-US');

/** One execution hint with the totals of the run, so what SalesOS did is visible without opening items. */
function addTotalsHint(context: IExecuteFunctions, sync: BatchSync, totals: IDataObject, requests: number) {
	const parts = Object.entries(totals)
		.filter(([key]) => key !== 'total' && key !== 'probes')
		.map(([key, value]) => `${formatCount(Number(value))} ${key}`);
	const probes = Number(totals.probes ?? 0);
	const problems = Number(totals.skipped ?? 0) + Number(totals.rejected ?? 0) > 0;
	context.addExecutionHints({
		message: `SalesOS ${sync.action}: ${formatCount(Number(totals.total ?? 0))} ${sync.noun} in ${formatCount(requests)} request${requests === 1 ? '' : 's'}: ${parts.join(', ')}${probes ? ` (${formatCount(probes)} more to find the skipped ones)` : ''}`,
		type: problems ? 'warning' : 'info',
		location: 'outputPane',
	});
}

function addUnpairedHint(context: IExecuteFunctions, unpaired: string[]) {
	context.addExecutionHints({
		message: `SalesOS reported ${unpaired.length} problem${unpaired.length === 1 ? '' : 's'} that match${unpaired.length === 1 ? 'es' : ''} no single item (see syncResult.unpaired): ${unpaired.slice(0, 3).join('; ')}`,
		type: 'warning',
		location: 'outputPane',
	});
}

/** The Default Integration accepts API keys only: say so before any request. */
function checkAuthentication(context: IExecuteFunctions, sync: BatchSync) {
	if (context.getNodeParameter('authentication', 0, 'clientCredentials') === 'apiKey') return;
	throw new NodeOperationError(context.getNode(), `Set Authentication to API Key to sync ${sync.noun}`, {
		description:
			'SalesOS’s Default Integration accepts only an API key (sk_live_… or sk_test_…, scope default:sync) and refuses OAuth2 tokens with 401. Create a key in SalesOS under Admin → Integrations → API Keys and choose it in a SalesOS (API Key) credential.',
	});
}

/** Versions 1 and 2 put the problems no item matched on every record as `warnings`; saved workflows may read it. */
function legacyWarnings(context: IExecuteFunctions, syncResult: SyncResult | undefined): IDataObject {
	const unpaired = syncResult?.unpaired;
	return unpaired && !follows(SALESOS_V3, context.getNode()) ? { warnings: unpaired } : {};
}

function itemOutcome(
	context: IExecuteFunctions,
	sync: BatchSync,
	outcome: Outcome,
	itemIndex: number,
	syncResult: SyncResult | undefined,
): Outcome {
	if ('error' in outcome) return outcome;
	if (outcome.unresolved !== undefined) return { error: unresolvedError(context, itemIndex, syncResult ?? {}, outcome.unresolved) };
	if (outcome.skipped && !sync.skipped?.treatAsSuccess) return { error: skippedError(context, itemIndex, outcome.record) };
	const result = syncResult && { ...syncResult, outcome: outcome.skipped ? 'skipped' : sync.outcomeOf(syncResult) };
	return { record: { ...outcome.record, ...legacyWarnings(context, syncResult), ...(result ? { syncResult: result } : {}) } };
}

/** Collects every input item, sends them in batches, and outputs one item per input item. */
export async function runBatchSync(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	sync: BatchSync,
): Promise<INodeExecutionData[]> {
	checkAuthentication(context, sync);
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
	const unpaired: string[] = [];
	for (const [batchNumber, batch] of batches.entries()) {
		const request = batchNumber + 1;
		const answer = await sendBatch(context, sync, batch);
		const counts = answer.counts && {
			...answer.counts,
			...(answer.probes ? { probes: answer.probes } : {}),
			...(answer.unpaired.length ? { unpaired: answer.unpaired } : {}),
		};
		const syncResult = counts && ({ request, requests: batches.length, ...counts } as SyncResult);
		for (const [key, value] of Object.entries(answer.counts ?? {})) totals[key] = Number(totals[key] ?? 0) + Number(value);
		if (answer.probes) totals.probes = Number(totals.probes ?? 0) + answer.probes;
		unpaired.push(...answer.unpaired);
		answer.outcomes.forEach((outcome, position) => {
			const { itemIndex } = batch[position];
			outcomes[itemIndex] = itemOutcome(context, sync, outcome, itemIndex, syncResult);
		});
		const firstFailure = batch.map(({ itemIndex }) => outcomes[itemIndex]).find((outcome) => 'error' in outcome);
		if (firstFailure && 'error' in firstFailure && !continueOnFail) throw firstFailure.error;
	}
	if (batches.length > 0 && Object.keys(totals).length > 0) addTotalsHint(context, sync, totals, batches.length);
	if (unpaired.length > 0) addUnpairedHint(context, unpaired);

	return outcomes.map((outcome, itemIndex) =>
		'error' in outcome
			? failedItem(context, items[itemIndex], itemIndex, outcome.error)
			: { json: outcome.record, pairedItem: { item: itemIndex } },
	);
}
