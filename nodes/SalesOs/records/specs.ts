import type { INodePropertyOptions } from 'n8n-workflow';

import {
	CUSTOM_FIELDS_API_NAME,
	fieldSpecs,
	type FieldSpec,
} from './fieldCatalogue';

// Every resource the node lists, reads or writes is described here once; the operations in
// actions/recordOperations/ are built from these specs.

/** A SalesOS resource: its API collection, how the node names it, and what a write may set. */
export interface ResourceSpec {
	/** The node's Resource value, e.g. `lead`. */
	name: string;
	singular: string;
	plural: string;
	/** The API collection; one record is `<path>/<id>`. */
	path: string;
	/** Parameter holding the record ID, e.g. `leadId`. */
	idParameter: string;
	/** The node's list search that picks one of these records by name (methods/listSearch.ts). */
	picker?: 'searchLeads' | 'searchDeals';
	/**
	 * Fields the list filter `search` matches as substrings, where the contract names them
	 * (leads: section 4); without them the node cannot check a search result.
	 */
	searchIn?: string[];
	/** Top-level, required parameters of create and upsert. */
	requiredFields: FieldSpec[];
	/** Everything else a write can set ("Additional Fields" / "Update Fields"). */
	optionalFields: FieldSpec[];
	/** API fields SalesOS keeps unique: a second create with the same value gets 409, not a duplicate. */
	uniqueFields: string[];
	/** Keys an upsert can match on. */
	matchKeys: Array<'email' | 'externalId' | 'id'>;
	/** Get Many's filters and sort fields. */
	filters: FieldSpec[];
	sortFields: INodePropertyOptions[];
}

/** Every field a write of this resource can set, required ones first. */
export const writableFields = (resource: ResourceSpec): FieldSpec[] => [...resource.requiredFields, ...resource.optionalFields];

export const EXTERNAL_ID_KEY = 'external_id';
const UNIQUE_EXTERNAL_ID = `${CUSTOM_FIELDS_API_NAME}.${EXTERNAL_ID_KEY}`;

/** The same field with a description that fits where it is used (e.g. as a filter). */
const describedAs = (spec: FieldSpec, description: string): FieldSpec => ({
	...spec,
	property: { ...spec.property, description },
});

const dateTimeFilter = (apiName: string, name: string, displayName: string, description: string): FieldSpec => ({
	apiName,
	kind: 'dateTime',
	property: { displayName, name, type: 'dateTime', default: '', description },
});

const numberFilter = (apiName: string, name: string, displayName: string): FieldSpec => ({
	apiName,
	kind: 'number',
	property: { displayName, name, type: 'number', default: 0 },
});

export const titleCase = (value: string) =>
	value
		.split('_')
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');

const optionsFilter = (apiName: string, name: string, displayName: string, values: string[]): FieldSpec => {
	const [firstValue] = values;
	return {
		apiName,
		kind: 'text',
		property: {
			displayName,
			name,
			type: 'options',
			default: firstValue,
			options: values.map((value) => ({ name: titleCase(value), value })),
		},
	};
};

const commonFilters = {
	search: {
		apiName: 'search',
		kind: 'text',
		property: {
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			description: 'Text matched against name, email and company',
		},
	} satisfies FieldSpec,
	updatedAfter: dateTimeFilter(
		'updated_after',
		'updatedAfter',
		'Updated After',
		'Only records changed at or after this time (ISO 8601); the basis of incremental syncs',
	),
	customFields: describedAs(
		fieldSpecs.customFields,
		'Only records whose custom field equals the value exactly, e.g. external_id = crm-42',
	),
};

const sortOption = (value: string): INodePropertyOptions => ({ name: titleCase(value), value });

const closeDateFilter = (apiName: string, name: string, displayName: string, description: string): FieldSpec => ({
	apiName,
	kind: 'date',
	property: { displayName, name, type: 'dateTime', default: '', description },
});

export const LEAD: ResourceSpec = {
	name: 'lead',
	singular: 'lead',
	plural: 'leads',
	path: '/leads',
	idParameter: 'leadId',
	picker: 'searchLeads',
	searchIn: ['name', 'email', 'company'],
	requiredFields: [fieldSpecs.name, fieldSpecs.email],
	optionalFields: [
		fieldSpecs.phone,
		fieldSpecs.company,
		fieldSpecs.position,
		fieldSpecs.source,
		fieldSpecs.leadStatus,
		fieldSpecs.owner,
		fieldSpecs.team,
		fieldSpecs.tags,
		fieldSpecs.customFields,
	],
	uniqueFields: ['email', UNIQUE_EXTERNAL_ID],
	matchKeys: ['email', 'externalId', 'id'],
	filters: [
		fieldSpecs.leadStatus,
		fieldSpecs.source,
		fieldSpecs.owner,
		fieldSpecs.team,
		dateTimeFilter('created_after', 'createdAfter', 'Created After', 'Only leads created at or after this time'),
		dateTimeFilter('created_before', 'createdBefore', 'Created Before', 'Only leads created at or before this time'),
		commonFilters.updatedAfter,
		commonFilters.search,
		commonFilters.customFields,
	],
	sortFields: ['company', 'created_at', 'email', 'name', 'status', 'updated_at'].map(sortOption),
};

export const DEAL: ResourceSpec = {
	name: 'deal',
	singular: 'deal',
	plural: 'deals',
	path: '/deals',
	idParameter: 'dealId',
	picker: 'searchDeals',
	requiredFields: [{ ...fieldSpecs.name, property: { ...fieldSpecs.name.property, placeholder: 'e.g. Acme – annual plan' } }],
	optionalFields: [
		fieldSpecs.value,
		fieldSpecs.stage,
		fieldSpecs.contactName,
		fieldSpecs.contactEmail,
		fieldSpecs.company,
		fieldSpecs.owner,
		fieldSpecs.team,
		fieldSpecs.expectedCloseDate,
		fieldSpecs.priority,
		fieldSpecs.leadId,
		fieldSpecs.customFields,
	],
	uniqueFields: [UNIQUE_EXTERNAL_ID],
	matchKeys: ['externalId', 'id'],
	filters: [
		describedAs(fieldSpecs.stage, 'Only deals in this stage'),
		fieldSpecs.owner,
		fieldSpecs.team,
		optionsFilter('status', 'status', 'Status', ['open', 'won', 'lost']),
		numberFilter('min_value', 'minValue', 'Min Value'),
		numberFilter('max_value', 'maxValue', 'Max Value'),
		closeDateFilter('close_date_after', 'closeDateAfter', 'Close Date After', 'Only deals expected to close on or after this date'),
		closeDateFilter('close_date_before', 'closeDateBefore', 'Close Date Before', 'Only deals expected to close on or before this date'),
		commonFilters.updatedAfter,
		commonFilters.search,
		commonFilters.customFields,
	],
	sortFields: ['created_at', 'expected_close_date', 'name', 'updated_at', 'value'].map(sortOption),
};

const userRole = optionsFilter('role', 'role', 'Role', ['admin', 'manager', 'sales_rep']);

const USER_FILTERS: FieldSpec[] = [
	userRole,
	fieldSpecs.team,
	optionsFilter('status', 'status', 'Status', ['active', 'invited', 'deactivated']),
	describedAs(commonFilters.search, 'Text matched against name and email'),
];

/** Users are invited (POST), updated (PATCH) and deactivated (DELETE); SalesOS keeps their email unique. */
export const USER: ResourceSpec = {
	name: 'user',
	singular: 'user',
	plural: 'users',
	path: '/users',
	idParameter: 'userId',
	requiredFields: [fieldSpecs.name, fieldSpecs.email, { ...userRole, property: { ...userRole.property, default: 'sales_rep' } }],
	optionalFields: [describedAs(fieldSpecs.team, 'The team the user joins')],
	uniqueFields: ['email'],
	matchKeys: ['email', 'id'],
	filters: USER_FILTERS,
	sortFields: ['created_at', 'email', 'name', 'role', 'status', 'updated_at'].map(sortOption),
};

/** Resources the node only lists or addresses by ID: nothing to write through the shared operations. */
const notWritten = { requiredFields: [], optionalFields: [], uniqueFields: [], matchKeys: [], filters: [], sortFields: [] };

export const WEBHOOK: ResourceSpec = {
	name: 'webhook',
	singular: 'webhook',
	plural: 'webhooks',
	path: '/webhooks',
	idParameter: 'webhookId',
	...notWritten,
};

export const TEAM: ResourceSpec = { name: 'team', singular: 'team', plural: 'teams', path: '/teams', idParameter: 'teamId', ...notWritten };

export const STAGE: ResourceSpec = { name: 'stage', singular: 'stage', plural: 'stages', path: '/stages', idParameter: 'stageId', ...notWritten };
