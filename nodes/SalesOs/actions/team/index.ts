import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	operationProperty(
		'team',
		[{ value: 'getMany', name: 'Get Many', action: 'Get many teams', description: 'List the teams' }],
		'getMany',
	),
	...getMany.description,
];
