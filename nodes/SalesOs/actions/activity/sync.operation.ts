import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runBatchSync } from '../../execution/batchSync';
import {
	fieldsCollection,
	optionsCollection,
	requiredFieldProperties,
	showFor,
} from '../../descriptions/commonProperties';
import { changedInNodeVersion, follows, SALESOS_V3 } from '../../descriptions/versions';
import { activityCode, checkedRecord, MAX_LENGTHS, occurredAt } from '../../records/defaultIntegrationValues';
import { textField, type FieldSpec } from '../../records/fieldCatalogue';
import { buildBody } from '../../records/serialisation';
import { defaultIntegrationNotice, recordFailure } from '../defaultIntegration';

const requiredFields: FieldSpec[] = [
	textField('activity_code', 'activityCode', 'Activity Code', {
		placeholder: 'e.g. 001',
		description:
			'The activity’s code in SalesOS, "001" to "999" (mapped to missions in the SalesOS dashboard). A number or shorter code is padded: 1 and "1" are sent as "001".',
	}),
	textField('external_id', 'externalId', 'External ID', {
		description: `Your system’s ID for this activity (at most ${MAX_LENGTHS.external_id} characters; a number is sent as text). SalesOS counts a repeat as a duplicate, so retries are safe.`,
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
			description: 'Email of the collaborator who performed the activity (synced before with Collaborator → Sync)',
		},
	},
];

const dataField: FieldSpec = {
	apiName: 'data',
	kind: 'json',
	property: {
		displayName: 'Data',
		name: 'data',
		type: 'json',
		default: '{}',
		description: 'Details of the activity as JSON',
	},
};

const occurredAtProperty: INodeProperties = {
	displayName: 'Occurred At',
	name: 'occurredAt',
	type: 'dateTime',
	default: '',
	description:
		'When the activity happened; empty means now. A value without offset (e.g. 2026-03-17T09:15:00) is read in the workflow’s time zone and sent with its offset.',
};

/** Before version 3, Options → Skipped Activities could output skipped activities as successes. */
const skippedActivities: INodeProperties = {
	displayName: 'Skipped Activities',
	name: 'skippedActivities',
	type: 'options',
	default: 'error',
	description:
		'What happens to an activity SalesOS skipped because it does not know its collaborator. The node finds out which activities were skipped.',
	options: [
		{
			name: 'Fail the Item',
			value: 'error',
			description: 'The skipped activity’s item fails with the reason (error output with On Error: Continue)',
		},
		{
			name: 'Treat as Success',
			value: 'success',
			description: 'Output it as sent, with syncResult.outcome "skipped"',
		},
	],
};

const retryOptions = optionsCollection(['retry']);

export const description = showFor('activity', ['sync'], [
	defaultIntegrationNotice,
	...requiredFieldProperties(requiredFields),
	fieldsCollection('additionalFields', [{ property: occurredAtProperty }, dataField]),
	...changedInNodeVersion(
		SALESOS_V3,
		[{ ...retryOptions, options: [...(retryOptions.options as INodeProperties[]), skippedActivities] }],
		[retryOptions],
	),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	const timeZone = this.getTimezone();
	const treatAsSuccess =
		!follows(SALESOS_V3, this.getNode()) &&
		(this.getNodeParameter('options', 0, {}) as IDataObject).skippedActivities === 'success';
	return await runBatchSync(this, items, {
		action: 'sync_activities',
		recordsKey: 'activities',
		batchSize: 1000,
		recordFor: (itemIndex) => {
			const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const values: IDataObject = { data: additional.data };
			for (const spec of requiredFields) {
				values[spec.property.name] = this.getNodeParameter(spec.property.name, itemIndex) as IDataObject[string];
			}
			const body = buildBody([...requiredFields, dataField], values, this.getNode());
			return recordFailure(this, itemIndex, () => {
				const record = checkedRecord(body, 'collaborator_email');
				record.activity_code = activityCode(values.activityCode);
				const when = additional.occurredAt;
				if (when !== undefined && when !== null && when !== '') record.occurred_at = occurredAt(when, timeZone);
				return record;
			});
		},
		errorLabel: 'Activity',
		emailKey: 'collaborator_email',
		noun: 'activities',
		outcomeOf: (counts) =>
			Number(counts.duplicates ?? 0) === 0 ? 'processed' : Number(counts.processed ?? 0) === 0 ? 'duplicate' : 'processedOrDuplicate',
		skipped: { treatAsSuccess },
	});
}
