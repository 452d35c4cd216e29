import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runBatchSync } from '../../execution/batchSync';
import { fieldsCollection, optionsCollection, requiredFieldProperties, showFor } from '../../descriptions/parameters';
import { textField, type FieldSpec } from '../../records/fieldCatalogue';
import { buildBody } from '../../records/serialisation';

const requiredFields: FieldSpec[] = [
	textField('activity_code', 'activityCode', 'Activity Code', {
		placeholder: 'e.g. 001',
		description: 'Three-digit activity type code configured in SalesOS ("001" to "999")',
	}),
	textField('external_id', 'externalId', 'External ID', {
		description: 'Your system’s ID for this activity; SalesOS counts a repeat as a duplicate, so retries are safe',
	}),
	{
		apiName: 'collaborator_email',
		kind: 'email',
		property: {
			displayName: 'Collaborator Email',
			name: 'collaboratorEmail',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: 'Email of the collaborator who performed the activity',
		},
	},
];

const activityFields: FieldSpec[] = [
	{
		apiName: 'occurred_at',
		kind: 'dateTime',
		property: { displayName: 'Occurred At', name: 'occurredAt', type: 'dateTime', default: '' },
	},
	{
		apiName: 'data',
		kind: 'json',
		property: {
			displayName: 'Data',
			name: 'data',
			type: 'json',
			default: '{}',
			description: 'Details of the activity as JSON',
		},
	},
];

export const description = showFor('activity', ['sync'], [
	{
		displayName:
			'Needs the API Key authentication with the default:sync scope. All input items are sent together, 1,000 per request.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	...requiredFieldProperties(requiredFields),
	fieldsCollection('additionalFields', activityFields),
	optionsCollection(['retry']),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runBatchSync(this, items, {
		action: 'sync_activities',
		recordsKey: 'activities',
		batchSize: 1000,
		recordFor: (itemIndex) => {
			const values: IDataObject = {
				...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			};
			for (const spec of requiredFields) {
				values[spec.property.name] = this.getNodeParameter(spec.property.name, itemIndex);
			}
			return buildBody([...requiredFields, ...activityFields], values, this.getNode());
		},
		identifiersOf: (record) => [String(record.external_id ?? '')],
	});
}
