import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { changedInNodeVersion } from '../descriptions/parameters';
import { DEFAULT_SYNC_MARKER, type SyncMarkerSettings } from '../records/syncMarker';

const { key: defaultMarkerKey, value: defaultMarkerValue, echoWindowSeconds: defaultEchoWindowSeconds } = DEFAULT_SYNC_MARKER;

/**
 * The trigger version (of both triggers) from which Ignore Own Changes is a top-level toggle whose
 * settings appear as soon as it is switched on; before it, the same fields sit in Options.
 */
export const OWN_CHANGES_TOP_LEVEL_SINCE = 2;

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
		displayName: 'Sync Marker Field',
		name: 'syncMarkerKey',
		type: 'string',
		default: defaultMarkerKey,
		displayOptions: { show: { ignoreOwnChanges: [true] } },
		description: 'Custom field key the SalesOS node writes its sync marker to',
	},
	{
		displayName: 'Sync Marker Value',
		name: 'syncMarkerValue',
		type: 'string',
		default: defaultMarkerValue,
		displayOptions: { show: { ignoreOwnChanges: [true] } },
		description: 'Marker value the SalesOS node writes (stored as "value@time of the write")',
	},
	{
		displayName: 'Echo Window (Seconds)',
		name: 'echoWindowSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: defaultEchoWindowSeconds,
		displayOptions: { show: { ignoreOwnChanges: [true] } },
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
		OWN_CHANGES_TOP_LEVEL_SINCE,
		[{ ...options, options: [...ownChangesOptions, ...otherOptions] }],
		[...ownChangesOptions, options],
	);
}

/** What the triggers' webhook and poll contexts have in common for reading parameters. */
interface ParameterReader {
	getNode(): INode;
	getNodeParameter(parameterName: string, fallbackValue?: unknown): unknown;
}

/** The marker settings to filter with, or undefined when "Ignore Own Changes" is off. */
export function ownChangesFilter(context: ParameterReader): SyncMarkerSettings | undefined {
	const options =
		context.getNode().typeVersion >= OWN_CHANGES_TOP_LEVEL_SINCE
			? undefined
			: (context.getNodeParameter('options', {}) as IDataObject);
	const read = <T>(name: string, fallback: T): T =>
		((options ? options[name] : context.getNodeParameter(name, fallback)) as T | undefined) ?? fallback;
	if (read<boolean>('ignoreOwnChanges', false) !== true) return undefined;
	return {
		key: read('syncMarkerKey', '') || DEFAULT_SYNC_MARKER.key,
		value: read('syncMarkerValue', '') || DEFAULT_SYNC_MARKER.value,
		echoWindowSeconds: read('echoWindowSeconds', DEFAULT_SYNC_MARKER.echoWindowSeconds),
	};
}
