import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { MAX_PAGE_SIZE, salesOsApiRequest, salesOsApiRequestAllItems } from '../transport';
import { ACTIVE_USERS_QUERY, matches, namedOption, userOption } from './pickers';

/** Pickers for owner, team and stage (resource locator "From List" mode). Triggers use them too. */

/** Active users, searched by SalesOS (name, email), one page of 100 per call. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1);
	const { data, meta } = await salesOsApiRequest.call(this, {
		method: 'GET',
		path: '/users',
		qs: { ...ACTIVE_USERS_QUERY, page, per_page: MAX_PAGE_SIZE, ...(filter ? { search: filter } : {}) },
	});
	const users = Array.isArray(data) ? data : [];
	const more = page < Number(meta.total_pages ?? page);
	return {
		results: users.map(userOption),
		...(more ? { paginationToken: String(page + 1) } : {}),
	};
}

/** Teams are few: all are fetched and filtered here. */
export async function searchTeams(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const teams = await salesOsApiRequestAllItems.call(this, '/teams', {}, { returnAll: true });
	return { results: teams.filter((team) => matches(filter, team.name, team.id)).map(namedOption) };
}

/** Stages in pipeline order. */
export async function searchStages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const stages = await salesOsApiRequestAllItems.call(this, '/stages', {}, { returnAll: true });
	return { results: stages.filter((stage) => matches(filter, stage.name, stage.id)).map(namedOption) };
}
