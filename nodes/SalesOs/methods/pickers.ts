import type { IDataObject, INodeListSearchItems } from 'n8n-workflow';

/** Shared by the list searches and load options: how users, teams and stages are listed. */

export const ACTIVE_USERS_QUERY: IDataObject = { status: 'active', sort: 'name' };

export function userOption(user: IDataObject): INodeListSearchItems {
	return { name: `${String(user.name)} (${String(user.email)})`, value: String(user.id) };
}

export function namedOption(record: IDataObject): INodeListSearchItems {
	return { name: String(record.name), value: String(record.id) };
}

export function matches(filter: string | undefined, ...values: unknown[]): boolean {
	if (!filter) return true;
	const wanted = filter.toLowerCase();
	return values.some((value) => typeof value === 'string' && value.toLowerCase().includes(wanted));
}
