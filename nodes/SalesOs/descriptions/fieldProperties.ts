import type { INodeProperties } from 'n8n-workflow';

import { changedInNodeVersion, SALESOS_NODE_VERSION_2 } from './versions';

// Parameter builders for field kinds that need more than a plain property.

type Picker = 'searchUsers' | 'searchTeams' | 'searchStages' | 'searchLeads' | 'searchDeals';

const ID_PLACEHOLDER = 'e.g. 3f0c1c2e-8d7a-4a4b-9b1e-2a6f7c9d0e11';

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

interface IdentifiedRecord {
	singular: string;
	/** API collection, e.g. `/leads`: a link to a record ends in `<path>/<id>`. */
	path: string;
	idParameter: string;
	/** List search that picks a record (node version 2 on); without it the ID is typed. */
	picker?: Picker;
}

/**
 * The required "<Record> ID" parameter of an operation on one record. With a picker it is, from
 * node version 2 on, a resource locator (From List / By ID / By URL); version 1 keeps the plain
 * text parameter of the same name, so its stored workflows are unchanged.
 */
export function recordIdProperties(resource: IdentifiedRecord, action: string): INodeProperties[] {
	const title = `${resource.singular[0].toUpperCase()}${resource.singular.slice(1)}`;
	const plain: INodeProperties = {
		displayName: `${title} ID`,
		name: resource.idParameter,
		type: 'string',
		required: true,
		default: '',
		placeholder: ID_PLACEHOLDER,
		description: `ID of the ${resource.singular} to ${action}`,
	};
	if (!resource.picker) return [plain];
	const locator: INodeProperties = {
		...plain,
		displayName: title,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: resource.picker, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: ID_PLACEHOLDER },
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `e.g. https://api.play2sell.com/v1${resource.path}/3f0c1c2e-8d7a-4a4b-9b1e-2a6f7c9d0e11`,
				hint: `Any SalesOS link that ends in ${resource.path}/<ID>`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: recordLinkPattern(resource.path),
							errorMessage: `Not a SalesOS ${resource.singular} link: it should end in ${resource.path}/<ID>`,
						},
					},
				],
			},
		],
	};
	return changedInNodeVersion(SALESOS_NODE_VERSION_2, [plain], [locator]);
}
