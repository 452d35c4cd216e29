import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

// Every node-version rule of the package in one place: from which version of which node a
// parameter changed its shape or place, and how such a parameter shows on the versions before and
// after the change. The code that reads a setting from its version's place stays with its
// operation (actions/recordOperations/settingsByVersion.ts, fieldMapperParameter.ts,
// trigger/ownChanges.ts) and takes the version from here.

/**
 * The SalesOS node version from which Lead and Deal are pickers, lead and deal fields are mapped,
 * and Sync Marker and Sort are parameters of their own.
 */
export const SALESOS_NODE_VERSION_2 = 2;

/** The SalesOS node version from which Collaborator and Activity Sync default to API Key authentication. */
export const SALESOS_NODE_VERSION_3 = 3;

/**
 * Parameters whose shape changed in node version `version`: `before` shows on older versions (so
 * their saved workflows keep what they stored), `from` on that version and later ones.
 */
export function changedInNodeVersion(
	version: number,
	before: INodeProperties[],
	from: INodeProperties[],
): INodeProperties[] {
	const onVersions = (properties: INodeProperties[], versions: NonNullable<IDisplayOptions['show']>['@version']) =>
		properties.map((property) => ({
			...property,
			displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': versions } },
		}));
	return [...onVersions(before, [{ _cnd: { lt: version } }]), ...onVersions(from, [{ _cnd: { gte: version } }])];
}

/**
 * The trigger version (of both triggers) from which Ignore Own Changes is a top-level toggle whose
 * settings appear as soon as it is switched on; before it, the same fields sit in Options.
 */
export const OWN_CHANGES_TOP_LEVEL_SINCE = 2;

/** The SalesOS Trigger version from which Manual registration reads its signing secret from a credential. */
export const SIGNING_SECRET_CREDENTIAL_SINCE = 3;
