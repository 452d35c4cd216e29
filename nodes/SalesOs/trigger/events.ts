import type { INodePropertyOptions } from 'n8n-workflow';

/** Selecting this value accepts every event type. */
export const ALL_EVENTS = '*';

/** Every event the SalesOS docs list, in the order of its event table. */
export const SALESOS_EVENTS = [
	{ value: 'deal.created', description: 'A deal was created' },
	{ value: 'deal.updated', description: 'Any field of a deal changed' },
	{ value: 'deal.stage_changed', description: 'A deal moved to another pipeline stage' },
	{ value: 'deal.won', description: 'A deal was closed as won' },
	{ value: 'deal.lost', description: 'A deal was closed as lost' },
	{ value: 'deal.deleted', description: 'A deal was deleted' },
	{ value: 'lead.created', description: 'A lead was created' },
	{ value: 'lead.updated', description: 'Any field of a lead changed' },
	{ value: 'lead.status_changed', description: 'The status of a lead changed' },
	{ value: 'lead.converted', description: 'A lead was converted into a deal' },
	{ value: 'lead.deleted', description: 'A lead was deleted' },
	{ value: 'user.created', description: 'A user was invited' },
	{ value: 'user.activated', description: 'An invited user accepted and became active' },
	{ value: 'user.updated', description: 'A user changed' },
	{ value: 'user.deactivated', description: 'A user was deactivated' },
] as const;

export type SalesOsEvent = (typeof SALESOS_EVENTS)[number]['value'];

/** "deal.stage_changed" → "Deal Stage Changed" */
function displayNameOf(event: string): string {
	return event
		.split(/[._]/)
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

export const eventOptions: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: ALL_EVENTS,
		description:
			'Every documented event (automatic registration subscribes to each of them); with manual registration also any event type SalesOS adds later',
	},
	...SALESOS_EVENTS.map(({ value, description }) => ({
		name: displayNameOf(value),
		value,
		description,
	})),
];

/** The events to register at SalesOS: "All Events" is sent as the full documented list. */
export function eventsToRegister(selected: string[]): string[] {
	if (selected.includes(ALL_EVENTS)) return SALESOS_EVENTS.map(({ value }) => value);
	return [...new Set(selected)].sort();
}

export function isEventSelected(selected: string[], type: string): boolean {
	return selected.includes(ALL_EVENTS) || selected.includes(type);
}
