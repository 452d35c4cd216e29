import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import { TEAM } from '../../records/specs';
import { getManyOperation } from '../recordOperations';

export const getMany = getManyOperation(TEAM);

export const description: INodeProperties[] = [
	operationProperty(
		'team',
		[{ value: 'getMany', name: 'Get Many', action: 'Get many teams', description: 'List the teams' }],
		'getMany',
	),
	...getMany.description,
];
