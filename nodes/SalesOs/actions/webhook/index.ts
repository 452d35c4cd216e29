import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { WEBHOOK } from '../../records/specs';
import { deleteOperation, getManyOperation } from '../recordOperations';
import * as create from './create.operation';
import * as update from './update.operation';

export const getMany = getManyOperation(WEBHOOK);
const deleteWebhook = deleteOperation(WEBHOOK);
export { create, deleteWebhook as delete, update };

export const description: INodeProperties[] = [
	operationProperty(
		'webhook',
		[
			{
				value: 'create',
				name: 'Create',
				action: 'Create a webhook',
				description: 'Subscribe a URL to SalesOS events',
			},
			{ value: 'getMany', name: 'Get Many', action: 'Get many webhooks', description: 'List webhook subscriptions' },
			{ value: 'update', name: 'Update', action: 'Update a webhook', description: 'Change a webhook subscription' },
			{ value: 'delete', name: 'Delete', action: 'Delete a webhook', description: 'Remove a webhook subscription' },
		],
		'create',
	),
	...create.description,
	...getMany.description,
	...update.description,
	...deleteWebhook.description,
];
