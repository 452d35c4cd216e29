import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as close from './close.operation';
import * as create from './create.operation';
import * as deleteDeal from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { close, create, deleteDeal as delete, get, getMany, move, update, upsert };

export const description: INodeProperties[] = [
	operationProperty(
		'deal',
		[
			{ value: 'create', name: 'Create', action: 'Create a deal', description: 'Create a new deal' },
			{
				value: 'upsert',
				name: 'Create or Update',
				action: 'Create or update a deal',
				description: 'Create a deal, or update it when one matches by external ID or ID',
			},
			{ value: 'update', name: 'Update', action: 'Update a deal', description: 'Update a deal' },
			{ value: 'get', name: 'Get', action: 'Get a deal', description: 'Get a deal by ID' },
			{ value: 'getMany', name: 'Get Many', action: 'Get many deals', description: 'List deals with filters' },
			{ value: 'delete', name: 'Delete', action: 'Delete a deal', description: 'Delete a deal' },
			{
				value: 'move',
				name: 'Move to Stage',
				action: 'Move a deal to a stage',
				description: 'Move a deal to another pipeline stage',
			},
			{
				value: 'close',
				name: 'Close',
				action: 'Close a deal as won or lost',
				description: 'Mark a deal as won or lost, with a reason',
			},
		],
		'create',
	),
	...create.description,
	...upsert.description,
	...update.description,
	...get.description,
	...getMany.description,
	...deleteDeal.description,
	...move.description,
	...close.description,
];
