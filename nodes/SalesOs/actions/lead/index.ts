import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { LEAD } from '../../records/specs';
import * as record from '../record';
import * as convert from './convert.operation';

export const { create, upsert, update, get, getMany, delete: deleteLead } = record.recordOperations(LEAD);
export { convert, deleteLead as delete };

export const description: INodeProperties[] = [
	operationProperty(
		'lead',
		[
			...record.recordOperationOptions(LEAD),
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
