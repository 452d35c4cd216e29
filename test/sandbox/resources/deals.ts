// Deals and stages: validation, duplicates, stage/status transitions, events, list filters.
import { randomUUID } from 'node:crypto';
import { notFound, objectBody, ok, validationError, type RequestContext } from '../http';
import { dateBound, enumFilter, equals, listResponse, numberBound, timeBound, type ListSpec } from '../listQuery';
import type { Route } from '../router';
import { CLOSED_LOST_STAGE_ID, CLOSED_WON_STAGE_ID } from '../settings';
import type { Deal, DealStatus, Stage, StageRef } from '../types';
import {
	assertValid,
	exists,
	isDate,
	isEmail,
	isNonNegativeNumber,
	isObject,
	isString,
	mergeCustomFields,
	oneOf,
	pickFields,
	type Schema,
} from '../validation';
import { assertNoConflict, recordRoutes, writeTime, type Domain, type WriteOptions } from './common';

export const DEAL_STATUSES: readonly DealStatus[] = ['open', 'won', 'lost'];

const DEAL_UNIQUE = [{ index: 'external_id', field: 'custom_fields.external_id' }];

function dealSchema({ state }: Domain): Schema {
	return {
		name: { required: true, rules: [isString] },
		value: { rules: [isNonNegativeNumber] },
		stage_id: { rules: [exists((id) => state.stage(id), 'stage')] },
		status: { rules: [oneOf(DEAL_STATUSES)] },
		contact_name: { rules: [isString] },
		contact_email: { rules: [isString, isEmail] },
		company: { rules: [isString] },
		owner_id: { rules: [exists((id) => state.users.get(id), 'user')] },
		team_id: { rules: [exists((id) => state.teams.get(id), 'team')] },
		expected_close_date: { rules: [isDate] },
		priority: { rules: [isString] },
		lead_id: { rules: [exists((id) => state.leads.get(id), 'lead')] },
		close_reason: { rules: [isString] },
		custom_fields: { rules: [isObject] },
	};
}

const stageRef = ({ id, name, probability }: Stage): StageRef => ({ id, name, probability });

function statusOfStage(stageId: string): DealStatus {
	if (stageId === CLOSED_WON_STAGE_ID) return 'won';
	if (stageId === CLOSED_LOST_STAGE_ID) return 'lost';
	return 'open';
}

/**
 * Stage and status move together: a closed stage means won/lost, won/lost means the closed stage,
 * reopening a closed deal moves it to the first stage.
 */
function transition(domain: Domain, current: Stage | undefined, stageId: unknown, status: unknown) {
	const stages = domain.state.stages;
	if (typeof stageId === 'string') {
		const stage = domain.state.stage(stageId);
		if (!stage) throw validationError([{ field: 'stage_id', message: `stage ${stageId} does not exist` }]);
		return { stage, status: statusOfStage(stage.id) };
	}
	if (status === 'won' || status === 'lost') {
		return { stage: domain.state.stage(status === 'won' ? CLOSED_WON_STAGE_ID : CLOSED_LOST_STAGE_ID)!, status: status as DealStatus };
	}
	const stage = current && statusOfStage(current.id) === 'open' ? current : stages[0];
	return { stage, status: 'open' as DealStatus };
}

export function getDeal(domain: Domain, id: string): Deal {
	const deal = domain.state.deals.get(id);
	if (!deal) throw notFound('Deal', id);
	return deal;
}

export function createDeal(domain: Domain, input: Record<string, unknown>, options: WriteOptions = {}): Deal {
	const schema = dealSchema(domain);
	if (!options.force) assertValid(input, schema, 'create');
	const { stage_id: stageId, status, ...fields } = pickFields(input, schema);
	const moved = transition(domain, undefined, stageId, status);
	const now = writeTime(domain, 'deals', options);
	const deal: Deal = {
		id: typeof input.id === 'string' && options.force ? input.id : randomUUID(),
		name: '',
		value: 0,
		stage: stageRef(moved.stage),
		status: moved.status,
		contact_name: null,
		contact_email: null,
		company: null,
		owner_id: null,
		team_id: null,
		expected_close_date: null,
		priority: null,
		lead_id: null,
		close_reason: null,
		custom_fields: {},
		...(fields as Partial<Deal>),
		created_at: typeof input.created_at === 'string' && options.force ? input.created_at : now,
		updated_at: now,
	};
	deal.value ??= 0;
	deal.custom_fields ??= {};
	if (!options.force) assertNoConflict(domain, domain.state.deals, 'deal', deal, DEAL_UNIQUE);
	domain.state.deals.insert(deal);
	domain.events.emit('deal.created', deal);
	return deal;
}

export function updateDeal(domain: Domain, deal: Deal, input: Record<string, unknown>, options: WriteOptions = {}): Deal {
	const schema = dealSchema(domain);
	if (!options.force) assertValid(input, schema, 'update');
	const { stage_id: stageId, status, ...fields } = pickFields(input, schema) as Record<string, unknown>;
	const current = domain.state.stage(deal.stage.id);
	const moved =
		stageId === undefined && status === undefined ? { stage: current!, status: deal.status } : transition(domain, current, stageId, status);
	const next: Deal = {
		...deal,
		...(fields as Partial<Deal>),
		value: (fields.value as number | undefined) ?? deal.value,
		stage: stageRef(moved.stage),
		status: moved.status,
		custom_fields: fields.custom_fields
			? mergeCustomFields(deal.custom_fields, fields.custom_fields as Record<string, unknown>)
			: deal.custom_fields,
	};
	if (!options.force) assertNoConflict(domain, domain.state.deals, 'deal', next, DEAL_UNIQUE);
	const before = { stageId: deal.stage.id, status: deal.status };
	domain.state.deals.update(deal, (record) => Object.assign(record, next, { updated_at: writeTime(domain, 'deals', options) }));
	domain.events.emit('deal.updated', deal);
	if (deal.stage.id !== before.stageId) domain.events.emit('deal.stage_changed', { ...deal, previous_stage_id: before.stageId });
	if (deal.status !== before.status && deal.status !== 'open') domain.events.emit(`deal.${deal.status}`, deal);
	return deal;
}

export function deleteDeal(domain: Domain, deal: Deal) {
	domain.state.deals.delete(deal);
	domain.events.emit('deal.deleted', deal);
}

function moveDeal(domain: Domain, deal: Deal, input: Record<string, unknown>): Deal {
	assertValid(input, { stage_id: { required: true, rules: [exists((id) => domain.state.stage(id), 'stage')] } }, 'create');
	return updateDeal(domain, deal, { stage_id: input.stage_id });
}

function closeDeal(domain: Domain, deal: Deal, input: Record<string, unknown>): Deal {
	assertValid(
		input,
		{ status: { required: true, rules: [oneOf(['won', 'lost'])] }, reason: { rules: [isString] } },
		'create',
	);
	return updateDeal(domain, deal, { status: input.status, close_reason: input.reason ?? null });
}

const dealList: ListSpec<Deal> = {
	filters: {
		stage_id: equals((deal) => deal.stage.id),
		owner_id: equals((deal) => deal.owner_id),
		team_id: equals((deal) => deal.team_id),
		lead_id: equals((deal) => deal.lead_id),
		status: enumFilter(DEAL_STATUSES, (deal) => deal.status),
		min_value: numberBound((deal) => deal.value, 'min'),
		max_value: numberBound((deal) => deal.value, 'max'),
		close_date_after: dateBound((deal) => deal.expected_close_date, 'min'),
		close_date_before: dateBound((deal) => deal.expected_close_date, 'max'),
		created_after: timeBound((deal) => deal.created_at, 'min'),
		created_before: timeBound((deal) => deal.created_at, 'max'),
		updated_after: timeBound((deal) => deal.updated_at, 'min'),
		updated_before: timeBound((deal) => deal.updated_at, 'max'),
	},
	sortable: ['name', 'value', 'status', 'priority', 'expected_close_date', 'created_at', 'updated_at', 'stage.probability'],
	searchIn: (deal) => [deal.name, deal.contact_name, deal.contact_email, deal.company],
	customFields: (deal) => deal.custom_fields,
};

const stageList: ListSpec<Stage> = {
	filters: {},
	sortable: ['position', 'name', 'probability'],
	searchIn: (stage) => [stage.name],
};

export function dealRoutes(domain: Domain): Route[] {
	const byId = (ctx: RequestContext) => getDeal(domain, ctx.params.id);
	return [
		...recordRoutes(domain, '/v1/deals', {
			store: domain.state.deals,
			list: dealList,
			get: (id) => getDeal(domain, id),
			create: (input) => createDeal(domain, input),
			update: (deal, input) => updateDeal(domain, deal, input),
			remove: (deal) => deleteDeal(domain, deal),
		}),
		{ method: 'POST', pattern: '/v1/deals/:id/move', handler: (ctx) => ok(ctx, moveDeal(domain, byId(ctx), objectBody(ctx))) },
		{ method: 'POST', pattern: '/v1/deals/:id/close', handler: (ctx) => ok(ctx, closeDeal(domain, byId(ctx), objectBody(ctx))) },
		{ method: 'GET', pattern: '/v1/stages', handler: (ctx) => listResponse(ctx, domain.state.stages, stageList, domain.state.settings) },
	];
}
