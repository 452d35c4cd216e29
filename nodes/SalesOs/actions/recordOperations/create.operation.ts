import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { requiredFieldProperties, fieldsCollection, showFor } from '../../descriptions/commonProperties';
import { runPerItem } from '../../execution/nodeRun';
import type { ResourceSpec } from '../../records/specs';
import { createRecord, type OnDuplicate } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { fieldParameters, mappedWriteBody, mapsFields } from './fieldMapperParameter';
import { optionsOf, writeBody } from './recordParameters';
import { syncMarkerOf, writeSettings } from './settingsByVersion';

/** Create a lead or deal: POST with the fields set; a 409 follows On Duplicate. */
export function createOperation(resource: ResourceSpec): SalesOsOperation {
	return {
		description: showFor(resource.name, ['create'], [
			...fieldParameters(resource, [
				...requiredFieldProperties(resource.requiredFields),
				fieldsCollection('additionalFields', resource.optionalFields),
			]),
			...writeSettings(resource, ['onDuplicate']),
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
