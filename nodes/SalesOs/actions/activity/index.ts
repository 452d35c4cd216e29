import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import * as sync from './sync.operation';

export { sync };

export const description: INodeProperties[] = [
	operationProperty(
		'activity',
		[
			{
				value: 'sync',
				name: 'Sync',
				action: 'Sync activities',
				description: 'Record activities through the Default Integration (needs an API key with default:sync), deduplicated by external ID; all items go out together, 1,000 per request',
			},
		],
		'sync',
	),
	...sync.description,
];
