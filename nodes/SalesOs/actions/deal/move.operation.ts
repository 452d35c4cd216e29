import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { optionsCollection, showFor } from '../../descriptions/commonProperties';
import { inputError, requestData, runPerItem } from '../../execution/nodeRun';
import { fieldSpecs } from '../../records/fieldCatalogue';
import { locatorValue } from '../../records/serialisation';
import { DEAL } from '../../records/specs';
import { recordIdProperties, recordPath } from '../recordOperations/recordParameters';

export const description = showFor('deal', ['move'], [
	...recordIdProperties(DEAL, 'move'),
	{ ...fieldSpecs.stage.property, required: true, description: 'Stage to move the deal to' },
	optionsCollection(['concurrency', 'retry']),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runPerItem(this, items, async (itemIndex) => {
		const stageId = locatorValue(this.getNodeParameter('stage', itemIndex));
		if (stageId === '') {
			throw inputError(this, itemIndex, 'Stage is empty', 'Pick the stage to move the deal to, or enter its ID.');
		}
		// Moving to a stage is idempotent, so a retry after a dropped connection is safe.
		return await requestData(this, {
			method: 'POST',
			path: `${recordPath(this, DEAL, itemIndex)}/move`,
			body: { stage_id: stageId },
			retrySafe: true,
		});
	});
}
