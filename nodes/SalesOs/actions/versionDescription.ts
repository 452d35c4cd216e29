import type { INodeProperties } from 'n8n-workflow';

import { actionAuthenticationProperties } from '../descriptions/authenticationProperty';
import { toolDescriptionProperties } from '../descriptions/toolDescription';
import * as activity from './activity';
import * as collaborator from './collaborator';
import * as deal from './deal';
import * as lead from './lead';
import * as stage from './stage';
import * as team from './team';
import * as user from './user';
import * as webhook from './webhook';

/**
 * Every parameter of the SalesOS node. The node's identity (name, icon, credentials, …) stays
 * in SalesOs.node.ts as a literal, where n8n's community-node linter checks it.
 */
export const properties: INodeProperties[] = [
	...toolDescriptionProperties,
	...actionAuthenticationProperties,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Activity', value: 'activity' },
			{ name: 'Collaborator', value: 'collaborator' },
			{ name: 'Deal', value: 'deal' },
			{ name: 'Lead', value: 'lead' },
			{ name: 'Stage', value: 'stage' },
			{ name: 'Team', value: 'team' },
			{ name: 'User', value: 'user' },
			{ name: 'Webhook', value: 'webhook' },
		],
		default: 'lead',
	},
	...lead.description,
	...deal.description,
	...stage.description,
	...user.description,
	...team.description,
	...webhook.description,
	...collaborator.description,
	...activity.description,
];
