import type { INodeProperties } from 'n8n-workflow';

import { LEAD } from '../../shared/records';
import { operationProperty } from '../operationProperty';
import { recordOperationOptions } from '../recordOperations';
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
			...recordOperationOptions(LEAD),
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
