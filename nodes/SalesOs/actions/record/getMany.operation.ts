import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import {
	fieldsCollection,
	optionsCollection,
	returnAllProperties,
	showFor,
	type OptionGroup,
} from '../../descriptions/parameters';
import { pagingOf, requestList, runPerItem } from '../../execution/nodeRun';
import type { FieldSpec } from '../../records/fieldCatalogue';
import { buildQuery } from '../../records/serialisation';
import type { SalesOsOperation } from '../types';

export interface ListEndpoint {
	resource: string;
	path: string;
	plural: string;
	filters?: FieldSpec[];
	sortFields?: INodePropertyOptions[];
}

/** A "Get Many" operation: Return All / Limit, optional filters and sort; one item per record. */
export function getMany(endpoint: ListEndpoint): SalesOsOperation {
	const filters = endpoint.filters ?? [];
	const sortFields = endpoint.sortFields ?? [];
	const optionGroups: OptionGroup[] = [...(sortFields.length > 0 ? ['sort' as const] : []), 'concurrency', 'retry'];
	return {
		description: showFor(endpoint.resource, ['getMany'], [
			...returnAllProperties(endpoint.plural),
			...(filters.length > 0 ? [fieldsCollection('filters', filters)] : []),
			optionsCollection(optionGroups, sortFields),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await runPerItem(this, items, async (itemIndex) => {
				const filterValues = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
				const qs = buildQuery(filters, filterValues, this.getNode());
				const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
				if (options.sortField) {
					qs.sort = `${options.sortDirection === 'desc' ? '-' : ''}${String(options.sortField)}`;
				}
				return await requestList(this, endpoint.path, qs, pagingOf(this, itemIndex));
			});
		},
	};
}
