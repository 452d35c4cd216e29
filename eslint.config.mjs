// What n8n's verification scanner runs: the community-nodes plugin's `recommended` rules over
// package.json, nodes/ and credentials/ (see the `lint` script).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import typescriptParser from '@typescript-eslint/parser';

export default [
	{ ignores: ['dist/**', 'node_modules/**'] },
	{
		// The rules need a TypeScript-aware scope (restricted globals, catch parameters) and read
		// package.json as a source file whose body is one object expression.
		files: ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: typescriptParser, sourceType: 'module' },
		...n8nCommunityNodesPlugin.configs.recommended,
	},
];
