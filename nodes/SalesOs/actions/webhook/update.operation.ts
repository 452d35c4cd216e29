import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fieldsCollection, optionsCollection, showFor } from '../../descriptions/commonProperties';
import { inputError, requestData, runPerItem } from '../../execution/nodeRun';
import { buildBody } from '../../records/serialisation';
import { WEBHOOK } from '../../records/specs';
import { recordIdProperties, recordPath } from '../recordOperations/recordParameters';
import { webhookUpdateFields, withRegisteredEvents } from './fields';

export const description = showFor('webhook', ['update'], [
	...recordIdProperties(WEBHOOK, 'update'),
	fieldsCollection('updateFields', webhookUpdateFields),
	optionsCollection(['concurrency', 'retry']),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runPerItem(this, items, async (itemIndex) => {
		const path = recordPath(this, WEBHOOK, itemIndex);
		const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const body = withRegisteredEvents(buildBody(webhookUpdateFields, updateFields, this.getNode()));
		if (Object.keys(body).length === 0) {
			throw inputError(this, itemIndex, 'Nothing to update', 'Add at least one field under Update Fields.');
		}
		return await requestData(this, { method: 'PATCH', path, body });
	});
}
