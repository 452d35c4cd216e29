import type { IDataObject, INode, INodePropertyCollection } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CUSTOM_FIELDS_API_NAME, type FieldSpec } from './fieldCatalogue';

// What the user gave (parameters, mapped columns, input fields) → API values: request bodies and
// list queries. apiValueOf is the one conversion; parameters and the field mapper only differ in
// where they find each field's value.

/** The ID inside a resource locator value (or the plain string an expression produced). */
export function locatorValue(value: unknown): string {
	if (value && typeof value === 'object' && 'value' in value) {
		return String((value as IDataObject).value ?? '').trim();
	}
	return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * Accepts "a, b", ["a", "b"] or ["a, b"] (numbers become text); returns trimmed, de-duplicated
 * tags. Anything else (an object, a nested list) is an error: it would be stored as "[object Object]".
 */
export function normalizeTags(value: unknown, node: INode): string[] {
	const raw = Array.isArray(value) ? value : [value];
	const bad = raw.find((entry) => entry !== undefined && entry !== null && !['string', 'number'].includes(typeof entry));
	if (bad !== undefined) {
		throw new NodeOperationError(node, `"Tags" must be text or a list of texts, got ${JSON.stringify(bad)}`, {
			description:
				'SalesOS stores tags as strings. Map the tag names, e.g. {{ $json.tags.map(tag => tag.name) }}, or enter them comma-separated.',
		});
	}
	const tags = raw
		.flatMap((entry) => (entry === undefined || entry === null ? [] : String(entry).split(',')))
		.map((tag) => tag.trim())
		.filter((tag) => tag !== '');
	return [...new Set(tags)];
}

/** The Custom Fields parameter's rows (`{<row name>: [{key, value}]}`) → `{key: value}`. */
function customFieldsOfRows(spec: FieldSpec, value: unknown): IDataObject {
	const rowName = (spec.property.options?.[0] as INodePropertyCollection).name;
	const entries = ((value as IDataObject | undefined)?.[rowName] ?? []) as IDataObject[];
	return Object.fromEntries(entries.map((entry) => [String(entry.key ?? '').trim(), entry.value])) as IDataObject;
}

/** Custom field values keyed by the SalesOS key; an empty key cannot be stored. */
function checkedCustomFields(spec: FieldSpec, value: IDataObject, node: INode): IDataObject {
	if (Object.keys(value).some((key) => key.trim() === '')) {
		throw new NodeOperationError(node, `"${spec.property.displayName}" has an empty key`, {
			description: 'Fill in the custom field key (as configured in SalesOS) or remove the row.',
		});
	}
	return value;
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
	);
}

function converted(spec: FieldSpec, value: unknown, node: INode): unknown {
	const label = spec.property.displayName;
	switch (spec.kind) {
		case 'email':
			return String(value).trim();
		case 'number': {
			const number = typeof value === 'number' ? value : Number(String(value).trim());
			if (!Number.isFinite(number)) {
				throw new NodeOperationError(node, `"${label}" must be a number, got "${String(value)}"`, {
					description: 'Enter a plain number such as 1500 or 1500.5, without currency symbols or thousands separators.',
				});
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
			return normalizeTags(value, node);
		case 'list':
			return Array.isArray(value) ? value : [value];
		case 'json':
			return parseJsonValue(value, label, node);
		case 'customFields':
			return checkedCustomFields(spec, value as IDataObject, node);
		default:
			return value;
	}
}

/** A JSON parameter (text or an expression's value) that must hold an object. */
function parseJsonValue(value: unknown, label: string, node: INode): IDataObject {
	const description = 'Enter a JSON object, e.g. {"source": "crm"}, or an expression returning one.';
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(node, `"${label}" is not valid JSON`, { description });
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(node, `"${label}" must be a JSON object, got ${JSON.stringify(parsed)}`, { description });
	}
	return parsed as IDataObject;
}

/**
 * One field's API value (custom fields as `{key: value}`), checked; undefined when blank, so an
 * empty optional field never overwrites data in SalesOS.
 */
function apiValueOf(spec: FieldSpec, value: unknown, node: INode): unknown {
	if (isBlank(value)) return undefined;
	const apiValue = converted(spec, value, node);
	return isBlank(apiValue) ? undefined : apiValue;
}

/** A request body: each field's API value from `valueOf`, blank ones left out. */
export function requestBody(specs: FieldSpec[], valueOf: (spec: FieldSpec) => unknown, node: INode): IDataObject {
	const body: IDataObject = {};
	for (const spec of specs) {
		const apiValue = apiValueOf(spec, valueOf(spec), node);
		if (apiValue !== undefined) body[spec.apiName] = apiValue as IDataObject[keyof IDataObject];
	}
	return body;
}

/** A request body from parameter values keyed by parameter name. */
export function buildBody(specs: FieldSpec[], values: IDataObject, node: INode): IDataObject {
	return requestBody(
		specs,
		(spec) => (spec.kind === 'customFields' ? customFieldsOfRows(spec, values[spec.property.name]) : values[spec.property.name]),
		node,
	);
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
