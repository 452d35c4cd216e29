import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { textField, type FieldSpec } from '../../records/fieldCatalogue';
import { ALL_EVENTS, eventsToRegister, SALESOS_EVENTS } from '../../trigger/events';
import { titleCase } from '../../records/specs';

/** Settings of a webhook subscription, shared by Create and Update. */

export const urlProperty: INodeProperties = {
	displayName: 'URL',
	name: 'url',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/salesos-events',
	description: 'HTTPS endpoint SalesOS sends the events to',
};

export const eventsProperty: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	default: [],
	description: 'Events SalesOS delivers to the URL',
	options: [
		{ name: 'All Events', value: ALL_EVENTS, description: 'Every documented event' },
		...SALESOS_EVENTS.map(({ value, description }) => ({
			name: value.split('.').map(titleCase).join(' '),
			value,
			description,
		})),
	],
};

export const webhookFields: FieldSpec[] = [
	textField('secret', 'secret', 'Secret', {
		typeOptions: { password: true },
		description:
			'Signs every delivery (X-SalesOS-Signature). Leave empty to have SalesOS generate one; it is returned only in this response.',
	}),
	textField('description', 'description', 'Description'),
	{
		apiName: 'active',
		kind: 'boolean',
		property: {
			displayName: 'Active',
			name: 'active',
			type: 'boolean',
			default: true,
			description: 'Whether SalesOS delivers events to this webhook',
		},
	},
];

export const webhookUpdateFields: FieldSpec[] = [
	{ apiName: 'url', kind: 'text', property: urlProperty },
	{ apiName: 'events', kind: 'list', property: eventsProperty },
	...webhookFields,
];

/** "All Events" is sent as the full documented list. */
export function withRegisteredEvents(body: IDataObject): IDataObject {
	if (!Array.isArray(body.events)) return body;
	return { ...body, events: eventsToRegister(body.events as string[]) };
}
