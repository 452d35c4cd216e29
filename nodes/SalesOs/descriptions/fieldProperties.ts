import type { INodeProperties } from 'n8n-workflow';

// Parameter builders for field kinds that need more than a plain property.

type Picker = 'searchUsers' | 'searchTeams' | 'searchStages';

export function locatorProperty(
	name: string,
	displayName: string,
	searchListMethod: Picker,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3f0c1c2e-8d7a-4a4b-9b1e-2a6f7c9d0e11',
			},
		],
	};
}

export function keyValueProperty(
	name: string,
	displayName: string,
	itemName: string,
	description: string,
	keyPlaceholder: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: `Add ${displayName.replace(/s$/, '')}`,
		default: {},
		description,
		options: [
			{
				displayName: displayName.replace(/s$/, ''),
				name: itemName,
				values: [
					{
						displayName: 'Key',
						name: 'key',
						type: 'string',
						default: '',
						placeholder: keyPlaceholder,
						description: 'The custom field key as configured in SalesOS',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	};
}

/** The required "<Record> ID" parameter of an operation on one record. */
export function recordIdProperty(
	config: { singular: string; idParameter: string },
	action: string,
): INodeProperties {
	return {
		displayName: `${config.singular[0].toUpperCase()}${config.singular.slice(1)} ID`,
		name: config.idParameter,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3f0c1c2e-8d7a-4a4b-9b1e-2a6f7c9d0e11',
		description: `ID of the ${config.singular} to ${action}`,
	};
}
