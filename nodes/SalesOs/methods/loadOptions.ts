import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { salesOsApiRequestAllItems } from '../transport';
import { ACTIVE_USERS_QUERY, namedOption, personOption } from './pickers';

/** The same pickers as plain dropdown options, for `options` parameters (e.g. a trigger filter). */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const users = await salesOsApiRequestAllItems.call(this, '/users', ACTIVE_USERS_QUERY, { returnAll: true });
	return users.map(personOption);
}

export async function getTeams(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await salesOsApiRequestAllItems.call(this, '/teams', {}, { returnAll: true })).map(namedOption);
}

export async function getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await salesOsApiRequestAllItems.call(this, '/stages', {}, { returnAll: true })).map(namedOption);
}
