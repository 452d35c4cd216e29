import type { INodeProperties } from 'n8n-workflow';

// Parameter builders for field kinds that need more than a plain property.

type Picker = 'searchUsers' | 'searchTeams' | 'searchStages';

export const ID_PLACEHOLDER = 'e.g. 3f0c1c2e-8d7a-4a4b-9b1e-2a6f7c9d0e11';

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
				placeholder: ID_PLACEHOLDER,
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

/** A link to a record of the API collection `path`, e.g. `/leads`; group 1 is the ID. */
export function recordLinkPattern(path: string): string {
	return `https?://\\S+${path}/([^/?#\\s]+)(?:[/?#]\\S*)?`;
}
