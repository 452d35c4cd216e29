// A small JSON Schema checker for the keywords the Default Integration schema uses (type,
// required, properties, additionalProperties, items, maxItems, maxLength, pattern, enum,
// format email/date-time, oneOf, $ref to #/definitions/…). Returns every violation by path.
import schemaJson from './defaultIntegration.schema.json';

type Schema = Record<string, any>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** RFC 3339 date-time: seconds and an offset are required. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function typeOf(value: unknown): string {
	if (Array.isArray(value)) return 'array';
	if (value === null) return 'null';
	return Number.isInteger(value) ? 'integer' : typeof value;
}

function check(value: unknown, schema: Schema, root: Schema, path: string): string[] {
	if (schema.$ref) return check(value, root.definitions[String(schema.$ref).replace('#/definitions/', '')], root, path);
	if (schema.oneOf) {
		const results = (schema.oneOf as Schema[]).map((option) => check(value, option, root, path));
		const passing = results.filter((errors) => errors.length === 0).length;
		if (passing === 1) return [];
		if (passing > 1) return [`${path}: matches more than one schema`];
		// Report the errors of the request the body's action names, if it names one.
		const forAction = results.filter((errors) => !errors.some((error) => error.startsWith(`${path}.action:`)));
		return (forAction.length ? forAction : results).reduce((a, b) => (a.length <= b.length ? a : b));
	}
	const errors: string[] = [];
	const type = typeOf(value);
	if (schema.type && !(schema.type === type || (schema.type === 'number' && type === 'integer'))) return [`${path}: must be ${schema.type}, is ${type}`];
	if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
	if (typeof value === 'string') {
		if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
		if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
		if (schema.format === 'email' && !EMAIL.test(value)) errors.push(`${path}: not an email`);
		if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) errors.push(`${path}: not an RFC 3339 date-time`);
	}
	if (Array.isArray(value)) {
		if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
		if (schema.items) value.forEach((item, index) => errors.push(...check(item, schema.items, root, `${path}[${index}]`)));
	}
	if (type === 'object') {
		const object = value as Record<string, unknown>;
		for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${path}.${key}: required`);
		for (const [key, item] of Object.entries(object)) {
			const property = schema.properties?.[key];
			if (property) errors.push(...check(item, property, root, `${path}.${key}`));
			else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not in the spec`);
		}
	}
	return errors;
}

/** Every way `body` departs from the spec's request schema (empty: it conforms). */
export function defaultIntegrationViolations(body: unknown): string[] {
	return check(body, schemaJson as Schema, schemaJson as Schema, 'body');
}
