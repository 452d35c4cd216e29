// Leads: validation, duplicates, events, list filters, convert.
import { randomUUID } from 'node:crypto';
import { ApiError, notFound, objectBody, ok, type RequestContext } from '../http';
import { enumFilter, equals, timeBound, type ListSpec } from '../listQuery';
import type { Route } from '../router';
import type { Deal, Lead, LeadStatus } from '../types';
import {
	assertValid,
	exists,
	isE164,
	isEmail,
	isObject,
	isString,
	isStringArray,
	mergeCustomFields,
	oneOf,
	pickFields,
	type Schema,
} from '../validation';
import { assertNoConflict, recordRoutes, writeTime, type Domain, type WriteOptions } from './common';
import { createDeal } from './deals';

export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'unqualified', 'converted'];

const LEAD_UNIQUE = [
	{ index: 'email', field: 'email' },
	{ index: 'external_id', field: 'custom_fields.external_id' },
];

function leadSchema({ state }: Domain): Schema {
	return {
		name: { required: true, rules: [isString] },
		email: { required: true, rules: [isString, isEmail] },
		phone: { rules: [isE164] },
		company: { rules: [isString] },
		position: { rules: [isString] },
		source: { rules: [isString] },
		status: { rules: [oneOf(LEAD_STATUSES)] },
		owner_id: { rules: [exists((id) => state.users.get(id), 'user')] },
		team_id: { rules: [exists((id) => state.teams.get(id), 'team')] },
		tags: { rules: [isStringArray] },
		custom_fields: { rules: [isObject] },
	};
}

export function getLead(domain: Domain, id: string): Lead {
	const lead = domain.state.leads.get(id);
	if (!lead) throw notFound('Lead', id);
	return lead;
}

export function createLead(domain: Domain, input: Record<string, unknown>, options: WriteOptions = {}): Lead {
	const schema = leadSchema(domain);
	if (!options.force) assertValid(input, schema, 'create');
	const fields = pickFields(input, schema);
	const now = writeTime(domain, 'leads', options);
	const lead: Lead = {
		id: typeof input.id === 'string' && options.force ? input.id : randomUUID(),
		name: '',
		email: '',
		phone: null,
		company: null,
		position: null,
		source: null,
		status: 'new',
		owner_id: null,
		team_id: null,
		tags: [],
		custom_fields: {},
		...(fields as Partial<Lead>),
		created_at: typeof input.created_at === 'string' && options.force ? input.created_at : now,
		updated_at: now,
	};
	lead.status ??= 'new';
	lead.tags ??= [];
	lead.custom_fields ??= {};
	if (!options.force) assertNoConflict(domain, domain.state.leads, 'lead', lead, LEAD_UNIQUE);
	domain.state.leads.insert(lead);
	domain.events.emit('lead.created', lead);
	return lead;
}

export function updateLead(domain: Domain, lead: Lead, input: Record<string, unknown>, options: WriteOptions = {}): Lead {
	const schema = leadSchema(domain);
	if (!options.force) assertValid(input, schema, 'update');
	const fields = pickFields(input, schema) as Partial<Lead>;
	const next: Lead = {
		...lead,
		...fields,
		tags: fields.tags ?? lead.tags,
		status: fields.status ?? lead.status,
		custom_fields: fields.custom_fields ? mergeCustomFields(lead.custom_fields, fields.custom_fields) : lead.custom_fields,
	};
	if (!options.force) assertNoConflict(domain, domain.state.leads, 'lead', next, LEAD_UNIQUE);
	const previousStatus = lead.status;
	domain.state.leads.update(lead, (record) => Object.assign(record, next, { updated_at: writeTime(domain, 'leads', options) }));
	domain.events.emit('lead.updated', lead);
	if (lead.status !== previousStatus) domain.events.emit('lead.status_changed', lead);
	return lead;
}

export function deleteLead(domain: Domain, lead: Lead) {
	domain.state.leads.delete(lead);
	domain.events.emit('lead.deleted', lead);
}

function convertLead(domain: Domain, lead: Lead, input: Record<string, unknown>): Deal {
	assertValid(input, { deal_name: { rules: [isString] } }, 'update');
	if (lead.status === 'converted') {
		const deal = [...domain.state.deals.values()].find((candidate) => candidate.lead_id === lead.id);
		throw new ApiError(
			409,
			'CONFLICT',
			'Lead already converted',
			[{ field: 'status', message: 'the lead is already converted' }],
			deal && domain.state.settings.conflictIncludesExistingId ? { existing_id: deal.id } : {},
		);
	}
	const deal = createDeal(domain, {
		name: input.deal_name ?? (lead.company ? `${lead.name} - ${lead.company}` : lead.name),
		...('value' in input ? { value: input.value } : {}),
		...('stage_id' in input ? { stage_id: input.stage_id } : {}),
		contact_name: lead.name,
		contact_email: lead.email,
		company: lead.company,
		owner_id: lead.owner_id,
		team_id: lead.team_id,
		lead_id: lead.id,
	});
	updateLead(domain, lead, { status: 'converted' }, { force: true });
	domain.events.emit('lead.converted', { ...lead, deal_id: deal.id });
	return deal;
}

const leadList: ListSpec<Lead> = {
	filters: {
		status: enumFilter(LEAD_STATUSES, (lead) => lead.status),
		source: equals((lead) => lead.source),
		owner_id: equals((lead) => lead.owner_id),
		team_id: equals((lead) => lead.team_id),
		created_after: timeBound((lead) => lead.created_at, 'min'),
		created_before: timeBound((lead) => lead.created_at, 'max'),
		updated_after: timeBound((lead) => lead.updated_at, 'min'),
		updated_before: timeBound((lead) => lead.updated_at, 'max'),
	},
	sortable: ['name', 'email', 'company', 'status', 'source', 'created_at', 'updated_at'],
	searchIn: (lead) => [lead.name, lead.email, lead.company],
	customFields: (lead) => lead.custom_fields,
};

export function leadRoutes(domain: Domain): Route[] {
	const byId = (ctx: RequestContext) => getLead(domain, ctx.params.id);
	return [
		...recordRoutes(domain, '/v1/leads', {
			store: domain.state.leads,
			list: leadList,
			get: (id) => getLead(domain, id),
			create: (input) => createLead(domain, input),
			update: (lead, input) => updateLead(domain, lead, input),
			remove: (lead) => deleteLead(domain, lead),
		}),
		{ method: 'POST', pattern: '/v1/leads/:id/convert', handler: (ctx) => ok(ctx, convertLead(domain, byId(ctx), objectBody(ctx)), 201) },
	];
}
