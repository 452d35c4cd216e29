import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { optionsCollection, showFor } from '../../descriptions/commonProperties';
import { requestData, runPerItem } from '../../execution/nodeRun';
import type { ResourceSpec } from '../../records/specs';
import type { SalesOsOperation } from '../types';
import { recordIdProperties, recordPath } from './recordParameters';

/** Get one record by ID (leads, deals, users). */
export function getOperation(resource: ResourceSpec): SalesOsOperation {
	return {
		description: showFor(resource.name, ['get'], [
			...recordIdProperties(resource, 'get'),
			optionsCollection(['concurrency', 'retry']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) =>
				await requestData(this, { method: 'GET', path: recordPath(this, resource, itemIndex) }),
			);
		},
	};
}
