import type { IDataObject, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { customFieldKeysOf, mappingColumns } from '../records/mappedFields';
import { DEAL, LEAD, type ResourceSpec } from '../records/specs';
import { MAX_PAGE_SIZE, salesOsApiRequest } from '../transport';

/**
 * The columns of the lead and deal field mapper (Create, Update, Create or Update): every built-in
 * field, known without asking SalesOS, plus one column per custom field key. SalesOS has no list of
 * custom field definitions, so their keys are those of the most recently updated records (one
 * page); when that lookup fails (no working credential yet), a column says why instead.
 */
export async function getRecordFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const resource = this.getNodeParameter('resource', 0) === 'deal' ? DEAL : LEAD;
	const requireFields = this.getNodeParameter('operation', 0) !== 'update';
	let customFieldKeys: string[];
	try {
		customFieldKeys = customFieldKeysOf(await recentlyUpdated(this, resource));
	} catch (error) {
		return { fields: [...mappingColumns(resource, { requireFields }, []), customFieldsNotLoaded(error)] };
	}
	return { fields: mappingColumns(resource, { requireFields }, customFieldKeys) };
}

async function recentlyUpdated(context: ILoadOptionsFunctions, resource: ResourceSpec): Promise<IDataObject[]> {
	const { data } = await salesOsApiRequest.call(context, {
		method: 'GET',
		path: resource.path,
		qs: { sort: '-updated_at', page: 1, per_page: MAX_PAGE_SIZE },
	});
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/**
 * Why the custom field columns are missing, as a read-only column after the built-in ones: n8n's
 * editor shows a ResourceMapperFields `emptyFieldsNotice` only when there are no columns at all.
 * Its ID is neither a field's API name nor `custom_fields.<key>`, so writes ignore it.
 */
function customFieldsNotLoaded(error: unknown): ResourceMapperField {
	const reason = error instanceof Error ? error.message : String(error);
	return {
		id: 'custom_fields_not_loaded',
		displayName: `Custom fields not loaded (${reason}): check the credential, then refresh the field list`,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		readOnly: true,
		type: 'string',
	};
}
