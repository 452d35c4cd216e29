import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { recordIdProperties } from '../../descriptions/fieldProperties';
import { optionsCollection, showFor } from '../../descriptions/commonProperties';
import { requestData, runPerItem } from '../../execution/nodeRun';
import type { RecordEndpoint } from '../../records/specs';
import type { SalesOsOperation } from '../types';
import { recordPath } from './recordParameters';

/** Get one record by ID (leads, deals, users). */
export function get(config: RecordEndpoint): SalesOsOperation {
	return {
		description: showFor(config.resource, ['get'], [
			...recordIdProperties(config, 'get'),
			optionsCollection(['concurrency', 'retry']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) =>
				await requestData(this, { method: 'GET', path: recordPath(this, config, itemIndex) }),
			);
		},
	};
}
