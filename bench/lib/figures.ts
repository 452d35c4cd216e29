// Figures read from the sandbox: what SalesOS would have seen, independent of what n8n reports.
import type { Counters, Sandbox } from '../../test/sandbox';

export interface ApiRequestFigures {
	/** Requests to the REST API and the Default Integration (token endpoint excluded). */
	total: number;
	/** Let through by authentication and the rate limiter: anything but 401, 429 or a dropped connection. */
	accepted: number;
	rateLimited: number;
	unauthorized: number;
	tokenRequests: number;
	byRoute: Counters['requests'];
}

export function apiRequests(counters: Counters, routeFilter: (route: string) => boolean = () => true): ApiRequestFigures {
	const figures: ApiRequestFigures = { total: 0, accepted: 0, rateLimited: 0, unauthorized: 0, tokenRequests: counters.tokenRequests, byRoute: {} };
	for (const [route, byStatus] of Object.entries(counters.requests)) {
		const path = route.split(' ')[1] ?? '';
		if (!(path.startsWith('/v1') || path.startsWith('/functions')) || !routeFilter(route)) continue;
		figures.byRoute[route] = byStatus;
		for (const [status, count] of Object.entries(byStatus)) {
			figures.total += count;
			if (status === '429') figures.rateLimited += count;
			else if (status === '401') figures.unauthorized += count;
			else if (status !== 'reset') figures.accepted += count;
		}
	}
	return figures;
}

/** Leads stored for the expected emails: how many are missing and how many are there more than once. */
export function leadIntegrity(sandbox: Sandbox, expectedEmails: string[]): { stored: number; lost: number; duplicated: number } {
	const copies = new Map<string, number>(expectedEmails.map((email) => [email.toLowerCase(), 0]));
	for (const lead of sandbox.state.leads.values()) {
		const email = String(lead.email ?? '').toLowerCase();
		if (copies.has(email)) copies.set(email, copies.get(email)! + 1);
	}
	let stored = 0;
	let lost = 0;
	let duplicated = 0;
	for (const count of copies.values()) {
		if (count === 0) lost++;
		else stored++;
		if (count > 1) duplicated += count - 1;
	}
	return { stored, lost, duplicated };
}
