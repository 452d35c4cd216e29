import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { DEFAULT_SYNC_MARKER, type SyncMarkerSettings } from '../records/syncMarker';

/** Options-collection entries for "Ignore Own Changes", shared by both triggers. */
export const ownChangesOptions: INodeProperties[] = [
	{
		displayName: 'Ignore Own Changes',
		name: 'ignoreOwnChanges',
		type: 'boolean',
		default: false,
		description:
			'Whether to skip changes written by this integration, recognised by the sync marker the SalesOS node stamps, so a two-way sync does not ping-pong',
	},
	{
		displayName: 'Sync Marker Field',
		name: 'syncMarkerKey',
		type: 'string',
		default: DEFAULT_SYNC_MARKER.key,
		displayOptions: { show: { ignoreOwnChanges: [true] } },
		description: 'Custom field key the SalesOS node writes its sync marker to',
	},
	{
		displayName: 'Sync Marker Value',
		name: 'syncMarkerValue',
		type: 'string',
		default: DEFAULT_SYNC_MARKER.value,
		displayOptions: { show: { ignoreOwnChanges: [true] } },
		description: 'Marker value the SalesOS node writes (stored as "value@time of the write")',
	},
	{
		displayName: 'Echo Window (Seconds)',
		name: 'echoWindowSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_SYNC_MARKER.echoWindowSeconds,
		displayOptions: { show: { ignoreOwnChanges: [true] } },
		description:
			'How long after a marked write a change still counts as its echo; a later edit by a SalesOS user is passed on',
	},
];

/** The marker settings to filter with, or undefined when "Ignore Own Changes" is off. */
export function ownChangesFilter(options: IDataObject): SyncMarkerSettings | undefined {
	if (options.ignoreOwnChanges !== true) return undefined;
	return {
		key: (options.syncMarkerKey as string | undefined) || DEFAULT_SYNC_MARKER.key,
		value: (options.syncMarkerValue as string | undefined) || DEFAULT_SYNC_MARKER.value,
		echoWindowSeconds:
			(options.echoWindowSeconds as number | undefined) ?? DEFAULT_SYNC_MARKER.echoWindowSeconds,
	};
}
