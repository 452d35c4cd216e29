import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as convert from './convert.operation';
import * as create from './create.operation';
import * as deleteLead from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { convert, create, deleteLead as delete, get, getMany, update, upsert };

export const description: INodeProperties[] = [
	operationProperty(
		'lead',
		[
			{ value: 'create', name: 'Create', action: 'Create a lead', description: 'Create a new lead' },
			{
				value: 'upsert',
				name: 'Create or Update',
				action: 'Create or update a lead',
				description: 'Create a lead, or update it when one matches by email, external ID or ID',
			},
			{ value: 'update', name: 'Update', action: 'Update a lead', description: 'Update a lead' },
			{ value: 'get', name: 'Get', action: 'Get a lead', description: 'Get a lead by ID' },
			{ value: 'getMany', name: 'Get Many', action: 'Get many leads', description: 'List leads with filters' },
			{ value: 'delete', name: 'Delete', action: 'Delete a lead', description: 'Delete a lead' },
			{
				value: 'convert',
				name: 'Convert',
				action: 'Convert a lead to a deal',
				description: 'Turn a lead into a deal; the lead becomes "converted"',
			},
		],
		'create',
	),
	...create.description,
	...upsert.description,
	...update.description,
	...get.description,
	...getMany.description,
	...deleteLead.description,
	...convert.description,
];
