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
				description: 'Record activities through the Default Integration, deduplicated by external ID',
			},
		],
		'sync',
	),
	...sync.description,
];
