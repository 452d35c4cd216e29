export function median(values: number[]): number {
	return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Rounds to `digits` significant decimals for display and the JSON file. */
export function round(value: number, digits = 2): number {
	if (!Number.isFinite(value)) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** The median of each numeric field over several runs of the same measurement. */
export function medianOf<T extends Record<string, number>>(runs: T[]): T {
	const keys = Object.keys(runs[0] ?? {}) as Array<keyof T>;
	return Object.fromEntries(keys.map((key) => [key, median(runs.map((run) => run[key]))])) as T;
}
