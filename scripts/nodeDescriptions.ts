/**
 * Prints every node and credential description of the package as JSON, so a refactor can show
 * that the editor sees the same nodes: run it before and after the change and compare.
 *
 *   node --import tsx scripts/nodeDescriptions.ts > /tmp/before.json
 */
import { join } from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { SalesOsApiKeyApi } from '../credentials/SalesOsApiKeyApi.credentials';
import { SalesOsClientCredentialsApi } from '../credentials/SalesOsClientCredentialsApi.credentials';
import { REPO_ROOT } from './n8n/package';

/** By file name: tsx would resolve `X.node` to the codex `X.node.json`. */
function nodeDescription(file: string, className: string): INodeTypeDescription {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return new (require(join(REPO_ROOT, 'nodes', 'SalesOs', file))[className])().description;
}

// A node's one description carries all its versions (properties per version through
// displayOptions `@version`), so it covers every version.
const nodes = [
	nodeDescription('SalesOs.node.ts', 'SalesOs'),
	nodeDescription('SalesOsTrigger.node.ts', 'SalesOsTrigger'),
	nodeDescription('SalesOsPollTrigger.node.ts', 'SalesOsPollTrigger'),
];
const credentials = [new SalesOsClientCredentialsApi(), new SalesOsApiKeyApi()];

const descriptions = {
	nodes: Object.fromEntries(nodes.map((description) => [description.name, description])),
	credentials: Object.fromEntries(credentials.map((credential) => [credential.name, credential])),
};
process.stdout.write(`${JSON.stringify(descriptions, null, '\t')}\n`);
