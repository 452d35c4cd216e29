import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildQuery } from '../records/serialisation';
import { salesOsApiRequest } from '../transport';
import { ownChangesFilter } from './ownChanges';
import { pollFilters, POLLED_RESOURCES, type PolledResource } from './pollResources';
import { byUpdatedAtThenId, readState, saveState, scanChanges, startState, type Page } from './pollCursor';

/** A manual "Fetch Test Event" shows this many of the latest changes. */
export const MANUAL_RUN_SAMPLE_SIZE = 10;
export const DEFAULT_LOOKBACK_SECONDS = 60;
export const DEFAULT_MAX_CHANGES_PER_POLL = 10_000;

async function listPage(context: IPollFunctions, path: string, qs: IDataObject): Promise<Page> {
	const { data, meta } = await salesOsApiRequest.call(context, { method: 'GET', path, qs });
	if (!Array.isArray(data)) {
		throw new NodeOperationError(context.getNode(), `SalesOS answered GET ${path} without a list of records`);
	}
	const total = typeof meta === 'object' && meta !== null ? (meta as IDataObject).total : undefined;
	return { records: data as IDataObject[], ...(typeof total === 'number' ? { total } : {}) };
}

type StartFrom = 'now' | 'allRecords' | 'sinceDate';

function startTime(context: IPollFunctions, startFrom: StartFrom): Date | undefined {
	if (startFrom === 'allRecords') return undefined;
	if (startFrom === 'now') return new Date();
	const sinceDate = context.getNodeParameter('sinceDate', '') as string;
	const startAt = new Date(sinceDate);
	if (sinceDate === '' || Number.isNaN(startAt.getTime())) {
		throw new NodeOperationError(context.getNode(), `Since Date "${sinceDate}" is not a date`, {
			description: 'Enter the date and time the first poll starts from, e.g. 2024-05-01T00:00:00Z',
		});
	}
	return startAt;
}

/** The engine abandons a poll after its budget; stop asking for pages well before that. */
function pollDeadline(context: IPollFunctions, startedAt: number): number {
	const budgetMs = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : 5 * 60_000;
	return startedAt + budgetMs / 2;
}

/**
 * poll(): the changes since the last poll, oldest first, or null when there are none. A manual
 * run shows the latest changes and leaves the saved position alone.
 */
export async function pollChanges(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const resource = this.getNodeParameter('resource') as PolledResource;
	const filters = this.getNodeParameter('filters', {}) as IDataObject;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const filter = ownChangesFilter(this);
	const skip = (record: IDataObject) => filter !== undefined && filter.isOwn(record);
	// With the sync base, each change says which synced fields moved since the last agreement.
	const output = (records: IDataObject[]) =>
		this.helpers.returnJsonArray(
			filter?.changedFields ? records.map((record) => ({ ...record, changedFields: filter.changedFields!(record) })) : records,
		);
	const { path } = POLLED_RESOURCES[resource];
	const query = buildQuery(pollFilters(resource), filters, this.getNode());

	if (this.getMode() === 'manual') {
		const { records } = await listPage(this, path, {
			...query,
			sort: '-updated_at',
			per_page: MANUAL_RUN_SAMPLE_SIZE,
		});
		const latest = records.filter((record) => !skip(record)).sort(byUpdatedAtThenId);
		return latest.length ? [output(latest)] : null;
	}

	const staticData = this.getWorkflowStaticData('node');
	let state = readState(staticData, resource);
	if (state === undefined) {
		const startFrom = this.getNodeParameter('startFrom', 'now') as StartFrom;
		state = startState(resource, startTime(this, startFrom));
		if (startFrom === 'now') {
			// Nothing can have changed after "now" yet: remember the starting point, ask SalesOS next time.
			saveState(staticData, state);
			return null;
		}
	}

	const lookbackSeconds = Number(options.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS);
	const maxChanges = Number(options.maxChangesPerPoll ?? DEFAULT_MAX_CHANGES_PER_POLL);
	const deadline = pollDeadline(this, Date.now());
	const { changes, nextState } = await scanChanges(
		state,
		async (request) =>
			await listPage(this, path, {
				...query,
				...(request.updatedAfter === undefined ? {} : { updated_after: request.updatedAfter }),
				sort: 'updated_at',
				per_page: request.perPage,
				page: request.page,
			}),
		{
			lookbackMs: lookbackSeconds * 1000,
			skip,
			// The rest waits for the next poll; the saved cursor stops where this one stopped reading.
			stopEarly: (changesSoFar) => changesSoFar >= maxChanges || Date.now() > deadline,
		},
	);
	saveState(staticData, nextState);
	return changes.length ? [output(changes)] : null;
}
