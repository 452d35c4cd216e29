import type { IDataObject, ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { customFieldKeysOf, mappingColumns } from '../records/mapping';
import { DEAL, LEAD } from '../records/specs';
import { MAX_PAGE_SIZE, salesOsApiRequest } from '../transport';

/**
 * The columns of the lead and deal field mapper (Create, Update, Create or Update). SalesOS has
 * no list of custom field definitions, so their keys are those of the most recently updated records
 * (one page).
 */
export async function getRecordFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const config = this.getNodeParameter('resource', 0) === 'deal' ? DEAL : LEAD;
	const operation = this.getNodeParameter('operation', 0) as string;
	const { data } = await salesOsApiRequest.call(this, {
		method: 'GET',
		path: config.path,
		qs: { sort: '-updated_at', page: 1, per_page: MAX_PAGE_SIZE },
	});
	const recent = Array.isArray(data) ? (data as IDataObject[]) : [];
	return { fields: mappingColumns(config, { requireFields: operation !== 'update' }, customFieldKeysOf(recent)) };
}
