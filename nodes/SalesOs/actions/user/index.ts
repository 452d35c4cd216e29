import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { USER, USER_FILTERS } from '../../records/specs';
import * as record from '../record';

export const get = record.get(USER);
export const getMany = record.getMany({ ...USER, filters: USER_FILTERS });

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
