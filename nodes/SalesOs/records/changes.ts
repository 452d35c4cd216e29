import type { IDataObject } from 'n8n-workflow';

import { CUSTOM_FIELDS_API_NAME, type FieldKind, type FieldSpec } from './fieldCatalogue';

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
