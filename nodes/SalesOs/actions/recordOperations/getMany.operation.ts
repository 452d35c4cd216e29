import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fieldsCollection, returnAllProperties, showFor } from '../../descriptions/commonProperties';
import { pagingOf, runPerItem } from '../../execution/nodeRun';
import { listMatching, MAX_RECORDS_SCANNED } from '../../records/filteredList';
import { buildQuery } from '../../records/serialisation';
import type { ResourceSpec } from '../../records/specs';
import type { SalesOsOperation } from '../types';
import { sortAndOptions, sortOf } from './settingsByVersion';

/** A "Get Many" operation: Return All / Limit, optional filters and sort; one item per record. */
export function getManyOperation(resource: ResourceSpec): SalesOsOperation {
	const { filters, sortFields } = resource;
	return {
		description: showFor(resource.name, ['getMany'], [
			...returnAllProperties(),
			...(filters.length > 0 ? [fieldsCollection('filters', filters)] : []),
			...sortAndOptions(sortFields),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			const ignoredFilters = new Set<string>();
			const output = await runPerItem(this, items, async (itemIndex) => {
				const filterValues = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
				const qs = buildQuery(filters, filterValues, this.getNode());
				const sort = sortOf(this, itemIndex);
				if (sort) qs.sort = sort;
				const { records, ignoredFilter, scanned } = await listMatching(this, resource.path, qs, {
					...pagingOf(this, itemIndex),
					searchIn: resource.searchIn ?? [],
					plural: resource.plural,
					itemIndex,
				});
				if (ignoredFilter) ignoredFilters.add(`${Object.keys(qs).filter((key) => key !== 'sort').join(', ')} (${scanned} ${resource.plural} checked)`);
				return records;
			});
			for (const filter of ignoredFilters) {
				this.addExecutionHints({
					message: `SalesOS ignored the filter ${filter}: the node filtered the ${resource.plural} itself, up to ${MAX_RECORDS_SCANNED.toLocaleString('en-US')}`,
					type: 'warning',
					location: 'outputPane',
				});
			}
			return output;
		},
	};
}
