import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { LEAD } from '../../records/specs';
import { recordOperationOptions, recordOperations } from '../recordOperations';
import * as convert from './convert.operation';
import * as twoWaySync from './twoWaySync.operation';

export const { create, upsert, update, get, getMany, delete: deleteLead } = recordOperations(LEAD);
export { convert, deleteLead as delete, twoWaySync };

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
			{
				value: 'twoWaySync',
				name: 'Two-Way Sync With Other Record',
				action: 'Two-way sync a lead with another system’s record',
				description:
					'Merge a lead with the other system’s record against what both last agreed on: write only what changed, resolve conflicts by a policy',
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
	...twoWaySync.description,
];
