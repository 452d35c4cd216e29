import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { optionsCollection, showFor } from '../../descriptions/commonProperties';
import { request, runPerItem } from '../../execution/nodeRun';
import type { ResourceSpec } from '../../records/specs';
import { getSalesOsError } from '../../transport';
import type { SalesOsOperation } from '../types';
import { recordId, recordIdProperties, recordPath } from './recordParameters';

/** Delete one record by ID (leads, deals, webhooks). */
export function deleteOperation(resource: ResourceSpec): SalesOsOperation {
	return {
		description: showFor(resource.name, ['delete'], [
			...recordIdProperties(resource, 'delete'),
			optionsCollection(['concurrency', 'retry']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const path = recordPath(this, resource, itemIndex);
				// A 404 on a retry after a dropped connection means our first attempt deleted it.
				await request(this, { method: 'DELETE', path }).catch((error: unknown) => {
					const info = getSalesOsError(error);
					if (info?.status === 404 && info.retriedAfterAmbiguousFailure) return;
					throw error;
				});
				return { id: recordId(this, resource, itemIndex), deleted: true };
			});
		},
	};
}
