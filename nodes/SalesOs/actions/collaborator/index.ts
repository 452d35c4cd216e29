import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import * as sync from './sync.operation';

export { sync };

export const description: INodeProperties[] = [
	operationProperty(
		'collaborator',
		[
			{
				value: 'sync',
				name: 'Sync',
				action: 'Sync collaborators',
				description: 'Create or match collaborators by email through the Default Integration (needs an API key with default:sync); all items go out together, 500 per request',
			},
		],
		'sync',
	),
	...sync.description,
];
