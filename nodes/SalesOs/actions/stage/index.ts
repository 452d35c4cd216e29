import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	operationProperty(
		'stage',
		[
			{
				value: 'getMany',
				name: 'Get Many',
				action: 'Get many stages',
				description: 'List the pipeline stages in order',
			},
		],
		'getMany',
	),
	...getMany.description,
];
