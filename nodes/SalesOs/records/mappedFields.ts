import type { FieldType, IDataObject, INode, ResourceMapperField } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CUSTOM_FIELDS_API_NAME, type FieldKind, type FieldSpec } from './fieldCatalogue';
import { requestBody } from './serialisation';
import { writableFields, type ResourceSpec } from './specs';

// The resource mapper of lead and deal writes (node version 2): one column per settable field;
// mapped values go through the same conversion and checks as version 1's parameters.

/** Custom fields are one column each, e.g. `custom_fields.external_id`. */
const CUSTOM_FIELD_COLUMN_PREFIX = `${CUSTOM_FIELDS_API_NAME}.`;

/** The mapper's input widget and n8n's type check per field kind; text-like kinds take anything. */
const COLUMN_TYPES: Record<FieldKind, FieldType> = {
	text: 'string',
	email: 'string',
	number: 'number',
	boolean: 'boolean',
	date: 'dateTime',
	dateTime: 'dateTime',
	locator: 'string',
	// "a, b" or a list, as in version 1: a string column leaves lists as they are.
	tags: 'string',
	list: 'array',
	json: 'object',
	customFields: 'object',
};

/** The fields that are columns as they are (custom fields become one column per key). */
const plainFields = (resource: ResourceSpec): FieldSpec[] =>
	writableFields(resource).filter((spec) => spec.kind !== 'customFields');

const customFieldsSpec = (resource: ResourceSpec): FieldSpec | undefined =>
	writableFields(resource).find((spec) => spec.kind === 'customFields');

/** The mapper's columns: every settable field, then one per custom field key. */
export function mappingColumns(
	resource: ResourceSpec,
	{ requireFields }: { requireFields: boolean },
	customFieldKeys: string[],
): ResourceMapperField[] {
	const required = new Set(resource.requiredFields);
	const fields = plainFields(resource).map((spec): ResourceMapperField => {
		const { displayName, type, options } = spec.property;
		const isOptions = type === 'options';
		return {
			id: spec.apiName,
			// Owner, team and stage take the SalesOS ID here (no picker inside the mapper).
			displayName: spec.kind === 'locator' ? `${displayName} ID` : displayName,
			required: requireFields && required.has(spec),
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: isOptions ? 'options' : COLUMN_TYPES[spec.kind],
			...(isOptions ? { options: options as ResourceMapperField['options'] } : {}),
		};
	});
	const customFields = customFieldsSpec(resource)
		? customFieldKeys.map(
				(key): ResourceMapperField => ({
					id: `${CUSTOM_FIELD_COLUMN_PREFIX}${key}`,
					displayName: `Custom Field: ${key}`,
					required: false,
					defaultMatch: false,
					canBeUsedToMatch: false,
					display: true,
					type: 'string',
				}),
			)
		: [];
	return [...fields, ...customFields];
}

/** The custom field keys the given records use, sorted. */
export function customFieldKeysOf(records: IDataObject[]): string[] {
	const keys = new Set<string>();
	for (const record of records) {
		const fields = record[CUSTOM_FIELDS_API_NAME];
		if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
			for (const key of Object.keys(fields)) keys.add(key);
		}
	}
	return [...keys].sort((a, b) => a.localeCompare(b));
}

const isUnset = (value: unknown) => value === undefined || value === null || value === '';

/**
 * A mapped value for one field. Columns are keyed by the API name (`owner_id`); an input item may
 * also use the version 1 parameter name (`owner`). A record's nested reference (`{id, name}`)
 * stands for its ID.
 */
function valueFor(spec: FieldSpec, source: IDataObject): unknown {
	const value = source[spec.apiName] ?? source[spec.property.name];
	if (spec.kind === 'locator' && value && typeof value === 'object' && !('value' in value) && 'id' in value) {
		return (value as IDataObject).id;
	}
	return value;
}

/** Custom field values from `custom_fields.<key>` columns and from a `custom_fields` object. */
function customFieldValues(source: IDataObject): IDataObject {
	const nested = source[CUSTOM_FIELDS_API_NAME];
	const values: IDataObject = nested && typeof nested === 'object' && !Array.isArray(nested) ? { ...(nested as IDataObject) } : {};
	for (const [name, value] of Object.entries(source)) {
		if (name.startsWith(CUSTOM_FIELD_COLUMN_PREFIX)) values[name.slice(CUSTOM_FIELD_COLUMN_PREFIX.length)] = value;
	}
	return Object.fromEntries(Object.entries(values).filter(([, value]) => !isUnset(value))) as IDataObject;
}

/**
 * The request body from mapped values: the column values ("Map Each Column Manually") or the input
 * item ("Map Automatically", where fields matching no column are ignored). The values go through
 * the same conversion and checks as version 1's parameters; empty ones are not sent.
 */
export function mappedBody(
	resource: ResourceSpec,
	source: IDataObject,
	node: INode,
	{ requireFields, mappedFrom }: { requireFields: boolean; mappedFrom: string },
): IDataObject {
	const body = requestBody(
		writableFields(resource),
		(spec) => (spec.kind === 'customFields' ? customFieldValues(source) : valueFor(spec, source)),
		node,
	);
	if (requireFields) {
		const missing = resource.requiredFields.find((spec) => body[spec.apiName] === undefined);
		if (missing) {
			throw new NodeOperationError(node, `"${missing.property.displayName}" is empty`, {
				description: `Every ${resource.singular} needs a ${missing.property.displayName.toLowerCase()}: ${mappedFrom} has no value for "${missing.apiName}".`,
			});
		}
	}
	return body;
}
