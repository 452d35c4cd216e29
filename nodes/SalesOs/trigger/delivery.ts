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
import { SIGNATURE_HEADER, verifySignature } from './signature';
import { signingSecret } from './subscription';

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
 * webhook(): authenticate, validate, drop what must not run the workflow, then run it with the
 * event. Every refusal and every skip is answered here without an execution; a SalesOS delivery
 * that did not get a 2xx is retried later, so skips that must not be retried answer 200.
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const rawBody = await readRawBody(this);
	const options = this.getNodeParameter('options', {}) as IDataObject;

	const secret = signingSecret.call(this);
	if (secret === undefined) {
		return answer(this, 401, {
			error: 'No signing secret configured for this trigger; activate the workflow again or paste the secret',
		});
	}
	const signature = verifySignature(rawBody, this.getHeaderData()[SIGNATURE_HEADER], secret);
	if (!signature.valid) return answer(this, 401, { error: signature.reason });

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

	const staticData = this.getWorkflowStaticData('node');
	if (wasAccepted(staticData, memoryScope(this), envelope.id)) {
		return answer(this, 200, { received: true, duplicate: true });
	}

	// A deleted record still holds the values of the last sync: its deletion is never an echo.
	const filter = envelope.type.endsWith('.deleted') ? undefined : ownChangesFilter(this);
	const record = isPlainObject(envelope.data) ? envelope.data : undefined;
	if (filter && record && filter.isOwn(record)) {
		return answer(this, 200, { received: true, ignored: 'own change' });
	}

	rememberAccepted(staticData, memoryScope(this), [envelope.id]);
	const changedFields = record && filter?.changedFields?.(record);
	return {
		webhookResponse: { received: true },
		workflowData: [this.helpers.returnJsonArray(outputOf(envelope, options.outputRawEnvelope === true, changedFields))],
	};
}

/**
 * execute(): the first step of every execution a delivery started. Records the event ids in the
 * static data this execution loaded, so n8n saves them when the execution ends and a redelivery
 * after a restart (or to another webhook process) is recognised. Passes the items on unchanged.
 */
export function recordExecutedEvents(this: IExecuteFunctions): INodeExecutionData[] {
	const items = this.getInputData();
	const rawEnvelope = (this.getNodeParameter('options', 0, {}) as IDataObject).outputRawEnvelope === true;
	const eventIds = items
		.map(({ json }) => (rawEnvelope ? json.id : isPlainObject(json.event) ? json.event.id : undefined))
		.filter((id): id is string => typeof id === 'string' && id !== '');
	if (eventIds.length) rememberAccepted(this.getWorkflowStaticData('node'), memoryScope(this), eventIds);
	return items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
}
