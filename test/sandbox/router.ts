// A minimal router: '/v1/leads/:id' patterns, matched segment by segment.
import type { RequestContext, SandboxResponse } from './http';

export type Handler = (ctx: RequestContext) => SandboxResponse | Promise<SandboxResponse>;

export interface Route {
	method: string;
	pattern: string;
	handler: Handler;
}

export interface RouteMatch {
	route: Route;
	params: Record<string, string>;
}

export class Router {
	private readonly compiled: Array<{ route: Route; segments: string[] }> = [];

	constructor(routes: Route[]) {
		for (const route of routes) this.compiled.push({ route, segments: route.pattern.split('/') });
	}

	/** The route for method + path; `methodMismatch` when the path exists under another method. */
	match(method: string, pathname: string): RouteMatch | { methodMismatch: boolean } {
		const segments = pathname.replace(/\/+$/, '').split('/');
		let pathMatched = false;
		for (const { route, segments: pattern } of this.compiled) {
			const params = matchSegments(pattern, segments);
			if (!params) continue;
			if (route.method === method) return { route, params };
			pathMatched = true;
		}
		return { methodMismatch: pathMatched };
	}
}

function decode(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
	const wildcard = pattern[pattern.length - 1] === '*';
	if (wildcard ? segments.length < pattern.length - 1 : segments.length !== pattern.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < pattern.length; i++) {
		const part = pattern[i];
		if (part === '*') {
			params['*'] = segments.slice(i).map((segment) => decode(segment) ?? segment).join('/');
			return params;
		}
		if (part.startsWith(':')) {
			const value = decode(segments[i]);
			if (!value) return undefined;
			params[part.slice(1)] = value;
		} else if (part !== segments[i]) {
			return undefined;
		}
	}
	return params;
}
