import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Anything that brings its own node parameter, such as a record field. */
export interface DescribedField {
	property: INodeProperties;
}

/** Shows properties only for one resource and the given operations. */
export function showFor(
	resource: string,
	operations: string[],
	properties: INodeProperties[],
): INodeProperties[] {
	const displayOptions: IDisplayOptions = { show: { resource: [resource], operation: operations } };
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, ...displayOptions.show },
		},
	}));
}

/** Top-level, required versions of fields (e.g. Name and Email on Create). */
export function requiredFieldProperties(specs: DescribedField[]): INodeProperties[] {
	return specs.map((spec) => ({ ...spec.property, required: true }));
}

/** A collection holding the given fields, e.g. "Additional Fields" or "Update Fields". */
export function fieldsCollection(
	name: 'additionalFields' | 'updateFields' | 'filters',
	specs: DescribedField[],
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	const displayName = {
		additionalFields: 'Additional Fields',
		updateFields: 'Update Fields',
		filters: 'Filters',
	}[name];
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: name === 'filters' ? 'Add Filter' : 'Add Field',
		default: {},
		options: specs
			.map((spec) => spec.property)
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		...extra,
	};
}

export function returnAllProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

// ---------------------------------------------------------------------------------------------
// The "Options" collection. Each operation picks the groups that apply to it (from node version 2
// some groups are parameters of their own: see actions/recordOperations/settingsByVersion.ts).

export type OptionGroup = 'onDuplicate' | 'upsertLookup' | 'syncMarker' | 'concurrency' | 'retry' | 'sort';

export const DEFAULT_MAX_CONCURRENT_REQUESTS = 50;
export const MAX_CONCURRENT_REQUESTS = 100;

/** Each group's parameters; a function, so every operation gets objects of its own. */
const OPTION_GROUPS: Record<OptionGroup, (sortFields: INodePropertyOptions[]) => INodeProperties[]> = {
	onDuplicate: () => [
		{
			displayName: 'On Duplicate (409)',
			name: 'onDuplicate',
			type: 'options',
			default: 'error',
			description:
				'What to do when SalesOS already has a record with the same unique value (email or custom field external_id). The output field operationResult tells which case applied.',
			options: [
				{
					name: 'Fail',
					value: 'error',
					description: 'Treat the duplicate as an error for this item',
				},
				{
					name: 'Return Existing',
					value: 'returnExisting',
					description: 'Output the record that already exists, as it is (operationResult "existing")',
				},
				{
					name: 'Update Existing',
					value: 'update',
					description:
						'Write this item’s values to the existing record (operationResult "updated", or "unchanged" when it already had them)',
				},
			],
		},
	],
	upsertLookup: () => [
		{
			displayName: 'Existing Record Check',
			name: 'upsertLookup',
			type: 'options',
			default: 'auto',
			description:
				'How to find out whether the record already exists. Creating first needs Match On Email, or External ID with the key external_id (values SalesOS keeps unique); other keys always look up first.',
			options: [
				{
					name: 'Automatic',
					value: 'auto',
					description:
						'Look up first; while most records of this run turn out to be new, create first instead',
				},
				{
					name: 'Look Up First',
					value: 'lookUpFirst',
					description:
						'Look the record up, then update or create it: 1–2 requests per item, best when most records exist',
				},
				{
					name: 'Create First',
					value: 'createFirst',
					description:
						'Create the record, and update it when SalesOS reports a duplicate (409): 1 request per new record, 3 per existing one',
				},
			],
		},
	],
	syncMarker: () => [
		{
			displayName: 'Sync Marker',
			name: 'syncMarker',
			type: 'boolean',
			default: false,
			description:
				'Whether to stamp a custom field with "value@time of the write", so a two-way sync can recognise this write when SalesOS echoes it back (see the triggers’ Ignore Own Changes option)',
		},
		{
			displayName: 'Sync Marker Key',
			name: 'syncMarkerKey',
			type: 'string',
			default: 'sync_marker',
			description: 'Custom field that holds the marker',
			displayOptions: { show: { syncMarker: [true] } },
		},
		{
			displayName: 'Sync Marker Value',
			name: 'syncMarkerValue',
			type: 'string',
			default: 'n8n',
			description: 'Identifies this integration; the triggers must use the same value',
			displayOptions: { show: { syncMarker: [true] } },
		},
	],
	concurrency: () => [
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrentRequests',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENT_REQUESTS },
			default: DEFAULT_MAX_CONCURRENT_REQUESTS,
			description:
				'How many items are sent to SalesOS at the same time. The node also paces itself when SalesOS reports (X-RateLimit-Remaining) that the rate limit is running low, sharing it with every other SalesOS run of this n8n process. Output order always matches the input.',
		},
	],
	retry: () => [
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description:
				'How often a request is retried after a server error or a dropped connection. Rate limits (429) are waited out within Max Total Wait instead.',
		},
		{
			displayName: 'Max Total Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description:
				'Upper bound on the time one request spends waiting: for its turn under the rate limit and between retries. When SalesOS asks for a longer wait, the item fails instead.',
		},
	],
	sort: (sortFields) => [
		{
			displayName: 'Sort By',
			name: 'sortField',
			type: 'options',
			default: 'created_at',
			options: sortFields,
		},
		{
			displayName: 'Sort Direction',
			name: 'sortDirection',
			type: 'options',
			default: 'asc',
			options: [
				{ name: 'Ascending', value: 'asc' },
				{ name: 'Descending', value: 'desc' },
			],
		},
	],
};

export function optionGroup(group: OptionGroup, sortFields: INodePropertyOptions[]): INodeProperties[] {
	return OPTION_GROUPS[group](sortFields);
}

export function optionsCollection(
	groups: OptionGroup[],
	sortFields: INodePropertyOptions[] = [],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: groups
			.flatMap((group) => optionGroup(group, sortFields))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
