import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { STAGE } from '../../records/specs';
import { getManyOperation } from '../recordOperations';

export const getMany = getManyOperation(STAGE);

export const description: INodeProperties[] = [
	operationProperty(
		'stage',
		[
			{
				value: 'getMany',
				name: 'Get Many',
				action: 'Get many stages',
				description: 'List the pipeline stages in order',
			},
		],
		'getMany',
	),
	...getMany.description,
];
