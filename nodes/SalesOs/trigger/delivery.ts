import { sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { rememberAccepted, wasAccepted } from './deliveryMemory';
import { isEventSelected } from './events';
import { ownChangesFilter } from './ownChanges';
import { NO_SECRET_MATCHED, SIGNATURE_HEADER, verifySignature, verifySignatureWithAny, type SignatureCheck } from './signature';
import { currentSigningSecrets, lookedUpSigningSecret } from './subscription';

/**
 * How many event ids n8n's deduplication store keeps per trigger node (oldest dropped first):
 * far more than SalesOS can retry within its schedule (up to about 15 hours) at realistic rates.
 */
export const PROCESSED_EVENTS_KEPT = 10_000;

/**
 * n8n's store reads a node's whole list, adds to it and writes it back, with no lock or
 * transaction (n8n 2.40.7 dist/deduplication/deduplication-helper.js:184-192 and 141-182): an
 * execution that read the list before ours wrote it writes it back without our ids, and the
 * first two executions of a node both insert its row (one fails on the primary key). So a call
 * that fails is made once more, and the ids recorded are checked again after a pause until they
 * stayed (a check re-records what was lost).
 */
const CONFIRMATION_ROUNDS = 3;
const CONFIRMATION_PAUSE_MS = 300;

const NOT_VERIFIED_HINT =
	'The signature matches none of this trigger’s signing secrets. If you changed the SalesOS credential’s secret, publish the workflow again; with Manual registration, check the signing secret credential.';

/** The documented delivery body: `{"id","type","version","ts","tenant","data"}`. */
interface EventEnvelope extends IDataObject {
	id: string;
	type: string;
}

type Parsed = { envelope: EventEnvelope } | { problem: string };

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEnvelope(rawBody: Buffer): Parsed {
	if (rawBody.length === 0) return { problem: 'Empty body, expected a SalesOS event as JSON' };
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return { problem: 'Body is not valid JSON' };
	}
	if (!isPlainObject(body) || typeof body.id !== 'string' || body.id === '' || typeof body.type !== 'string') {
		return { problem: 'Body is not a SalesOS event: expected an object with string "id" and "type"' };
	}
	return { envelope: body as EventEnvelope };
}

/** Event time in ms; `ts` may be ISO 8601 or Unix seconds/milliseconds (the docs do not say). */
function eventTimeMs(ts: unknown): number | undefined {
	const numeric = typeof ts === 'number' ? ts : typeof ts === 'string' && /^\d+(\.\d+)?$/.test(ts) ? Number(ts) : NaN;
	if (Number.isFinite(numeric)) return numeric < 1e12 ? numeric * 1000 : numeric;
	const parsed = typeof ts === 'string' ? Date.parse(ts) : NaN;
	return Number.isNaN(parsed) ? undefined : parsed;
}

function outputOf(envelope: EventEnvelope, rawEnvelope: boolean, changedFields: string[] | undefined): IDataObject {
	const changed = changedFields ? { changedFields } : {};
	if (rawEnvelope) return { ...envelope, ...changed };
	const { id, type, ts, version, tenant, data } = envelope;
	const record = isPlainObject(data) ? data : data === undefined || data === null ? {} : { data };
	return { ...record, ...changed, event: { id, type, ts, version, tenant } };
}

/** The delivery memory of one trigger node of one workflow. */
function memoryScope(context: IWebhookFunctions | IExecuteFunctions): string {
	return `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
}

/** Answers the request here, so n8n sends nothing more and starts no execution. */
function answer(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * The request's bytes as they arrived. n8n reads them before the trigger runs for JSON, text,
 * form and XML bodies (and for every body of a version-1 node); for other content types the
 * trigger reads them itself, with n8n's own reader.
 */
async function readRawBody(context: IWebhookFunctions): Promise<Buffer> {
	const request = context.getRequestObject() as ReturnType<IWebhookFunctions['getRequestObject']> & {
		readRawBody?: () => Promise<void>;
	};
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

/**
 * Checks the signature against the secrets the trigger knows. A well-formed signature that none
 * of them produced may be signed with a secret a stale static-data save made this process forget:
 * SalesOS's subscription then says which one (rate-limited lookup).
 */
async function checkSignature(context: IWebhookFunctions, rawBody: Buffer, scope: string): Promise<SignatureCheck & { configured: boolean }> {
	const header = context.getHeaderData()[SIGNATURE_HEADER];
	const { secrets, configured } = await currentSigningSecrets.call(context, scope);
	const check = verifySignatureWithAny(rawBody, header, secrets);
	if (check.valid || check.reason !== NO_SECRET_MATCHED) return { ...check, configured };
	const current = await lookedUpSigningSecret.call(context, scope);
	if (current === undefined) return { ...check, configured };
	return { ...verifySignature(rawBody, header, current), configured: true };
}

/**
 * webhook(): authenticate, validate, drop what must not run the workflow, then run it with the
 * event. Every refusal and every skip is answered here without an execution; a SalesOS delivery
 * that did not get a 2xx is retried later, so skips that must not be retried answer 200. Writes
 * no static data (see deliveryMemory.ts).
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const rawBody = await readRawBody(this);
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const scope = memoryScope(this);

	const signature = await checkSignature(this, rawBody, scope);
	if (!signature.valid && !signature.configured) {
		return answer(this, 401, {
			error: 'No signing secret configured for this trigger; publish the workflow again or set the signing secret',
		});
	}
	if (!signature.valid) {
		return answer(this, 401, {
			error: signature.reason,
			...(signature.reason === NO_SECRET_MATCHED ? { description: NOT_VERIFIED_HINT } : {}),
		});
	}

	const parsed = parseEnvelope(rawBody);
	if ('problem' in parsed) return answer(this, 400, { error: parsed.problem });
	const { envelope } = parsed;

	const maxAgeSeconds = Number(options.maxEventAgeSeconds ?? 0);
	if (maxAgeSeconds > 0) {
		const sentAt = eventTimeMs(envelope.ts);
		if (sentAt === undefined || Math.abs(Date.now() - sentAt) > maxAgeSeconds * 1000) {
			return answer(this, 401, { error: `Event timestamp is missing or more than ${maxAgeSeconds} s away` });
		}
	}

	const events = this.getNodeParameter('events', []) as string[];
	if (!isEventSelected(events, envelope.type)) {
		return answer(this, 200, { received: true, ignored: 'event type not selected' });
	}

	if (wasAccepted(scope, envelope.id)) {
		return answer(this, 200, { received: true, duplicate: true });
	}

	// A deleted record still holds the values of the last sync: its deletion is never an echo.
	const filter = envelope.type.endsWith('.deleted') ? undefined : ownChangesFilter(this);
	const record = isPlainObject(envelope.data) ? envelope.data : undefined;
	if (filter && record && filter.isOwn(record)) {
		return answer(this, 200, { received: true, ignored: 'own change' });
	}

	rememberAccepted(scope, envelope.id);
	const changedFields = record && filter?.changedFields?.(record);
	return {
		webhookResponse: { received: true },
		workflowData: [this.helpers.returnJsonArray(outputOf(envelope, options.outputRawEnvelope === true, changedFields))],
	};
}

function eventIdOf(json: IDataObject, rawEnvelope: boolean): string | undefined {
	const id = rawEnvelope ? json.id : isPlainObject(json.event) ? json.event.id : undefined;
	return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * execute(): the first step of every execution a delivery started (in queue mode, on a worker).
 * Passes on only the events no earlier execution of this node passed on, by n8n's deduplication
 * store (the database every process shares, as the Remove Duplicates node uses): the same event
 * sent to two webhook processes, or again after a restart, runs once. An editor test run passes
 * everything and records nothing, so testing never swallows a production event.
 */
export async function passNewEvents(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData().map((item, index) => ({ ...item, pairedItem: { item: index } }));
	if (this.getMode() === 'manual') return items;
	const rawEnvelope = (this.getNodeParameter('options', 0, {}) as IDataObject).outputRawEnvelope === true;
	const eventIds = items.map(({ json }) => eventIdOf(json, rawEnvelope));
	const known = eventIds.filter((id): id is string => id !== undefined);
	if (known.length === 0) return items;
	const fresh = (await checkAndRecord(this, known)).map(String);
	for (let round = 0, unconfirmed = fresh; round < CONFIRMATION_ROUNDS && unconfirmed.length > 0; round++) {
		await sleep(CONFIRMATION_PAUSE_MS);
		unconfirmed = (await checkAndRecord(this, unconfirmed)).map(String);
	}
	const passed = new Set(fresh);
	return items.filter((_, index) => eventIds[index] === undefined || passed.has(eventIds[index]!));
}

/** The ids of `eventIds` n8n's deduplication store did not hold (it holds them now). */
async function checkAndRecord(context: IExecuteFunctions, eventIds: string[]) {
	const check = async () =>
		await context.helpers.checkProcessedAndRecord(eventIds, 'node', { mode: 'entries', maxEntries: PROCESSED_EVENTS_KEPT });
	try {
		return (await check()).new;
	} catch {
		// Another execution inserted the node's row first: it is there now.
		return (await check()).new;
	}
}
