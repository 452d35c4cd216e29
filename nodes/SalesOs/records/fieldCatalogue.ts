import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { keyValueProperty, locatorProperty } from '../descriptions/fieldProperties';
import type { DescribedField } from '../descriptions/commonProperties';

/**
 * One settable SalesOS field: the node parameter a user fills in and how its value becomes the
 * API value. Lead and deal operations (create, update, upsert, filters) all build their
 * parameters and request bodies from these specs, so a field behaves the same everywhere.
 */
export type FieldKind =
	| 'text'
	| 'email'
	| 'number'
	| 'boolean'
	| 'date'
	| 'dateTime'
	| 'locator'
	| 'tags'
	| 'list'
	| 'json'
	| 'customFields';

export interface FieldSpec extends DescribedField {
	/** SalesOS field or query parameter, e.g. `owner_id`. */
	apiName: string;
	kind: FieldKind;
	/** The node parameter; displayOptions are added where the field is used. */
	property: INodeProperties;
	/** Where a fetched record holds the current value when it is not `record[apiName]`. */
	readCurrent?: (record: IDataObject) => unknown;
}

export const CUSTOM_FIELDS_API_NAME = 'custom_fields';

// Fields shared by leads and deals are defined once.
export const textField = (
	apiName: string,
	name: string,
	displayName: string,
	extra: Partial<INodeProperties> = {},
): FieldSpec => ({
	apiName,
	kind: 'text',
	property: { displayName, name, type: 'string', default: '', ...extra },
});

export const fieldSpecs = {
	name: textField('name', 'name', 'Name', { placeholder: 'e.g. Ana Souza' }),
	email: {
		apiName: 'email',
		kind: 'email',
		property: {
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
		},
	},
	phone: textField('phone', 'phone', 'Phone', {
		placeholder: '+5511999999999',
		description: 'In E.164 format: a plus sign, country code and number without spaces',
	}),
	company: textField('company', 'company', 'Company'),
	position: textField('position', 'position', 'Position', { placeholder: 'e.g. Head of Sales' }),
	source: textField('source', 'source', 'Source', {
		placeholder: 'e.g. website',
		description: 'Where the lead came from',
	}),
	leadStatus: {
		apiName: 'status',
		kind: 'text',
		property: {
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'new',
			options: [
				{ name: 'Contacted', value: 'contacted' },
				{ name: 'Converted', value: 'converted' },
				{ name: 'New', value: 'new' },
				{ name: 'Qualified', value: 'qualified' },
				{ name: 'Unqualified', value: 'unqualified' },
			],
		},
	},
	owner: {
		apiName: 'owner_id',
		kind: 'locator',
		property: locatorProperty('owner', 'Owner', 'searchUsers', 'The SalesOS user who owns the record'),
	},
	team: {
		apiName: 'team_id',
		kind: 'locator',
		property: locatorProperty('team', 'Team', 'searchTeams', 'The SalesOS team the record belongs to'),
	},
	tags: {
		apiName: 'tags',
		kind: 'tags',
		property: {
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			default: '',
			placeholder: 'e.g. vip, inbound',
			description:
				'Comma-separated tags, or an expression returning a list. Replaces the record’s current tags.',
		},
	},
	customFields: {
		apiName: CUSTOM_FIELDS_API_NAME,
		kind: 'customFields',
		property: keyValueProperty(
			'customFields',
			'Custom Fields',
			'field',
			'Custom field values by key. Keys not listed here keep their current values.',
			'e.g. external_id',
		),
	},
	value: {
		apiName: 'value',
		kind: 'number',
		property: {
			displayName: 'Value',
			name: 'value',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description: 'Deal value in the account currency',
		},
	},
	stage: {
		apiName: 'stage_id',
		kind: 'locator',
		property: locatorProperty(
			'stage',
			'Stage',
			'searchStages',
			'Pipeline stage. New deals start in the first stage when none is set.',
		),
		readCurrent: (record: IDataObject) =>
			(record.stage as IDataObject | undefined)?.id ?? record.stage_id,
	},
	contactName: textField('contact_name', 'contactName', 'Contact Name'),
	contactEmail: {
		apiName: 'contact_email',
		kind: 'email',
		property: {
			displayName: 'Contact Email',
			name: 'contactEmail',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
		},
	},
	expectedCloseDate: {
		apiName: 'expected_close_date',
		kind: 'date',
		property: {
			displayName: 'Expected Close Date',
			name: 'expectedCloseDate',
			type: 'dateTime',
			default: '',
			description: 'Only the date part is sent',
		},
	},
	priority: textField('priority', 'priority', 'Priority', { placeholder: 'e.g. high' }),
	leadId: textField('lead_id', 'leadId', 'Lead ID', {
		description: 'The lead this deal came from',
	}),
} satisfies Record<string, FieldSpec>;
