import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../descriptions/operationProperty';
import * as record from '../recordOperations';

export const getMany = record.getMany({ resource: 'team', path: '/teams', plural: 'teams' });

export const description: INodeProperties[] = [
	operationProperty(
		'team',
		[{ value: 'getMany', name: 'Get Many', action: 'Get many teams', description: 'List the teams' }],
		'getMany',
	),
	...getMany.description,
];
