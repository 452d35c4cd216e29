/**
 * n8n's deduplication store (the `processed_data` table behind `helpers.checkProcessedAndRecord`)
 * in memory, for the in-process engine: n8n-core asks the store n8n's CLI registers at start
 * (DataDeduplicationService.init). Mode `entries` only, as n8n keeps it: per workflow and scope,
 * the newest `maxEntries` values.
 */
import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

const stores = new Map<string, string[]>();

function key(scope: DeduplicationScope, { workflow, node }: ICheckProcessedContextData): string {
	return scope === 'node' ? `${workflow.id}:node:${node?.id ?? ''}` : `${workflow.id}:workflow`;
}

class InMemoryDeduplicator implements IDataDeduplicator {
	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		if (options.mode !== 'entries') throw new Error(`The test engine keeps processed data in mode "entries" only, not "${options.mode}"`);
		const seen = stores.get(key(scope, contextData)) ?? [];
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) (seen.includes(String(item)) ? output.processed : output.new).push(item);
		const kept = [...seen, ...output.new.map(String)].slice(-(options.maxEntries ?? Infinity));
		stores.set(key(scope, contextData), kept);
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		const gone = new Set(items.map(String));
		stores.set(key(scope, contextData), (stores.get(key(scope, contextData)) ?? []).filter((item) => !gone.has(item)));
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		stores.delete(key(scope, contextData));
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<number> {
		return stores.get(key(scope, contextData))?.length ?? 0;
	}
}

let initialised = false;

/** Registers the in-memory store once per test file (jest gives each file its own modules). */
export function useInMemoryDeduplication(): void {
	if (initialised) return;
	void DataDeduplicationService.init(new InMemoryDeduplicator());
	initialised = true;
}

/** Forgets every processed value (as a new n8n database would). */
export function clearProcessedData(): void {
	stores.clear();
}
