import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { DEAL } from '../../records/specs';
import { recordOperationOptions, recordOperations } from '../recordOperations';
import * as close from './close.operation';
import * as move from './move.operation';

export const { create, upsert, update, get, getMany, delete: deleteDeal } = recordOperations(DEAL);
export { close, move, deleteDeal as delete };

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
