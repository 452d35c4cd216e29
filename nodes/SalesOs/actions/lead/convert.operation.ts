import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fieldsCollection, optionsCollection, showFor } from '../../descriptions/parameters';
import { requestData, runPerItem } from '../../execution/nodeRun';
import { fieldSpecs, textField, type FieldSpec } from '../../records/fieldCatalogue';
import { buildBody } from '../../records/serialisation';
import { recordIdProperty } from '../../descriptions/fieldProperties';
import { LEAD } from '../../records/specs';
import { getSalesOsError } from '../../transport';
import { recordPath } from '../record/parameters';

const conversionFields: FieldSpec[] = [
	textField('deal_name', 'dealName', 'Deal Name', {
		description: 'Name of the new deal; SalesOS derives one from the lead when empty',
	}),
	fieldSpecs.value,
	fieldSpecs.stage,
];

export const description = showFor('lead', ['convert'], [
	recordIdProperty(LEAD, 'convert into a deal'),
	fieldsCollection('additionalFields', conversionFields),
	optionsCollection(['concurrency', 'retry']),
]);

/** Outputs the new deal; the lead's status becomes "converted". */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runPerItem(this, items, async (itemIndex) => {
		const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const path = `${recordPath(this, LEAD, itemIndex)}/convert`;
		const body = buildBody(conversionFields, additionalFields, this.getNode());
		// Converting twice is refused with 409 naming the deal, so a retry cannot create a second
		// deal; a 409 on a retry after a dropped connection means our first attempt converted it.
		return await requestData(this, { method: 'POST', path, body, retrySafe: true }).catch(
			async (error: unknown) => {
				const info = getSalesOsError(error);
				if (info?.status !== 409 || !info.retriedAfterAmbiguousFailure || !info.existingId) throw error;
				return await requestData(this, { method: 'GET', path: `/deals/${encodeURIComponent(info.existingId)}` });
			},
		);
	});
}
