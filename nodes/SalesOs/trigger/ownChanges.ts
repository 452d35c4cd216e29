import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { changedInNodeVersion, TRIGGERS_V2, versionedSettings } from '../descriptions/versions';
import {
	changedSinceBase,
	DEFAULT_SYNC_BASE_KEY,
	DEFAULT_SYNCED_FIELDS,
	SYNCABLE_FIELDS,
	type SyncBaseSettings,
} from '../records/syncBase';
import { DEFAULT_SYNC_MARKER, isOwnEcho, type SyncMarkerSettings } from '../records/syncMarker';

const { key: defaultMarkerKey, value: defaultMarkerValue, echoWindowSeconds: defaultEchoWindowSeconds } = DEFAULT_SYNC_MARKER;

/** "Ignore Own Changes" and its settings; the sub-fields show when it is on. */
const ownChangesOptions: INodeProperties[] = [
	{
		displayName: 'Ignore Own Changes',
		name: 'ignoreOwnChanges',
		type: 'boolean',
		default: false,
		description:
			'Whether to skip changes written by this integration, recognised by the sync marker the SalesOS node stamps, so a two-way sync does not ping-pong',
	},
	{
		displayName: 'Recognise Own Changes By',
		name: 'ownChangesBy',
		type: 'options',
		default: 'echoWindow',
		displayOptions: { show: { ignoreOwnChanges: [true] } },
		options: [
			{
				name: 'Sync Marker Time (Echo Window)',
				value: 'echoWindow',
				description:
					'A change within the echo window after the marker the SalesOS node stamped is skipped, also a SalesOS user’s edit in that time',
			},
			{
				name: 'Synced Values Equal to the Sync Base',
				value: 'syncBase',
				description:
					'A change is skipped when every synced field still holds what the two-way sync last agreed on (exact, no time window); otherwise the output lists the changed fields',
			},
		],
		description: 'How to tell the integration’s own writes from other changes',
	},
	{
		displayName: 'Synced Fields',
		name: 'syncedFields',
		type: 'multiOptions',
		default: [...DEFAULT_SYNCED_FIELDS],
		options: SYNCABLE_FIELDS.map((field) => ({ name: field, value: field })),
		displayOptions: { show: { ignoreOwnChanges: [true], ownChangesBy: ['syncBase'] } },
		description: 'The lead fields the two-way sync keeps equal (as in its SalesOS node); changes to other fields are skipped',
	},
	{
		displayName: 'Sync Base Field',
		name: 'syncBaseKey',
		type: 'string',
		default: DEFAULT_SYNC_BASE_KEY,
		displayOptions: { show: { ignoreOwnChanges: [true], ownChangesBy: ['syncBase'] } },
		description: 'Custom field where the SalesOS node’s Two-Way Sync keeps the base',
	},
	{
		displayName: 'Sync Marker Field',
		name: 'syncMarkerKey',
		type: 'string',
		default: defaultMarkerKey,
		displayOptions: { show: { ignoreOwnChanges: [true] }, hide: { ownChangesBy: ['syncBase'] } },
		description: 'Custom field key the SalesOS node writes its sync marker to',
	},
	{
		displayName: 'Sync Marker Value',
		name: 'syncMarkerValue',
		type: 'string',
		default: defaultMarkerValue,
		displayOptions: { show: { ignoreOwnChanges: [true] }, hide: { ownChangesBy: ['syncBase'] } },
		description: 'Marker value the SalesOS node writes (stored as "value@time of the write")',
	},
	{
		displayName: 'Echo Window (Seconds)',
		name: 'echoWindowSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: defaultEchoWindowSeconds,
		displayOptions: { show: { ignoreOwnChanges: [true] }, hide: { ownChangesBy: ['syncBase'] } },
		description:
			'How long after a marked write a change still counts as its echo. A SalesOS user’s edit to the same record within this time is skipped too (an event does not say who changed the record): lower it when users edit right after a sync, raise it when SalesOS reports changes late.',
	},
];

/**
 * A trigger's Options collection with Ignore Own Changes: among the options before version 2;
 * from version 2 a top-level toggle before Options, whose settings show as soon as it is on.
 */
export function withOwnChanges(options: INodeProperties): INodeProperties[] {
	const otherOptions = (options.options ?? []) as INodeProperties[];
	return changedInNodeVersion(
		TRIGGERS_V2,
		[{ ...options, options: [...ownChangesOptions, ...otherOptions] }],
		[...ownChangesOptions, options],
	);
}

/** What the triggers' webhook and poll contexts have in common for reading parameters. */
interface ParameterReader {
	getNode(): INode;
	getNodeParameter(parameterName: string, fallbackValue?: unknown): unknown;
}

/**
 * How a trigger tells the integration's own writes apart. `changedFields` (sync base only) names
 * the synced fields that differ from the base, for the output.
 */
export interface OwnChangeFilter {
	isOwn(record: IDataObject): boolean;
	changedFields?(record: IDataObject): string[];
}

function echoWindowFilter(marker: SyncMarkerSettings): OwnChangeFilter {
	return { isOwn: (record) => isOwnEcho(record, marker) };
}

function syncBaseFilter(settings: SyncBaseSettings): OwnChangeFilter {
	return {
		isOwn: (record) => changedSinceBase(record, settings).length === 0,
		changedFields: (record) => changedSinceBase(record, settings),
	};
}

/** The filter "Ignore Own Changes" sets, or undefined when it is off. */
export function ownChangesFilter(context: ParameterReader): OwnChangeFilter | undefined {
	const read = versionedSettings(TRIGGERS_V2, context.getNode(), (name, fallback) => context.getNodeParameter(name, fallback));
	if (read<boolean>('ignoreOwnChanges', false) !== true) return undefined;
	if (read<string>('ownChangesBy', 'echoWindow') === 'syncBase') {
		return syncBaseFilter({
			key: read('syncBaseKey', '').trim() || DEFAULT_SYNC_BASE_KEY,
			fields: read('syncedFields', DEFAULT_SYNCED_FIELDS),
		});
	}
	return echoWindowFilter({
		key: read('syncMarkerKey', '') || DEFAULT_SYNC_MARKER.key,
		value: read('syncMarkerValue', '') || DEFAULT_SYNC_MARKER.value,
		echoWindowSeconds: read('echoWindowSeconds', DEFAULT_SYNC_MARKER.echoWindowSeconds),
	});
}
