import type { IDataObject, IDisplayOptions, INode, INodeProperties } from 'n8n-workflow';

// Every node-version rule of the package in one place: what each new node version changed, and
// the three ways a change applies: a parameter shows by version (changedInNodeVersion), a setting
// is read from its version's place (versionedSettings), a behaviour follows the version (follows).
// Saved workflows keep their version, so each older version keeps its parameters and behaviour.

/** A change of a node from version `since` on. */
export interface VersionChange {
	since: number;
}

/**
 * SalesOS node 2: Lead and Deal are pickers; lead and deal fields are mapped (resource mapper);
 * Sync Marker and Sort are parameters of their own, not options; Collaborator Sync's required
 * fields leave Additional Fields.
 */
export const SALESOS_V2: VersionChange = { since: 2 };

/**
 * SalesOS node 3: Collaborator and Activity Sync default to API Key authentication; SalesOS's
 * skipped activities are never reported as a success (the option is gone); problems no item
 * matched are no longer copied to every record as `warnings`.
 */
export const SALESOS_V3: VersionChange = { since: 3 };

/** Both triggers 2: Ignore Own Changes is a toggle of its own, its settings show when it is on. */
export const TRIGGERS_V2: VersionChange = { since: 2 };

/** SalesOS Trigger 3: Manual registration reads its signing secret from a credential. */
export const SALESOS_TRIGGER_V3: VersionChange = { since: 3 };

/**
 * The SalesOS Trigger versions before SALESOS_TRIGGER_V3, listed: its credentials' displayOptions
 * repeat them literally, where n8n's linter reads which credential a node method tests.
 */
export const SIGNING_SECRET_PARAMETER_VERSIONS = [1, 1.1, 2];

/** Whether this node's version includes the change. */
export function follows(change: VersionChange, node: INode): boolean {
	return node.typeVersion >= change.since;
}

type VersionCondition = NonNullable<IDisplayOptions['show']>['@version'];

export const versionsBefore = (change: VersionChange): VersionCondition => [{ _cnd: { lt: change.since } }];

export const versionsFrom = (change: VersionChange): VersionCondition => [{ _cnd: { gte: change.since } }];

/**
 * Parameters whose shape changed: `before` shows on older versions (so their saved workflows keep
 * what they stored), `from` on the changed version and later ones.
 */
export function changedInNodeVersion(
	change: VersionChange,
	before: INodeProperties[],
	from: INodeProperties[],
): INodeProperties[] {
	const onVersions = (properties: INodeProperties[], versions: VersionCondition) =>
		properties.map((property) => ({
			...property,
			displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': versions } },
		}));
	return [...onVersions(before, versionsBefore(change)), ...onVersions(from, versionsFrom(change))];
}

/** Reads one setting by name; `fallback` when it is unset. */
export type SettingReader = <T>(name: string, fallback: T) => T;

/**
 * The reader of settings that sit in Options before the change and are parameters of their own
 * (same name) from it on. `readParameter` reads one parameter of the running item; Options is read
 * once, however many settings are read from it.
 */
export function versionedSettings(
	change: VersionChange,
	node: INode,
	readParameter: (name: string, fallback: unknown) => unknown,
): SettingReader {
	if (follows(change, node)) return <T>(name: string, fallback: T) => (readParameter(name, fallback) as T | undefined) ?? fallback;
	const options = readParameter('options', {}) as IDataObject;
	return <T>(name: string, fallback: T) => (options[name] as T | undefined) ?? fallback;
}
