import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import type { OperationOption } from '../../descriptions/operationProperty';
import { fieldsCollection, requiredFieldProperties } from '../../descriptions/commonProperties';
import { ID_PLACEHOLDER, recordLinkPattern } from '../../descriptions/fieldProperties';
import { changedInNodeVersion, SALESOS_V2 } from '../../descriptions/versions';
import { inputError } from '../../execution/nodeRun';
import { buildBody, locatorValue } from '../../records/serialisation';
import { titleCase, writableFields, type ResourceSpec } from '../../records/specs';

// The parameters the operations in this folder share: how they are described and read.

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

/**
 * The required "<Record> ID" parameter of an operation on one record. With a picker it is, from
 * node version 2 on, a resource locator (From List / By ID / By URL); version 1 keeps the plain
 * text parameter of the same name, so its stored workflows are unchanged.
 */
export function recordIdProperties(resource: ResourceSpec, action: string): INodeProperties[] {
	const title = titleCase(resource.singular);
	const plain: INodeProperties = {
		displayName: `${title} ID`,
		name: resource.idParameter,
		type: 'string',
		required: true,
		default: '',
		placeholder: ID_PLACEHOLDER,
		description: `ID of the ${resource.singular} to ${action}`,
	};
	if (!resource.picker) return [plain];
	const locator: INodeProperties = {
		...plain,
		displayName: title,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: resource.picker, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: ID_PLACEHOLDER },
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `e.g. https://api.play2sell.com/v1${resource.path}/3f0c1c2e-8d7a-4a4b-9b1e-2a6f7c9d0e11`,
				hint: `Any SalesOS link that ends in ${resource.path}/<ID>`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: recordLinkPattern(resource.path),
							errorMessage: `Not a SalesOS ${resource.singular} link: it should end in ${resource.path}/<ID>`,
						},
					},
				],
			},
		],
	};
	return changedInNodeVersion(SALESOS_V2, [plain], [locator]);
}

/** Version 1's per-field parameters of create and upsert: the required fields, then Additional Fields. */
export function requiredAndAdditionalFields(resource: ResourceSpec): INodeProperties[] {
	return [...requiredFieldProperties(resource.requiredFields), fieldsCollection('additionalFields', resource.optionalFields)];
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
