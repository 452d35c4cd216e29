import type { INodeProperties } from 'n8n-workflow';

import { fieldsCollection } from '../descriptions/commonProperties';
import type { FieldSpec } from '../records/fieldCatalogue';
import { DEAL, LEAD, type ResourceSpec } from '../records/specs';

export type PolledResource = 'lead' | 'deal';

export const POLLED_RESOURCES: Record<PolledResource, ResourceSpec> = { lead: LEAD, deal: DEAL };

/** Filters SalesOS applies itself, so a poll reads only matching changes. */
const FILTERED_FIELDS = ['status', 'owner_id', 'stage_id'];

export function pollFilters(resource: PolledResource): FieldSpec[] {
	return POLLED_RESOURCES[resource].filters.filter((spec) => FILTERED_FIELDS.includes(spec.apiName));
}

export const pollFilterProperties: INodeProperties[] = (['lead', 'deal'] as const).map((resource) => ({
	...fieldsCollection('filters', pollFilters(resource)),
	displayOptions: { show: { resource: [resource] } },
}));
