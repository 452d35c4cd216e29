import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { DEAL, LEAD, type ResourceSpec } from '../records/specs';
import { MAX_PAGE_SIZE, salesOsApiRequest, salesOsApiRequestAllItems } from '../transport';
import { ACTIVE_USERS_QUERY, dealOption, matches, namedOption, personOption } from './pickers';

/** Pickers for owner, team, stage, lead and deal (resource locator "From List" mode). Triggers use them too. */

/** One page of 100 records searched by SalesOS; the editor asks for the next page as the user scrolls. */
async function searchPage(
	context: ILoadOptionsFunctions,
	path: string,
	qs: IDataObject,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<{ records: IDataObject[]; paginationToken?: string }> {
	const page = Number(paginationToken ?? 1);
	const { data, meta } = await salesOsApiRequest.call(context, {
		method: 'GET',
		path,
		qs: { ...qs, page, per_page: MAX_PAGE_SIZE, ...(filter ? { search: filter } : {}) },
	});
	const more = page < Number(meta.total_pages ?? page);
	return { records: Array.isArray(data) ? data : [], ...(more ? { paginationToken: String(page + 1) } : {}) };
}

/** Active users, searched by SalesOS (name, email). */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { records, ...next } = await searchPage(this, '/users', ACTIVE_USERS_QUERY, filter, paginationToken);
	return { results: records.map(personOption), ...next };
}

/** Most recently changed records first, as the one a user looks for usually is. */
async function searchRecords(
	context: ILoadOptionsFunctions,
	resource: ResourceSpec,
	toOption: (record: IDataObject) => INodeListSearchItems,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const { records, ...next } = await searchPage(context, resource.path, { sort: '-updated_at' }, filter, paginationToken);
	// A SalesOS may ignore `search` (contract, section 4): where the searched fields are known, keep only matches.
	const { searchIn } = resource;
	const found = searchIn ? records.filter((record) => matches(filter, ...searchIn.map((field) => record[field]))) : records;
	return { results: found.map(toOption), ...next };
}

export async function searchLeads(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchRecords(this, LEAD, personOption, filter, paginationToken);
}

export async function searchDeals(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchRecords(this, DEAL, dealOption, filter, paginationToken);
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
