import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { optionsCollection, showFor } from '../../descriptions/commonProperties';
import { requestData, runPerItem } from '../../execution/nodeRun';
import { DEAL } from '../../records/specs';
import { recordIdProperties, recordPath } from '../recordOperations/recordParameters';

export const description = showFor('deal', ['close'], [
	...recordIdProperties(DEAL, 'close'),
	{
		displayName: 'Outcome',
		name: 'status',
		type: 'options',
		required: true,
		default: 'won',
		options: [
			{ name: 'Won', value: 'won' },
			{ name: 'Lost', value: 'lost' },
		],
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'e.g. Chose a competitor',
		description: 'Why the deal was won or lost',
	},
	optionsCollection(['concurrency', 'retry']),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runPerItem(this, items, async (itemIndex) => {
		const body: IDataObject = { status: this.getNodeParameter('status', itemIndex) };
		const reason = String(this.getNodeParameter('reason', itemIndex, '')).trim();
		if (reason !== '') body.reason = reason;
		// Closing with the same outcome twice leaves the deal as it is, so retries are safe.
		return await requestData(this, {
			method: 'POST',
			path: `${recordPath(this, DEAL, itemIndex)}/close`,
			body,
			retrySafe: true,
		});
	});
}
