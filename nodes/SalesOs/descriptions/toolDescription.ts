import type { INodeProperties } from 'n8n-workflow';

/**
 * What an AI agent reads about each operation when the node is its tool ("SalesOS Tool"): when to
 * use it and what it needs, in one sentence. Keyed by resource and operation value; the unit suite
 * checks that every operation of the node has one.
 */
export const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
	lead: {
		create: 'Creates a lead in SalesOS; needs the person’s name and email (fails if a lead with that email exists).',
		upsert: 'Creates a lead in SalesOS, or updates the lead that already has the same email or external ID; needs a name and an email.',
		update: 'Changes fields of an existing SalesOS lead; needs the lead ID.',
		get: 'Returns one SalesOS lead; needs the lead ID.',
		getMany: 'Lists SalesOS leads, optionally filtered (e.g. by status, owner or a search text); needs nothing.',
		delete: 'Deletes a SalesOS lead; needs the lead ID.',
		convert: 'Turns a SalesOS lead into a deal; needs the lead ID (deal name, value and stage are optional).',
		twoWaySync:
			'Merges a SalesOS lead with the other system’s record against what both last agreed on, writing only the fields that changed; needs the lead ID or the other system’s ID and that system’s record.',
	},
	deal: {
		create: 'Creates a deal in SalesOS; needs a deal name (value, stage, contact and company are optional).',
		upsert: 'Creates a deal in SalesOS, or updates the deal with the same external ID or ID; needs a deal name.',
		update: 'Changes fields of an existing SalesOS deal; needs the deal ID.',
		get: 'Returns one SalesOS deal; needs the deal ID.',
		getMany: 'Lists SalesOS deals, optionally filtered (e.g. by stage, status, value or a search text); needs nothing.',
		delete: 'Deletes a SalesOS deal; needs the deal ID.',
		move: 'Moves a SalesOS deal to another pipeline stage; needs the deal ID and the stage.',
		close: 'Closes a SalesOS deal as won or lost; needs the deal ID, the outcome and a reason.',
	},
	stage: {
		getMany: 'Lists the SalesOS pipeline stages in order, with their IDs; needs nothing.',
	},
	user: {
		create: 'Invites a person to SalesOS as a user; needs a name, an email and a role.',
		update: 'Changes a SalesOS user’s name, email, role or team; needs the user ID.',
		deactivate: 'Deactivates a SalesOS user so they can no longer sign in; needs the user ID.',
		get: 'Returns one SalesOS user (a sales rep, manager or admin); needs the user ID.',
		getMany: 'Lists SalesOS users, optionally filtered by role, team, status or a search text; needs nothing.',
	},
	team: {
		getMany: 'Lists the SalesOS teams with their IDs; needs nothing.',
	},
	webhook: {
		create: 'Subscribes a URL to SalesOS events; needs the URL and the event names.',
		getMany: 'Lists the SalesOS webhook subscriptions; needs nothing.',
		update: 'Changes a SalesOS webhook subscription; needs the webhook ID.',
		delete: 'Removes a SalesOS webhook subscription; needs the webhook ID.',
	},
	collaborator: {
		sync: 'Creates or updates a collaborator in the SalesOS Default Integration, matched by email; needs the email.',
	},
	activity: {
		sync: 'Records a collaborator’s activity in the SalesOS Default Integration; needs the activity code, an external ID and the collaborator’s email.',
	},
};

/**
 * The tool's Description, shown only on the tool variant (`@tool`) and pre-filled per operation.
 * n8n then adds no description parameter of its own and gives the agent this text.
 */
export const toolDescriptionProperties: INodeProperties[] = Object.entries(TOOL_DESCRIPTIONS).flatMap(
	([resource, operations]) =>
		Object.entries(operations).map(
			([operation, sentence]): INodeProperties => ({
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: sentence,
				required: true,
				typeOptions: { rows: 2 },
				description:
					'What the AI agent reads about this tool: when to use it and what it needs. The default fits the chosen operation.',
				displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
			}),
		),
);
