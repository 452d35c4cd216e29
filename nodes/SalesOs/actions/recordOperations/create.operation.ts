import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { showFor } from '../../descriptions/commonProperties';
import { runPerItem } from '../../execution/nodeRun';
import type { ResourceSpec } from '../../records/specs';
import { createRecord, type OnDuplicate } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { fieldsParameter, mappedWriteBody, mapsFields } from './fieldMapperParameter';
import { optionsOf, requiredAndAdditionalFields, writeBody } from './recordParameters';
import { syncMarkerOf, syncMarkerAndOptions } from './settingsByVersion';

/** Create a lead or deal: POST with the fields set; a 409 follows On Duplicate. */
export function createOperation(resource: ResourceSpec): SalesOsOperation {
	return {
		description: showFor(resource.name, ['create'], [
			...fieldsParameter(resource, { version1: requiredAndAdditionalFields(resource) }),
			...syncMarkerAndOptions(resource, ['onDuplicate']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const options = optionsOf(this, itemIndex);
				const onDuplicate = (options.onDuplicate ?? 'error') as OnDuplicate;
				const body = mapsFields(this, resource)
					? mappedWriteBody(this, resource, items, itemIndex, { requireFields: true })
					: writeBody(this, resource, itemIndex);
				return await createRecord(this, resource, itemIndex, body, onDuplicate, syncMarkerOf(this, itemIndex));
			});
		},
	};
}
