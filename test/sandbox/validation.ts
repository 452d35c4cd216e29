// Field validation shared by every resource: one details entry per bad field.
import { isPlainObject, validationError, type FieldError } from './http';

/** Returns a message when the value is bad. */
export type Rule = (value: unknown) => string | undefined;

export interface FieldSpec {
	required?: boolean;
	rules: Rule[];
}

export type Schema = Record<string, FieldSpec>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isString: Rule = (v) => (typeof v === 'string' ? undefined : 'must be a string');
export const isEmail: Rule = (v) =>
	typeof v === 'string' && EMAIL.test(v) ? undefined : 'must be a valid email address';
export const isE164: Rule = (v) =>
	typeof v === 'string' && E164.test(v) ? undefined : 'must be in E.164 format, e.g. +5511999999999';
export const isStringArray: Rule = (v) =>
	Array.isArray(v) && v.every((item) => typeof item === 'string') ? undefined : 'must be an array of strings';
export const isObject: Rule = (v) => (isPlainObject(v) ? undefined : 'must be an object');
export const isBoolean: Rule = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
export const isNonNegativeNumber: Rule = (v) =>
	typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'must be a number >= 0';
export const isDate: Rule = (v) =>
	typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
	new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
		? undefined
		: 'must be a date in YYYY-MM-DD format';
export const isDateTime: Rule = (v) =>
	typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? undefined : 'must be an ISO 8601 date-time';
export const oneOf =
	(values: readonly string[]): Rule =>
	(v) =>
		typeof v === 'string' && values.includes(v) ? undefined : `must be one of: ${values.join(', ')}`;
export const exists =
	(lookup: (id: string) => unknown, what: string): Rule =>
	(v) =>
		typeof v === 'string' && lookup(v) !== undefined ? undefined : `${what} ${String(v)} does not exist`;

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/**
 * Checks `input` against `schema`. On create, required fields must be present; on update only
 * the fields sent are checked (a required field may not be emptied). Optional fields accept null.
 */
export function validate(input: Record<string, unknown>, schema: Schema, mode: 'create' | 'update'): FieldError[] {
	const errors: FieldError[] = [];
	for (const [field, spec] of Object.entries(schema)) {
		const present = field in input;
		const value = input[field];
		if (isEmpty(value)) {
			if (spec.required && (mode === 'create' || present)) {
				errors.push({ field, message: mode === 'create' && !present ? 'is required' : 'cannot be empty' });
			}
			continue;
		}
		for (const rule of spec.rules) {
			const message = rule(value);
			if (message) {
				errors.push({ field, message });
				break;
			}
		}
	}
	return errors;
}

/** 422 VALIDATION_ERROR listing every bad field of `input`. */
export function assertValid(input: Record<string, unknown>, schema: Schema, mode: 'create' | 'update'): void {
	const errors = validate(input, schema, mode);
	if (errors.length) throw validationError(errors);
}

/** Copies the schema's fields that are present in `input` (unknown fields are ignored). */
export function pickFields(input: Record<string, unknown>, schema: Schema): Record<string, unknown> {
	const picked: Record<string, unknown> = {};
	for (const field of Object.keys(schema)) if (field in input) picked[field] = input[field] === '' ? null : input[field];
	return picked;
}

/** custom_fields patch semantics: merge key by key; a null value removes the key. */
export function mergeCustomFields(current: Record<string, unknown>, patch: Record<string, unknown>) {
	const merged = { ...current };
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete merged[key];
		else merged[key] = value;
	}
	return merged;
}
