// Fault injection: rules matched per request, drawn from a seeded RNG so runs are reproducible.
import { seededRandom } from './seededRandom';
import type { ActiveFaultRule, FaultRule } from './types';

function globToRegExp(glob: string): RegExp {
	const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
	return new RegExp(`^${escaped}$`);
}

export class FaultInjector {
	private rules: Array<ActiveFaultRule & { matcher?: RegExp }> = [];
	private random = seededRandom(42);
	private nextId = 1;

	reseed(seed: number) {
		this.random = seededRandom(seed);
	}

	set(rules: FaultRule[], append = false) {
		if (!append) this.rules = [];
		for (const rule of rules) {
			this.rules.push({
				...rule,
				id: `fault_${this.nextId++}`,
				remaining: rule.count ?? null,
				applied: 0,
				matcher: rule.route?.includes('*') ? globToRegExp(rule.route) : undefined,
			});
		}
	}

	list(): ActiveFaultRule[] {
		return this.rules.map(({ matcher: _matcher, ...rule }) => rule);
	}

	clear() {
		this.rules = [];
	}

	/** The first rule that applies to this request (consumes one of its `count`), if any. */
	match(method: string, routePattern: string, pathname: string): FaultRule | undefined {
		for (const rule of this.rules) {
			if (rule.remaining === 0) continue;
			if (rule.method && rule.method.toUpperCase() !== method) continue;
			if (rule.route) {
				const routeMatches = rule.matcher
					? rule.matcher.test(pathname)
					: rule.route === routePattern || rule.route === pathname;
				if (!routeMatches) continue;
			}
			if (rule.probability !== undefined && this.random() >= rule.probability) continue;
			if (rule.remaining !== null) rule.remaining--;
			rule.applied++;
			return rule;
		}
		return undefined;
	}
}
