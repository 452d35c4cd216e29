import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fieldsCollection, optionsCollection, showFor } from '../../descriptions/commonProperties';
import { asNodeError, requestData, runPerItem } from '../../execution/nodeRun';
import { fieldSpecs, textField, type FieldSpec } from '../../records/fieldCatalogue';
import { buildBody } from '../../records/serialisation';
import { LEAD } from '../../records/specs';
import { getSalesOsError } from '../../transport';
import { recordIdProperties, recordPath } from '../recordOperations/recordParameters';

const conversionFields: FieldSpec[] = [
	textField('deal_name', 'dealName', 'Deal Name', {
		description: 'Name of the new deal; SalesOS derives one from the lead when empty',
	}),
	fieldSpecs.value,
	fieldSpecs.stage,
];

export const description = showFor('lead', ['convert'], [
	...recordIdProperties(LEAD, 'convert into a deal'),
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
				if (info?.status !== 409) throw error;
				if (info.retriedAfterAmbiguousFailure && info.existingId) {
					return await requestData(this, { method: 'GET', path: `/deals/${encodeURIComponent(info.existingId)}` });
				}
				throw alreadyConverted(this, error, itemIndex);
			},
		);
	});
}

/** SalesOS's own words for the 409 ("Lead already converted"), and where the lead's deal is. */
function alreadyConverted(context: IExecuteFunctions, error: unknown, itemIndex: number) {
	const info = getSalesOsError(error)!;
	const nodeError = asNodeError(context.getNode(), error, itemIndex);
	nodeError.message = `SalesOS did not convert the lead: ${info.message || 'it is already converted'} (409)`;
	nodeError.description = `A lead is converted once. ${
		info.existingId
			? `Its deal has the ID ${info.existingId}: use Deal → Get with it.`
			: 'Find its deal with Deal → Get Many, searching for the lead’s name.'
	} To skip converted leads, filter out status "converted" before this node.`;
	return nodeError;
}
