import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runBatchSync } from '../../execution/batchSync';
import { fieldsCollection, optionsCollection, showFor } from '../../descriptions/parameters';
import { fieldSpecs, textField, type FieldSpec } from '../../records/fieldCatalogue';
import { buildBody } from '../../records/serialisation';

const emailField: FieldSpec = {
	...fieldSpecs.email,
	property: {
		...fieldSpecs.email.property,
		required: true,
		description: 'SalesOS matches collaborators by email, so syncing the same one again is safe',
	},
};

const collaboratorFields: FieldSpec[] = [
	textField('name', 'name', 'Name'),
	textField('external_id', 'externalId', 'External ID', { description: 'The collaborator’s ID in your system' }),
	fieldSpecs.phone,
	textField('document', 'document', 'Document', { description: 'Tax or identity document number' }),
	textField('team', 'team', 'Team', { description: 'Team name' }),
	textField('role', 'role', 'Role'),
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

export const description = showFor('collaborator', ['sync'], [
	{
		displayName:
			'Needs the API Key authentication with the default:sync scope. All input items are sent together, 500 per request.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	emailField.property,
	fieldsCollection('additionalFields', collaboratorFields),
	optionsCollection(['retry']),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runBatchSync(this, items, {
		action: 'sync_collaborators',
		recordsKey: 'collaborators',
		batchSize: 500,
		recordFor: (itemIndex) =>
			buildBody(
				[emailField, ...collaboratorFields],
				{
					...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
					email: this.getNodeParameter('email', itemIndex),
				},
				this.getNode(),
			),
		identifiersOf: (record) => [String(record.email ?? ''), String(record.external_id ?? '')],
	});
}
