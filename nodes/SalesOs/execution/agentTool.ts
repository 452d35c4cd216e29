import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getSalesOsError } from '../transport';

/**
 * Whether this run is an AI agent calling the node as its tool ("SalesOS Tool"). n8n runs a
 * `usableAsTool` node as a tool under its type name plus "Tool" (`n8n-nodes-salesos.salesOsTool`):
 * n8n's convertNodeToAiTool appends the suffix, and its `@tool` display option and isToolType()
 * test for it, as verified community nodes (Apify) do.
 */
function runsAsTool(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

/** Bookkeeping an agent does not reason about; everything else it may need. */
const OMITTED_FOR_AGENTS = new Set(['created_at', 'updated_at']);

function isEmpty(value: unknown): boolean {
	if (value === null || value === undefined || value === '') return true;
	if (Array.isArray(value)) return value.length === 0;
	return typeof value === 'object' && Object.keys(value).length === 0;
}

/** A record as an agent reads it: its ID and the fields that have a value. */
function compactForAgent(record: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(record).filter(([key, value]) => !OMITTED_FOR_AGENTS.has(key) && !isEmpty(value)),
	);
}

/**
 * One plain sentence an agent can act on. n8n hands the model only the error's message, so
 * field problems SalesOS reported go into it, without status codes or request paths.
 */
function toolErrorSentence(error: Error): string {
	const info = getSalesOsError(error);
	const details = info?.details ?? [];
	if (details.length && (info?.status === 400 || info?.status === 422)) {
		const problems = details.map((detail) => `${detail.field || 'the record'} (${detail.message})`).join(', ');
		return `SalesOS refused the value of ${problems}; correct ${details.length > 1 ? 'them' : 'it'} and call the tool again.`;
	}
	return error.message.replace(/\s+/g, ' ').trim();
}

/**
 * Runs one operation of the node. Used by an agent as its tool, the output is compact and a
 * failure is one sentence; the full error description stays on the error for the execution log.
 */
export async function runOperation(
	context: IExecuteFunctions,
	operation: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	if (!runsAsTool(context)) return await operation();
	try {
		const items = await operation();
		// n8n would hand the model an empty string for no items.
		if (!items.length) return [{ json: { message: 'Nothing in SalesOS matched.' }, pairedItem: { item: 0 } }];
		return items.map((item) => ({ ...item, json: compactForAgent(item.json) }));
	} catch (error) {
		const nodeError =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(context.getNode(), error as Error);
		nodeError.message = toolErrorSentence(nodeError);
		throw nodeError;
	}
}
