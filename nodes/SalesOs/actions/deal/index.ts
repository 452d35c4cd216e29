import type { INodeProperties } from 'n8n-workflow';

import { DEAL } from '../../shared/records';
import { operationProperty } from '../operationProperty';
import { recordOperationOptions } from '../recordOperations';
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
			...recordOperationOptions(DEAL),
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
