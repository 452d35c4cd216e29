import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import * as record from '../recordOperations';

export const getMany = record.getMany({ resource: 'stage', path: '/stages', plural: 'stages' });

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
