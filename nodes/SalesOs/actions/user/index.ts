import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { USER } from '../../records/specs';
import { createOperation, getManyOperation, getOperation, updateOperation } from '../recordOperations';
import * as deactivate from './deactivate.operation';

export const create = createOperation(USER);
export const update = updateOperation(USER);
export const get = getOperation(USER);
export const getMany = getManyOperation(USER);
export { deactivate };

export const description: INodeProperties[] = [
	operationProperty(
		'user',
		[
			{
				value: 'create',
				name: 'Invite',
				action: 'Invite a user',
				description: 'Invite a new user by email; SalesOS sends the invitation',
			},
			{ value: 'update', name: 'Update', action: 'Update a user', description: 'Change a user’s name, email, role or team' },
			{
				value: 'deactivate',
				name: 'Deactivate',
				action: 'Deactivate a user',
				description: 'Deactivate a user; SalesOS keeps the user and their records',
			},
			{ value: 'get', name: 'Get', action: 'Get a user', description: 'Get a user by ID' },
			{ value: 'getMany', name: 'Get Many', action: 'Get many users', description: 'List users with filters' },
		],
		'get',
	),
	...create.description,
	...update.description,
	...deactivate.description,
	...get.description,
	...getMany.description,
];
