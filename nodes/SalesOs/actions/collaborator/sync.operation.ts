import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runBatchSync } from '../../execution/batchSync';
import {
	fieldsCollection,
	optionsCollection,
	requiredFieldProperties,
	showFor,
} from '../../descriptions/commonProperties';
import { changedInNodeVersion, SALESOS_V2 } from '../../descriptions/versions';
import { inputError } from '../../execution/nodeRun';
import { checkedRecord, MAX_LENGTHS } from '../../records/defaultIntegrationValues';
import { fieldSpecs, textField, type FieldSpec } from '../../records/fieldCatalogue';
import { buildBody } from '../../records/serialisation';
import { defaultIntegrationNotice, recordFailure } from '../defaultIntegration';

const emailField: FieldSpec = {
	...fieldSpecs.email,
	property: {
		...fieldSpecs.email.property,
		required: true,
		description: 'SalesOS matches collaborators by email, so syncing the same one again is safe',
	},
};

/** SalesOS requires external_id, name and email for every collaborator. */
const requiredFields: FieldSpec[] = [
	textField('external_id', 'externalId', 'External ID', {
		description: `The collaborator’s ID in your system (at most ${MAX_LENGTHS.external_id} characters; a number is sent as text)`,
	}),
	textField('name', 'name', 'Name', { description: `At most ${MAX_LENGTHS.name} characters` }),
];

const collaboratorFields: FieldSpec[] = [
	fieldSpecs.phone,
	textField('document', 'document', 'Document', {
		description: `Tax or identity document number (at most ${MAX_LENGTHS.document} characters)`,
	}),
	textField('team', 'team', 'Team', { description: `Team name (at most ${MAX_LENGTHS.team} characters)` }),
	textField('role', 'role', 'Role', { description: `At most ${MAX_LENGTHS.role} characters` }),
	{
		apiName: 'metadata',
		kind: 'json',
		property: {
			displayName: 'Metadata',
			name: 'metadata',
			type: 'json',
			default: '{}',
			description: 'Any extra JSON to store with the collaborator',
		},
	},
];

// Version 1 was first released with Name and External ID under Additional Fields, then given them
// as required parameters of their own: it declares both places (a saved workflow keeps either) and
// requires neither in the panel; execute checks that one of them is set. Later versions have only
// the required parameters.
export const description = showFor('collaborator', ['sync'], [
	defaultIntegrationNotice,
	emailField.property,
	...changedInNodeVersion(
		SALESOS_V2,
		[
			...requiredFields.map((spec) => ({
				...spec.property,
				description: `${spec.property.description}. Required here or under Additional Fields.`,
			})),
			fieldsCollection('additionalFields', [...requiredFields, ...collaboratorFields]),
		],
		[...requiredFieldProperties(requiredFields), fieldsCollection('additionalFields', collaboratorFields)],
	),
	optionsCollection(['retry']),
]);

function valuesOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const values: IDataObject = { ...additional };
	for (const spec of [emailField, ...requiredFields]) {
		const name = spec.property.name;
		const value = context.getNodeParameter(name, itemIndex, '') as unknown;
		values[name] = String(value ?? '').trim() === '' ? additional[name] : (value as IDataObject[string]);
		if (String(values[name] ?? '').trim() === '') {
			throw inputError(
				context,
				itemIndex,
				`${spec.property.displayName} is empty`,
				'SalesOS requires External ID, Name and Email for every collaborator. Map them from the input, e.g. {{ $json.email }}.',
			);
		}
	}
	return values;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runBatchSync(this, items, {
		action: 'sync_collaborators',
		recordsKey: 'collaborators',
		batchSize: 500,
		recordFor: (itemIndex) => {
			const body = buildBody([emailField, ...requiredFields, ...collaboratorFields], valuesOf(this, itemIndex), this.getNode());
			return recordFailure(this, itemIndex, () => checkedRecord(body, 'email'));
		},
		errorLabel: 'Collaborator',
		emailKey: 'email',
		noun: 'collaborators',
		outcomeOf: (counts) =>
			Number(counts.existing ?? 0) === 0 ? 'created' : Number(counts.created ?? 0) === 0 ? 'existing' : 'createdOrExisting',
	});
}
