import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fieldsCollection, optionsCollection, showFor } from '../../descriptions/commonProperties';
import { requestData, runPerItem } from '../../execution/nodeRun';
import { buildBody } from '../../records/serialisation';
import { eventsProperty, urlProperty, webhookFields, webhookUpdateFields, withRegisteredEvents } from './fields';

export const description = showFor('webhook', ['create'], [
	{ ...urlProperty, required: true },
	{ ...eventsProperty, required: true },
	fieldsCollection('additionalFields', webhookFields),
	optionsCollection(['concurrency', 'retry']),
]);

/** Not retried after an ambiguous failure: a second POST would create a second subscription. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runPerItem(this, items, async (itemIndex) => {
		const values: IDataObject = {
			...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			url: this.getNodeParameter('url', itemIndex),
			events: this.getNodeParameter('events', itemIndex),
		};
		const body = withRegisteredEvents(buildBody(webhookUpdateFields, values, this.getNode()));
		return await requestData(this, { method: 'POST', path: '/webhooks', body });
	});
}
