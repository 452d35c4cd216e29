/**
 * The n8n release whose CLI code the modules marked PINNED copy, and the n8n-core it ships (the
 * package's devDependency). A different n8n-core stops every suite here, so an upgrade is never
 * silently tested against stale copies: compare each PINNED module with that release's source
 * (its header says what to check), then update these versions.
 */
export const PINNED_N8N = '2.40.7';
export const PINNED_N8N_CORE = '2.40.3';

const PINNED_MODULES = [
	'additionalData.ts',
	'credentialsHelper.ts',
	'credentialTest.ts',
	'encryptionKeys.ts',
	'webhooks.ts',
	'webhookServer.ts',
];

export function assertPinnedN8nCore(): void {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { version } = require('n8n-core/package.json') as { version: string };
	if (version === PINNED_N8N_CORE) return;
	throw new Error(
		`test/helpers/engine copies n8n ${PINNED_N8N} CLI code (n8n-core ${PINNED_N8N_CORE}), but n8n-core ${version} is installed. ` +
			`Compare ${PINNED_MODULES.join(', ')} with the n8n release that ships n8n-core ${version}, then update test/helpers/engine/pinned.ts.`,
	);
}
