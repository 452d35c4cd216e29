import { dirname } from 'node:path';

type DependencyInjection = typeof import('@n8n/di');

/**
 * n8n-core's dependency-injection container, resolved from n8n-core's own location so it is the
 * instance n8n-core's services register in (the package does not depend on @n8n/di itself).
 */
export const Container: DependencyInjection['Container'] = (
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require(require.resolve('@n8n/di', { paths: [dirname(require.resolve('n8n-core'))] })) as DependencyInjection
).Container;
