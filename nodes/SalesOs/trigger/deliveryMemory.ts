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

export function wasAccepted(staticData: IDataObject, eventId: string, now = Date.now()): boolean {
	return acceptedEvents(staticData, now).some(([id]) => id === eventId);
}

/**
 * Records an accepted event id. The list is replaced, not mutated in place: n8n notices changes to
 * static data only through assignments to the objects it handed out.
 */
export function rememberAccepted(staticData: IDataObject, eventId: string, now = Date.now()): void {
	const kept = acceptedEvents(staticData, now).filter(([id]) => id !== eventId);
	kept.push([eventId, now]);
	staticData[STATIC_DATA_KEY] = kept.slice(-DELIVERY_MEMORY_LIMIT);
}
