import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { recordIdProperties } from '../../descriptions/fieldProperties';
import { fieldsCollection, optionsCollection, showFor } from '../../descriptions/parameters';
import { inputError, requestData, runPerItem } from '../../execution/nodeRun';
import { buildBody } from '../../records/serialisation';
import type { RecordResource } from '../../records/specs';
import { stampSyncMarker, syncMarkerFrom } from '../../records/writes';
import type { SalesOsOperation } from '../types';
import { optionsOf, recordPath, writeOptions } from './parameters';

/** Update a lead or deal: PATCH with the fields set (empty fields are not sent). */
export function update(config: RecordResource): SalesOsOperation {
	return {
		description: showFor(config.resource, ['update'], [
			...recordIdProperties(config, 'update'),
			fieldsCollection('updateFields', [...config.requiredFields, ...config.optionalFields]),
			optionsCollection(writeOptions(config)),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const path = recordPath(this, config, itemIndex);
				const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
				const specs = [...config.requiredFields, ...config.optionalFields];
				const body = buildBody(specs, updateFields, this.getNode());
				const marker = syncMarkerFrom(optionsOf(this, itemIndex));
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
