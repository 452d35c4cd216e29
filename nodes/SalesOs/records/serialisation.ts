import type { IDataObject, INode, INodePropertyCollection } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CUSTOM_FIELDS_API_NAME, type FieldSpec } from './fieldCatalogue';

// Parameter values → API values: request bodies and list queries.

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
