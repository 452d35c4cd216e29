/**
 * SalesOS retries a delivery with the same event id when it did not see our 2xx (1 min, 5 min,
 * 30 min, 2 h, 12 h). This process answers a retry of an event it accepted itself at once, without
 * starting an execution. It is only a fast path: each n8n process has its own memory, and the
 * trigger's execute() is what guarantees one run per event (n8n's deduplication store, shared by
 * every process). Nothing here is written to static data: in queue mode a worker's save of static
 * data would overwrite what the main process registered.
 */
const DELIVERY_MEMORY_LIMIT = 1000;
const DELIVERY_MEMORY_TTL_MS = 24 * 60 * 60 * 1000;

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

export function wasAccepted(scope: string, eventId: string, now = Date.now()): boolean {
	return processMemory(scope, now).has(eventId);
}

export function rememberAccepted(scope: string, eventId: string, now = Date.now()): void {
	const memory = processMemory(scope, now);
	memory.delete(eventId);
	memory.set(eventId, now);
}

/** For tests: this process forgets every accepted event (as another n8n process would). */
export function forgetAcceptedEvents(): void {
	acceptedInProcess.clear();
}
