// The SalesOS node's Fields parameter (version 2, n8n's resource mapper) as the editor saves it.
import type { ResourceMapperField } from 'n8n-workflow';

/** Map Automatically: the item's fields whose names match a SalesOS field. */
export const AUTO_MAP = { mappingMode: 'autoMapInputData', value: null };

/** Map Each Column Manually: the values and the columns the editor loaded (n8n checks values against their types). */
export const mapEachColumn = (value: Record<string, unknown>, schema: ResourceMapperField[]) => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema,
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});
