import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import { fieldsCollection, returnAllProperties, showFor } from '../../descriptions/commonProperties';
import { pagingOf, runPerItem } from '../../execution/nodeRun';
import { listMatching, MAX_RECORDS_SCANNED } from '../../records/filteredList';
import type { FieldSpec } from '../../records/fieldCatalogue';
import { buildQuery } from '../../records/serialisation';
import type { SalesOsOperation } from '../types';
import { listSettings, sortOf } from './settingsByVersion';

export interface ListEndpoint {
	resource: string;
	path: string;
	plural: string;
	filters?: FieldSpec[];
	sortFields?: INodePropertyOptions[];
	/** Fields the `search` filter matches, so the node can check what SalesOS returned. */
	searchIn?: string[];
}

/** A "Get Many" operation: Return All / Limit, optional filters and sort; one item per record. */
export function getMany(endpoint: ListEndpoint): SalesOsOperation {
	const filters = endpoint.filters ?? [];
	const sortFields = endpoint.sortFields ?? [];
	return {
		description: showFor(endpoint.resource, ['getMany'], [
			...returnAllProperties(),
			...(filters.length > 0 ? [fieldsCollection('filters', filters)] : []),
			...listSettings(sortFields),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			const ignoredFilters = new Set<string>();
			const output = await runPerItem(this, items, async (itemIndex) => {
				const filterValues = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
				const qs = buildQuery(filters, filterValues, this.getNode());
				const sort = sortOf(this, itemIndex);
				if (sort) qs.sort = sort;
				const { records, ignoredFilter, scanned } = await listMatching(this, endpoint.path, qs, {
					...pagingOf(this, itemIndex),
					searchIn: endpoint.searchIn ?? [],
					plural: endpoint.plural,
					itemIndex,
				});
				if (ignoredFilter) ignoredFilters.add(`${Object.keys(qs).filter((key) => key !== 'sort').join(', ')} (${scanned} ${endpoint.plural} checked)`);
				return records;
			});
			for (const filter of ignoredFilters) {
				this.addExecutionHints({
					message: `SalesOS ignored the filter ${filter}: the node filtered the ${endpoint.plural} itself, up to ${MAX_RECORDS_SCANNED.toLocaleString('en-US')}`,
					type: 'warning',
					location: 'outputPane',
				});
			}
			return output;
		},
	};
}
