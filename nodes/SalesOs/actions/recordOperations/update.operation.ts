import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fieldsCollection, showFor } from '../../descriptions/commonProperties';
import { inputError, requestData, runPerItem } from '../../execution/nodeRun';
import { buildBody } from '../../records/serialisation';
import { writableFields, type ResourceSpec } from '../../records/specs';
import { stampSyncMarker } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { fieldsParameter, mappedWriteBody, mapsFields } from './fieldMapperParameter';
import { recordIdProperties, recordPath } from './recordParameters';
import { syncMarkerOf, syncMarkerAndOptions } from './settingsByVersion';

/** Update a lead or deal: PATCH with the fields set (empty fields are not sent). */
export function updateOperation(resource: ResourceSpec): SalesOsOperation {
	return {
		description: showFor(resource.name, ['update'], [
			...recordIdProperties(resource, 'update'),
			...fieldsParameter(resource, { version1: [fieldsCollection('updateFields', writableFields(resource))] }),
			...syncMarkerAndOptions(resource, []),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const path = recordPath(this, resource, itemIndex);
				const mapped = mapsFields(this, resource);
				const body = mapped ? mappedWriteBody(this, resource, items, itemIndex, { requireFields: false }) : updateFieldsBody(this, resource, itemIndex);
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

function updateFieldsBody(context: IExecuteFunctions, resource: ResourceSpec, itemIndex: number): IDataObject {
	const updateFields = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	return buildBody(writableFields(resource), updateFields, context.getNode());
}
