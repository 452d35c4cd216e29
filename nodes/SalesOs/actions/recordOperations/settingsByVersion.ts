import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	optionGroup,
	optionsCollection,
	type OptionGroup,
} from '../../descriptions/commonProperties';
import { changedInNodeVersion, follows, SALESOS_V2, versionedSettings, type SettingReader } from '../../descriptions/versions';
import { CUSTOM_FIELDS_API_NAME } from '../../records/fieldCatalogue';
import type { ResourceSpec } from '../../records/specs';
import { syncMarkerWith, type SyncMarker } from '../../records/syncMarker';

// Version 1 keeps every setting in Options. From version 2 the settings that shape what a write or
// list does are parameters of their own, apart from the retry and concurrency settings: Sync
// Marker is a toggle whose Key and Value show as soon as it is on, Get Many's sort a Sort
// collection before Options.

/** Options of a write; the sync marker only where records have custom fields to hold it. */
function writeOptions(resource: ResourceSpec): OptionGroup[] {
	const hasCustomFields = resource.optionalFields.some((spec) => spec.apiName === CUSTOM_FIELDS_API_NAME);
	return [...(hasCustomFields ? (['syncMarker'] as const) : []), 'concurrency', 'retry'];
}

/** A write's Sync Marker and Options, per node version; `leading` are the groups of this operation only. */
export function syncMarkerAndOptions(resource: ResourceSpec, leading: OptionGroup[]): INodeProperties[] {
	const groups = [...leading, ...writeOptions(resource)];
	const markable = groups.includes('syncMarker');
	return changedInNodeVersion(
		SALESOS_V2,
		[optionsCollection(groups)],
		[
			...(markable ? optionGroup('syncMarker', []) : []),
			optionsCollection(groups.filter((group) => group !== 'syncMarker')),
		],
	);
}

/** A write's settings where the node's version keeps them: in Options (version 1) or their own parameters. */
function writeSettings(context: IExecuteFunctions, itemIndex: number): SettingReader {
	return versionedSettings(SALESOS_V2, context.getNode(), (name, fallback) => context.getNodeParameter(name, itemIndex, fallback));
}

/** The sync marker a write stamps, or undefined when Sync Marker is off. */
export function syncMarkerOf(context: IExecuteFunctions, itemIndex: number): SyncMarker | undefined {
	const setting = writeSettings(context, itemIndex);
	if (setting<unknown>('syncMarker', false) !== true) return undefined;
	return syncMarkerWith(setting('syncMarkerKey', ''), setting('syncMarkerValue', ''));
}

/** Get Many's Sort and Options, per node version. */
export function sortAndOptions(sortFields: INodePropertyOptions[]): INodeProperties[] {
	const groups: OptionGroup[] = ['concurrency', 'retry'];
	if (sortFields.length === 0) return [optionsCollection(groups)];
	const sort: INodeProperties = {
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort Option',
		default: {},
		options: optionGroup('sort', sortFields),
	};
	return changedInNodeVersion(
		SALESOS_V2,
		[optionsCollection(['sort', ...groups], sortFields)],
		[sort, optionsCollection(groups)],
	);
}

/** The `sort` query value (e.g. "-updated_at"), or undefined when none is chosen. */
export function sortOf(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const sort = context.getNodeParameter(follows(SALESOS_V2, context.getNode()) ? 'sort' : 'options', itemIndex, {}) as IDataObject;
	if (!sort.sortField) return undefined;
	return `${sort.sortDirection === 'desc' ? '-' : ''}${String(sort.sortField)}`;
}
