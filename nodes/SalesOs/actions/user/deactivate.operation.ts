import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { optionsCollection, showFor } from '../../descriptions/commonProperties';
import { request, requestData, runPerItem } from '../../execution/nodeRun';
import { USER } from '../../records/specs';
import { recordIdProperties, recordPath } from '../recordOperations/recordParameters';

export const description = showFor('user', ['deactivate'], [
	...recordIdProperties(USER, 'deactivate'),
	optionsCollection(['concurrency', 'retry']),
]);

/** DELETE /users/:id deactivates (SalesOS keeps the user); outputs the user as it is now. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runPerItem(this, items, async (itemIndex) => {
		const path = recordPath(this, USER, itemIndex);
		await request(this, { method: 'DELETE', path, itemIndex });
		return await requestData(this, { method: 'GET', path, itemIndex });
	});
}
