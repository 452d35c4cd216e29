// Sizes of every scenario. The defaults are issue 6's; `--quick` shrinks them for a smoke run
// (same shape, same rates, a few minutes in total).
export interface BenchConfig {
	quick: boolean;
	rateLimited: { leads: number; limit: number; windowMs: number; mode: 'fixed' | 'sliding'; latencyMs: number; runs: number };
	throughput: { leads: number; latencyMs: number; runs: number };
	tokenReuse: { executions: number; callsPerExecution: number; latencyMs: number };
	activities: { count: number; latencyMs: number; runs: number };
	webhook: { deliveries: number; concurrency: number; runs: number; warmUp: number };
	poll: { records: number; changed: number; latencyMs: number };
	queueShared: { executions: number; leadsPerExecution: number; limit: number; windowMs: number; latencyMs: number };
	/** Items per workflow in the warm-up run every scenario starts with. */
	warmUpItems: number;
}

export function benchConfig(quick: boolean, rateWindow: 'fixed' | 'sliding' = 'fixed'): BenchConfig {
	const config = sizes(quick);
	return { ...config, rateLimited: { ...config.rateLimited, mode: rateWindow } };
}

function sizes(quick: boolean): BenchConfig {
	if (quick) {
		return {
			quick,
			// The same 10 requests/second as 600/minute, in 10-second windows.
			rateLimited: { leads: 150, limit: 100, windowMs: 10_000, mode: 'fixed', latencyMs: 20, runs: 1 },
			throughput: { leads: 300, latencyMs: 20, runs: 1 },
			tokenReuse: { executions: 10, callsPerExecution: 10, latencyMs: 20 },
			activities: { count: 2_000, latencyMs: 20, runs: 1 },
			webhook: { deliveries: 200, concurrency: 8, runs: 1, warmUp: 20 },
			poll: { records: 2_000, changed: 20, latencyMs: 20 },
			queueShared: { executions: 4, leadsPerExecution: 50, limit: 600, windowMs: 60_000, latencyMs: 20 },
			warmUpItems: 10,
		};
	}
	return {
		quick,
		// 2,000 leads at 600 requests/minute take about 3.5 minutes per run and variant.
		rateLimited: { leads: 2_000, limit: 600, windowMs: 60_000, mode: 'fixed', latencyMs: 20, runs: 3 },
		throughput: { leads: 2_000, latencyMs: 20, runs: 3 },
		tokenReuse: { executions: 100, callsPerExecution: 10, latencyMs: 20 },
		activities: { count: 10_000, latencyMs: 20, runs: 3 },
		webhook: { deliveries: 1_000, concurrency: 8, runs: 4, warmUp: 300 },
		poll: { records: 20_000, changed: 100, latencyMs: 20 },
		// Issue 11: 10 executions × 100 creates on one client limited to 300 per minute.
		queueShared: { executions: 10, leadsPerExecution: 100, limit: 300, windowMs: 60_000, latencyMs: 20 },
		warmUpItems: 20,
	};
}
