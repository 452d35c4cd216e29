import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import type { OperationOption } from '../../descriptions/operationProperty';
import type { OptionGroup } from '../../descriptions/commonProperties';
import { recordLinkPattern } from '../../descriptions/fieldProperties';
import { CUSTOM_FIELDS_API_NAME } from '../../records/fieldCatalogue';
import { inputError } from '../../execution/nodeRun';
import { buildBody, locatorValue } from '../../records/serialisation';
import { titleCase, writableFields, type ResourceSpec } from '../../records/specs';

// What the lead and deal operations in this folder read from their parameters.

/** The Operation dropdown entries of the operations above; each resource adds its own. */
export function recordOperationOptions(resource: ResourceSpec): OperationOption[] {
	const { singular, plural } = resource;
	return [
		{ value: 'create', name: 'Create', action: `Create a ${singular}`, description: `Create a new ${singular}` },
		{
			value: 'upsert',
			name: 'Create or Update',
			action: `Create or update a ${singular}`,
			description: 'Create a new record, or update the current one if it already exists (upsert)',
		},
		{ value: 'update', name: 'Update', action: `Update a ${singular}`, description: `Update a ${singular}` },
		{ value: 'get', name: 'Get', action: `Get a ${singular}`, description: `Get a ${singular} by ID` },
		{ value: 'getMany', name: 'Get Many', action: `Get many ${plural}`, description: `List ${plural} with filters` },
		{ value: 'delete', name: 'Delete', action: `Delete a ${singular}`, description: `Delete a ${singular}` },
	];
}

/** The record ID, typed (version 1) or from the resource locator: picked, by ID or from a link. */
export function recordId(context: IExecuteFunctions, resource: ResourceSpec, itemIndex: number): string {
	const value = context.getNodeParameter(resource.idParameter, itemIndex, '') as string | INodeParameterResourceLocator;
	const id = typeof value === 'object' && value.mode === 'url' ? idFromLink(context, resource, itemIndex, value) : locatorValue(value);
	if (id === '') {
		throw inputError(
			context,
			itemIndex,
			`${titleCase(resource.singular)} ID is empty`,
			resource.picker
				? `Pick the ${resource.singular} from the list, or enter its ID or link, or map the ID from an earlier node, e.g. {{ $json.id }}.`
				: `Enter the ID of the ${resource.singular}, or map it from an earlier node, e.g. {{ $json.id }}.`,
		);
	}
	return id;
}

function idFromLink(
	context: IExecuteFunctions,
	resource: ResourceSpec,
	itemIndex: number,
	locator: INodeParameterResourceLocator,
): string {
	const link = locatorValue(locator);
	if (link === '') return '';
	const id = new RegExp(recordLinkPattern(resource.path)).exec(link)?.[1];
	if (!id) {
		throw inputError(
			context,
			itemIndex,
			`Not a link to a SalesOS ${resource.singular}: ${link}`,
			`A ${resource.singular} link ends in ${resource.path}/<ID>. Or pick the ${resource.singular} from the list, or enter its ID.`,
		);
	}
	return id;
}

export function recordPath(context: IExecuteFunctions, resource: ResourceSpec, itemIndex: number): string {
	return `${resource.path}/${encodeURIComponent(recordId(context, resource, itemIndex))}`;
}

/** The request body from the required parameters plus "Additional Fields". */
export function writeBody(context: IExecuteFunctions, resource: ResourceSpec, itemIndex: number): IDataObject {
	const values: IDataObject = {
		...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	for (const spec of resource.requiredFields) {
		values[spec.property.name] = context.getNodeParameter(spec.property.name, itemIndex, '');
	}
	return buildBody(writableFields(resource), values, context.getNode());
}

export function optionsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return context.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** Options of a write; the sync marker only where records have custom fields to hold it. */
export function writeOptions(resource: ResourceSpec): OptionGroup[] {
	const hasCustomFields = resource.optionalFields.some((spec) => spec.apiName === CUSTOM_FIELDS_API_NAME);
	return [...(hasCustomFields ? (['syncMarker'] as const) : []), 'concurrency', 'retry'];
}
