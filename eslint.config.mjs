// Exactly what n8n's verification scanner runs (`buildScanConfig()` in @n8n/scan-community-package
// 0.32.0, scanner/scanner.mjs; also what `n8n-node lint` runs): the community-nodes plugin's
// `recommended` rules and `no-console` on every file, plus eslint-plugin-n8n-nodes-base's
// `community` rules on package.json, `credentials` rules on credentials/**/*.ts and `nodes` rules on
// nodes/**/*.ts, with the same rules switched off. The scanner lints the source (package.json,
// nodes/, credentials/) and the published tarball's .js files (dist/, index.js); `npm run lint`
// lints both, with inline `eslint-disable` comments ignored as the scanner ignores them.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import typescriptParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { defineConfig } from 'eslint/config';

export default defineConfig(
	// The scanner's tarball leg lints only compiled .js in dist/, not declarations or codex copies.
	{ ignores: ['node_modules/**', '**/package-lock.json', 'dist/**/*.ts', 'dist/**/*.json'] },
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['**/credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['**/nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	// package.json is read as one object expression, and the n8n-nodes-base rules walk TypeScript ASTs.
	{ files: ['**/*.json', '**/*.ts'], languageOptions: { parser: typescriptParser } },
);
