import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { requiredFieldProperties, fieldsCollection, showFor } from '../../descriptions/commonProperties';
import { runPerItem } from '../../execution/nodeRun';
import type { RecordResource } from '../../records/specs';
import { createRecord, type OnDuplicate } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { fieldParameters, mappedWriteBody, mapsFields } from './fieldMapperParameter';
import { optionsOf, writeBody } from './recordParameters';
import { syncMarkerOf, writeSettings } from './settingsByVersion';

/** Create a lead or deal: POST with the fields set; a 409 follows On Duplicate. */
export function create(config: RecordResource): SalesOsOperation {
	return {
		description: showFor(config.resource, ['create'], [
			...fieldParameters(config, [
				...requiredFieldProperties(config.requiredFields),
				fieldsCollection('additionalFields', config.optionalFields),
			]),
			...writeSettings(config, ['onDuplicate']),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const options = optionsOf(this, itemIndex);
				const onDuplicate = (options.onDuplicate ?? 'error') as OnDuplicate;
				const body = mapsFields(this, config)
					? mappedWriteBody(this, config, items, itemIndex, { requireFields: true })
					: writeBody(this, config, itemIndex);
				return await createRecord(this, config, itemIndex, body, onDuplicate, syncMarkerOf(this, itemIndex));
			});
		},
	};
}
