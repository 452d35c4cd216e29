import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { recordIdProperty } from '../../descriptions/fieldProperties';
import { fieldsCollection, showFor } from '../../descriptions/parameters';
import { inputError, requestData, runPerItem } from '../../execution/nodeRun';
import { buildBody } from '../../records/serialisation';
import type { RecordResource } from '../../records/specs';
import { stampSyncMarker } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { recordPath } from './parameters';
import { syncMarkerOf, writeSettings } from './settingsByVersion';

/** Update a lead or deal: PATCH with the fields set (empty fields are not sent). */
export function update(config: RecordResource): SalesOsOperation {
	return {
		description: showFor(config.resource, ['update'], [
			recordIdProperty(config, 'update'),
			fieldsCollection('updateFields', [...config.requiredFields, ...config.optionalFields]),
			...writeSettings(config, []),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const path = recordPath(this, config, itemIndex);
				const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
				const specs = [...config.requiredFields, ...config.optionalFields];
				const body = buildBody(specs, updateFields, this.getNode());
				const marker = syncMarkerOf(this, itemIndex);
				if (Object.keys(body).length === 0 && !marker) {
					throw inputError(
						this,
						itemIndex,
						'Nothing to update',
						'Add at least one field under Update Fields (fields left empty are not sent).',
					);
				}
				return await requestData(this, { method: 'PATCH', path, body: stampSyncMarker(body, marker) });
			});
		},
	};
}
