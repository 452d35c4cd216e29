import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

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
		displayName: 'Needs an API key with the default:sync scope (Authentication: API Key)',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	...requiredFieldProperties(requiredFields),
	fieldsCollection('additionalFields', activityFields),
	withSkippedOption(optionsCollection(['retry'])),
]);

/** SalesOS counts activities of collaborators it does not know as skipped, without naming them. */
function withSkippedOption(options: INodeProperties): INodeProperties {
	const skippedActivities: INodeProperties = {
		displayName: 'Skipped Activities',
		name: 'skippedActivities',
		type: 'options',
		default: 'error',
		description:
			'What a request with skipped activities (collaborator not known to SalesOS) means for its items. SalesOS does not say which activity it skipped.',
		options: [
			{
				name: 'Fail the Request’s Items',
				value: 'error',
				description: 'Every item of that request fails with the reason (error output with On Error: Continue)',
			},
			{
				name: 'Treat as Success',
				value: 'success',
				description: 'Output the items as sent; syncResult.skipped shows the count',
			},
		],
	};
	return { ...options, options: [...(options.options as INodeProperties[]), skippedActivities] };
}

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
		noun: 'activities',
		skipped: {
			reason: 'collaborator not found in SalesOS — sync collaborators first',
			whatToDo:
				'Sync the collaborators (Collaborator → Sync) and run these items again, or set Options → Skipped Activities to Treat as Success.',
			treatAsSuccess:
				(this.getNodeParameter('options', 0, {}) as IDataObject).skippedActivities === 'success',
		},
	});
}
