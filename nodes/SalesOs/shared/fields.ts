import type { IDataObject, INode, INodeProperties, INodePropertyCollection } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * One settable SalesOS field: the node parameter a user fills in and how its value becomes the
 * API value. Lead and deal operations (create, update, upsert, filters) all build their
 * parameters and request bodies from these specs, so a field behaves the same everywhere.
 */
export type FieldKind =
	| 'text'
	| 'email'
	| 'number'
	| 'boolean'
	| 'date'
	| 'dateTime'
	| 'locator'
	| 'tags'
	| 'list'
	| 'json'
	| 'customFields';

export interface FieldSpec {
	/** SalesOS field or query parameter, e.g. `owner_id`. */
	apiName: string;
	kind: FieldKind;
	/** The node parameter; displayOptions are added where the field is used. */
	property: INodeProperties;
	/** Where a fetched record holds the current value when it is not `record[apiName]`. */
	readCurrent?: (record: IDataObject) => unknown;
}

export const CUSTOM_FIELDS_API_NAME = 'custom_fields';

// ---------------------------------------------------------------------------------------------
// Parameter builders for the kinds that need more than a plain property.

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

// ---------------------------------------------------------------------------------------------
// Field catalogue. Fields shared by leads and deals are defined once.

export const textField = (
	apiName: string,
	name: string,
	displayName: string,
	extra: Partial<INodeProperties> = {},
): FieldSpec => ({
	apiName,
	kind: 'text',
	property: { displayName, name, type: 'string', default: '', ...extra },
});

export const fieldSpecs = {
	name: textField('name', 'name', 'Name'),
	email: {
		apiName: 'email',
		kind: 'email',
		property: {
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
		},
	},
	phone: textField('phone', 'phone', 'Phone', {
		placeholder: '+5511999999999',
		description: 'In E.164 format: a plus sign, country code and number without spaces',
	}),
	company: textField('company', 'company', 'Company'),
	position: textField('position', 'position', 'Position', { placeholder: 'e.g. Head of Sales' }),
	source: textField('source', 'source', 'Source', {
		placeholder: 'e.g. website',
		description: 'Where the lead came from',
	}),
	leadStatus: {
		apiName: 'status',
		kind: 'text',
		property: {
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'new',
			options: [
				{ name: 'Contacted', value: 'contacted' },
				{ name: 'Converted', value: 'converted' },
				{ name: 'New', value: 'new' },
				{ name: 'Qualified', value: 'qualified' },
				{ name: 'Unqualified', value: 'unqualified' },
			],
		},
	},
	owner: {
		apiName: 'owner_id',
		kind: 'locator',
		property: locatorProperty('owner', 'Owner', 'searchUsers', 'The SalesOS user who owns the record'),
	},
	team: {
		apiName: 'team_id',
		kind: 'locator',
		property: locatorProperty('team', 'Team', 'searchTeams', 'The SalesOS team the record belongs to'),
	},
	tags: {
		apiName: 'tags',
		kind: 'tags',
		property: {
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			default: '',
			placeholder: 'e.g. vip, inbound',
			description:
				'Comma-separated tags, or an expression returning a list. Replaces the record’s current tags.',
		},
	},
	customFields: {
		apiName: CUSTOM_FIELDS_API_NAME,
		kind: 'customFields',
		property: keyValueProperty(
			'customFields',
			'Custom Fields',
			'field',
			'Custom field values by key. Keys not listed here keep their current values.',
			'e.g. external_id',
		),
	},
	value: {
		apiName: 'value',
		kind: 'number',
		property: {
			displayName: 'Value',
			name: 'value',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description: 'Deal value in the account currency',
		},
	},
	stage: {
		apiName: 'stage_id',
		kind: 'locator',
		property: locatorProperty(
			'stage',
			'Stage',
			'searchStages',
			'Pipeline stage. New deals start in the first stage when none is set.',
		),
		readCurrent: (record: IDataObject) =>
			(record.stage as IDataObject | undefined)?.id ?? record.stage_id,
	},
	contactName: textField('contact_name', 'contactName', 'Contact Name'),
	contactEmail: {
		apiName: 'contact_email',
		kind: 'email',
		property: {
			displayName: 'Contact Email',
			name: 'contactEmail',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
		},
	},
	expectedCloseDate: {
		apiName: 'expected_close_date',
		kind: 'date',
		property: {
			displayName: 'Expected Close Date',
			name: 'expectedCloseDate',
			type: 'dateTime',
			default: '',
			description: 'Only the date part is sent',
		},
	},
	priority: textField('priority', 'priority', 'Priority', { placeholder: 'e.g. high' }),
	leadId: textField('lead_id', 'leadId', 'Lead ID', {
		description: 'The lead this deal came from',
	}),
} satisfies Record<string, FieldSpec>;

// ---------------------------------------------------------------------------------------------
// Parameter values → API values.

/** The ID inside a resource locator value (or the plain string an expression produced). */
export function locatorValue(value: unknown): string {
	if (value && typeof value === 'object' && 'value' in value) {
		return String((value as IDataObject).value ?? '').trim();
	}
	return value === undefined || value === null ? '' : String(value).trim();
}

/** Accepts "a, b", ["a", "b"] or ["a, b"]; returns trimmed, de-duplicated tags. */
export function normalizeTags(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : [value];
	const tags = raw
		.flatMap((entry) => (entry === undefined || entry === null ? [] : String(entry).split(',')))
		.map((tag) => tag.trim())
		.filter((tag) => tag !== '');
	return [...new Set(tags)];
}

/** `{<row name>: [{key, value}]}` from a key/value fixedCollection → `{key: value}`. */
function keyValuePairs(spec: FieldSpec, value: unknown, node: INode): IDataObject {
	const rowName = (spec.property.options?.[0] as INodePropertyCollection).name;
	const entries = ((value as IDataObject | undefined)?.[rowName] ?? []) as IDataObject[];
	const parameterName = spec.property.displayName;
	const result: IDataObject = {};
	for (const entry of entries) {
		const key = String(entry.key ?? '').trim();
		if (key === '') {
			throw new NodeOperationError(node, `A row in "${parameterName}" has an empty key`, {
				description: 'Fill in the custom field key (as configured in SalesOS) or remove the row.',
			});
		}
		result[key] = entry.value as IDataObject[keyof IDataObject];
	}
	return result;
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
	);
}

function toApiValue(spec: FieldSpec, value: unknown, node: INode): unknown {
	const label = spec.property.displayName;
	switch (spec.kind) {
		case 'email':
			return String(value).trim();
		case 'number': {
			const number = typeof value === 'number' ? value : Number(String(value).trim());
			if (!Number.isFinite(number)) {
				throw new NodeOperationError(node, `"${label}" must be a number, got "${String(value)}"`);
			}
			return number;
		}
		case 'boolean':
			return value === true || value === 'true';
		case 'date':
		case 'dateTime': {
			const textValue = String(value).trim();
			if (Number.isNaN(Date.parse(textValue))) {
				throw new NodeOperationError(node, `"${label}" is not a valid date: "${textValue}"`, {
					description: 'Use an ISO 8601 date such as 2025-03-31 or 2025-03-31T12:00:00Z.',
				});
			}
			// A date field takes the calendar date the user picked, whatever time the picker added.
			return spec.kind === 'date' ? textValue.slice(0, 10) : textValue;
		}
		case 'locator':
			return locatorValue(value);
		case 'tags':
			return normalizeTags(value);
		case 'list':
			return Array.isArray(value) ? value : [value];
		case 'json':
			return parseJsonValue(value, label, node);
		case 'customFields':
			return keyValuePairs(spec, value, node);
		default:
			return value;
	}
}

function parseJsonValue(value: unknown, label: string, node: INode): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		throw new NodeOperationError(node, `"${label}" is not valid JSON`, {
			description: 'Enter a JSON object, e.g. {"source": "crm"}, or an expression returning one.',
		});
	}
}

/**
 * Builds a request body from parameter values keyed by parameter name. Blank values are left
 * out, so an empty optional field never overwrites data in SalesOS.
 */
export function buildBody(specs: FieldSpec[], values: IDataObject, node: INode): IDataObject {
	const body: IDataObject = {};
	for (const spec of specs) {
		const value = values[spec.property.name];
		if (isBlank(value)) continue;
		const apiValue = toApiValue(spec, value, node);
		if (isBlank(apiValue)) continue;
		body[spec.apiName] = apiValue as IDataObject[keyof IDataObject];
	}
	return body;
}

/** Builds list query parameters; custom field filters become `custom_fields.<key>=<value>`. */
export function buildQuery(specs: FieldSpec[], values: IDataObject, node: INode): IDataObject {
	const qs: IDataObject = {};
	for (const [apiName, value] of Object.entries(buildBody(specs, values, node))) {
		if (apiName === CUSTOM_FIELDS_API_NAME) {
			for (const [key, fieldValue] of Object.entries(value as IDataObject)) {
				qs[`${CUSTOM_FIELDS_API_NAME}.${key}`] = fieldValue;
			}
		} else {
			qs[apiName] = value;
		}
	}
	return qs;
}

// ---------------------------------------------------------------------------------------------
// Comparing requested values with a fetched record (for upsert's "unchanged").

function sameValue(kind: FieldKind, requested: unknown, current: unknown): boolean {
	switch (kind) {
		case 'email':
			return String(requested).toLowerCase() === String(current ?? '').toLowerCase();
		case 'number':
			return current !== null && current !== undefined && Number(requested) === Number(current);
		case 'date':
			return String(requested).slice(0, 10) === String(current ?? '').slice(0, 10);
		case 'tags': {
			const wanted = [...(requested as string[])].sort();
			const present = Array.isArray(current) ? current.map(String).sort() : [];
			return JSON.stringify(wanted) === JSON.stringify(present);
		}
		default:
			if (typeof requested === 'object' && requested !== null) {
				return JSON.stringify(requested) === JSON.stringify(current);
			}
			return current !== null && current !== undefined && String(requested) === String(current);
	}
}

/**
 * The part of `body` that differs from `record`. Custom fields are compared key by key (keys
 * the body does not name are not our business); `ignoreCustomFields` names keys, such as the
 * sync marker, whose value is not part of the comparison.
 */
export function changedFields(
	specs: FieldSpec[],
	body: IDataObject,
	record: IDataObject,
	ignoreCustomFields: string[] = [],
): IDataObject {
	const changes: IDataObject = {};
	for (const spec of specs) {
		if (!(spec.apiName in body)) continue;
		const requested = body[spec.apiName];
		if (spec.kind === 'customFields') {
			const current = (record[CUSTOM_FIELDS_API_NAME] ?? {}) as IDataObject;
			const changedCustom: IDataObject = {};
			for (const [key, value] of Object.entries(requested as IDataObject)) {
				if (ignoreCustomFields.includes(key)) continue;
				if (!sameValue('text', value, current[key])) changedCustom[key] = value;
			}
			if (Object.keys(changedCustom).length > 0) changes[spec.apiName] = changedCustom;
			continue;
		}
		const current = spec.readCurrent ? spec.readCurrent(record) : record[spec.apiName];
		if (!sameValue(spec.kind, requested, current)) changes[spec.apiName] = requested;
	}
	return changes;
}
