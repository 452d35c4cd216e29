import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { recordIdProperties } from '../../descriptions/fieldProperties';
import { fieldsCollection, showFor } from '../../descriptions/commonProperties';
import { inputError, requestData, runPerItem } from '../../execution/nodeRun';
import { buildBody } from '../../records/serialisation';
import type { RecordResource } from '../../records/specs';
import { stampSyncMarker } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { fieldParameters, mappedWriteBody, mapsFields } from './fieldMapperParameter';
import { recordPath } from './recordParameters';
import { syncMarkerOf, writeSettings } from './settingsByVersion';

/** Update a lead or deal: PATCH with the fields set (empty fields are not sent). */
export function update(config: RecordResource): SalesOsOperation {
	return {
		description: showFor(config.resource, ['update'], [
			...recordIdProperties(config, 'update'),
			...fieldParameters(config, [
				fieldsCollection('updateFields', [...config.requiredFields, ...config.optionalFields]),
			]),
			...writeSettings(config, []),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const path = recordPath(this, config, itemIndex);
				const mapped = mapsFields(this, config);
				const body = mapped ? mappedWriteBody(this, config, items, itemIndex, { requireFields: false }) : updateFieldsBody(this, config, itemIndex);
				const marker = syncMarkerOf(this, itemIndex);
				if (Object.keys(body).length === 0 && !marker) {
					throw inputError(
						this,
						itemIndex,
						'Nothing to update',
						`${mapped ? 'Map at least one field' : 'Add at least one field under Update Fields'} (fields left empty are not sent).`,
					);
				}
				return await requestData(this, { method: 'PATCH', path, body: stampSyncMarker(body, marker) });
			});
		},
	};
}

function updateFieldsBody(context: IExecuteFunctions, config: RecordResource, itemIndex: number): IDataObject {
	const updateFields = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	return buildBody([...config.requiredFields, ...config.optionalFields], updateFields, context.getNode());
}
