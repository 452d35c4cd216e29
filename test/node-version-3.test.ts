/**
 * SalesOS node version 3: a new Collaborator or Activity node authenticates with an API key (the
 * Default Integration accepts nothing else); every other resource, and every saved node of
 * versions 1 and 2, keeps OAuth2 Client Credentials as its default.
 */
import { NodeHelpers, type INode, type INodeParameters } from 'n8n-workflow';

import { SalesOs } from '../nodes/SalesOs/SalesOs.node';

const description = new SalesOs().description;

/** The parameters n8n resolves for a node saved with only these (defaults are not saved). */
function resolved(typeVersion: number, parameters: INodeParameters): INodeParameters {
	const node = { name: 'SalesOS', type: 'n8n-nodes-salesos.salesOs', typeVersion, parameters, position: [0, 0] } as unknown as INode;
	return NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description)!;
}

it('is the version new nodes get', () => {
	expect(description.version).toEqual([1, 2, 3]);
	expect(description.defaultVersion).toBe(3);
});

it.each([
	[3, 'collaborator', 'sync', 'apiKey'],
	[3, 'activity', 'sync', 'apiKey'],
	[3, 'lead', 'create', 'clientCredentials'],
	[3, 'webhook', 'getMany', 'clientCredentials'],
	[2, 'collaborator', 'sync', 'clientCredentials'],
	[1, 'activity', 'sync', 'clientCredentials'],
	[1, 'lead', 'create', 'clientCredentials'],
])('version %d %s %s defaults to %s', (typeVersion, resource, operation, authentication) => {
	expect(resolved(typeVersion, { resource, operation }).authentication).toBe(authentication);
});

it('keeps an Authentication a saved node chose', () => {
	expect(resolved(3, { resource: 'collaborator', operation: 'sync', authentication: 'clientCredentials' }).authentication).toBe(
		'clientCredentials',
	);
	expect(resolved(1, { resource: 'activity', operation: 'sync', authentication: 'apiKey' }).authentication).toBe('apiKey');
});

it('offers Skipped Activities → Treat as Success only before version 3', () => {
	const skippedOption = (typeVersion: number) =>
		description.properties
			.filter((property) => property.name === 'options' && property.displayOptions?.show?.resource?.includes('activity'))
			.filter((property) => NodeHelpers.displayParameter({ resource: 'activity', operation: 'sync' }, property, { typeVersion } as INode, description))
			.flatMap((property) => (property.options as Array<{ name: string }>).map((option) => option.name));
	expect(skippedOption(2)).toContain('skippedActivities');
	expect(skippedOption(3)).not.toContain('skippedActivities');
});
