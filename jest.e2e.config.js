/**
 * The real-n8n suite (test/e2e/*.e2e.ts): installs n8n 2.40.7 outside the package on first use
 * (about 5 minutes), then runs the example workflows in it against the SalesOS sandbox.
 * `npm run test:e2e`; part of `npm test`.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e', '<rootDir>/test/ui'],
	testMatch: ['**/*.e2e.ts'],
	// Per test; the one-time n8n install has its own budget in beforeAll.
	testTimeout: 180_000,
	transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
};
