import type { IDataObject } from 'n8n-workflow';

/**
 * SalesOS retries a delivery with the same event id when it did not see our 2xx (1 min, 5 min,
 * 30 min, 2 h, 12 h). Remembering accepted ids for a day covers the whole retry schedule; the
 * count limit keeps the workflow's static data small.
 */
export const DELIVERY_MEMORY_LIMIT = 1000;
export const DELIVERY_MEMORY_TTL_MS = 24 * 60 * 60 * 1000;

const STATIC_DATA_KEY = 'acceptedEvents';

/** [event id, accepted at (ms since epoch)], oldest first */
type AcceptedEvent = [string, number];

function acceptedEvents(staticData: IDataObject, now: number): AcceptedEvent[] {
	const stored = staticData[STATIC_DATA_KEY];
	if (!Array.isArray(stored)) return [];
	return (stored as AcceptedEvent[]).filter(
		(entry) =>
			Array.isArray(entry) &&
			typeof entry[0] === 'string' &&
			typeof entry[1] === 'number' &&
			now - entry[1] < DELIVERY_MEMORY_TTL_MS,
	);
}

/**
 * n8n 2.40 does not save static data written in `webhook()` when that delivery starts an
 * execution: the execution loads the static data afresh from the database. So an accepted id is
 * kept in this process's memory at once (per workflow trigger), and written to static data again
 * by the execution it started (the node's execute()), which n8n saves when the execution ends.
 * Each n8n process (main, each webhook process and worker in queue mode) has its own memory.
 */
const acceptedInProcess = new Map<string, Map<string, number>>();

function processMemory(scope: string, now: number): Map<string, number> {
	let memory = acceptedInProcess.get(scope);
	if (!memory) {
		memory = new Map();
		acceptedInProcess.set(scope, memory);
	}
	// Insertion order is acceptance order, so expired and surplus ids are at the front.
	for (const [id, acceptedAt] of memory) {
		if (memory.size <= DELIVERY_MEMORY_LIMIT && now - acceptedAt < DELIVERY_MEMORY_TTL_MS) break;
		memory.delete(id);
	}
	return memory;
}

export function wasAccepted(staticData: IDataObject, scope: string, eventId: string, now = Date.now()): boolean {
	return (
		processMemory(scope, now).has(eventId) ||
		acceptedEvents(staticData, now).some(([id]) => id === eventId)
	);
}

/**
 * Records accepted event ids in this process and in static data. The stored list also takes
 * the ids this process accepted meanwhile, so executions that each loaded the static data before
 * the other saved it do not erase each other's ids. The list is replaced, not mutated in place:
 * n8n notices changes to static data only through assignments to the objects it handed out.
 */
export function rememberAccepted(staticData: IDataObject, scope: string, eventIds: string[], now = Date.now()): void {
	const memory = processMemory(scope, now);
	for (const eventId of eventIds) {
		memory.delete(eventId);
		memory.set(eventId, now);
	}
	const merged = new Map(acceptedEvents(staticData, now));
	for (const [id, acceptedAt] of memory) merged.set(id, Math.max(acceptedAt, merged.get(id) ?? 0));
	staticData[STATIC_DATA_KEY] = [...merged]
		.sort((a, b) => a[1] - b[1])
		.slice(-DELIVERY_MEMORY_LIMIT);
}
