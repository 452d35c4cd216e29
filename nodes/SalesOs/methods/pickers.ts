import type { IDataObject, INodeListSearchItems } from 'n8n-workflow';

/** Shared by the list searches: how users, leads, deals, teams and stages are listed. */

export const ACTIVE_USERS_QUERY: IDataObject = { status: 'active', sort: 'name' };

/** A user or a lead: a person with a name and an email. */
export function personOption(person: IDataObject): INodeListSearchItems {
	return { name: `${String(person.name)} (${String(person.email)})`, value: String(person.id) };
}

export function dealOption(deal: IDataObject): INodeListSearchItems {
	const company = typeof deal.company === 'string' && deal.company !== '' ? ` – ${deal.company}` : '';
	return { name: `${String(deal.name)}${company}`, value: String(deal.id) };
}

export function namedOption(record: IDataObject): INodeListSearchItems {
	return { name: String(record.name), value: String(record.id) };
}

export function matches(filter: string | undefined, ...values: unknown[]): boolean {
	if (!filter) return true;
	const wanted = filter.toLowerCase();
	return values.some((value) => typeof value === 'string' && value.toLowerCase().includes(wanted));
}
