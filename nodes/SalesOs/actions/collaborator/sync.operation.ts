import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runBatchSync } from '../../execution/batchSync';
import { fieldsCollection, optionsCollection, requiredFieldProperties, showFor } from '../../descriptions/parameters';
import { inputError } from '../../execution/nodeRun';
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

/** The contract requires external_id, name and email for every collaborator. */
const requiredFields: FieldSpec[] = [
	textField('external_id', 'externalId', 'External ID', { description: 'The collaborator’s ID in your system' }),
	textField('name', 'name', 'Name'),
];

const collaboratorFields: FieldSpec[] = [
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
		displayName: 'Needs an API key with the default:sync scope (Authentication: API Key)',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	emailField.property,
	...requiredFieldProperties(requiredFields),
	fieldsCollection('additionalFields', collaboratorFields),
	optionsCollection(['retry']),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await runBatchSync(this, items, {
		action: 'sync_collaborators',
		recordsKey: 'collaborators',
		batchSize: 500,
		recordFor: (itemIndex) => {
			const values: IDataObject = {
				...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			};
			for (const spec of [emailField, ...requiredFields]) {
				values[spec.property.name] = this.getNodeParameter(spec.property.name, itemIndex, '');
				if (String(values[spec.property.name] ?? '').trim() === '') {
					throw inputError(
						this,
						itemIndex,
						`${spec.property.displayName} is empty`,
						'SalesOS requires External ID, Name and Email for every collaborator. Map them from the input, e.g. {{ $json.email }}.',
					);
				}
			}
			return buildBody([emailField, ...requiredFields, ...collaboratorFields], values, this.getNode());
		},
		identifiersOf: (record) => [String(record.email ?? ''), String(record.external_id ?? '')],
		noun: 'collaborators',
	});
}
