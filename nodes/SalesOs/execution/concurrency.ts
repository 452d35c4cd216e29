/**
 * Runs `task` for every index in `0..count-1` with at most `limit` tasks in flight, and returns
 * the results in index order. A small pool instead of Promise.all keeps large inputs under the
 * SalesOS rate limit; a pool instead of a plain loop keeps them fast.
 *
 * When a task throws, no new tasks start; the ones already running finish, and the error of the
 * lowest failing index is rethrown, so which error the user sees does not depend on timing.
 */
export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	task: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	const failures = new Map<number, unknown>();
	let next = 0;

	const worker = async () => {
		while (next < count && failures.size === 0) {
			const index = next++;
			try {
				results[index] = await task(index);
			} catch (error) {
				failures.set(index, error);
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: workers }, worker));

	if (failures.size > 0) {
		const firstFailure = Math.min(...failures.keys());
		return Promise.reject(failures.get(firstFailure));
	}
	return results;
}
