import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

export const description: INodeProperties[] = [
	operationProperty(
		'user',
		[
			{ value: 'get', name: 'Get', action: 'Get a user', description: 'Get a user by ID' },
			{ value: 'getMany', name: 'Get Many', action: 'Get many users', description: 'List users with filters' },
		],
		'get',
	),
	...get.description,
	...getMany.description,
];
