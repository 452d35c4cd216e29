import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './actions/versionDescription';
import { listSearch, resourceMapping } from './methods';
import { salesOsCredentials } from './descriptions/authenticationProperty';

export class SalesOs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SalesOS',
		name: 'salesOs',
		icon: { light: 'file:salesos.svg', dark: 'file:salesos.dark.svg' },
		group: ['transform'],
		// 2: Lead/Deal ID pickers, mapping of record fields, Sort and Sync Marker out of Options.
		// 3: Collaborator and Activity Sync default to API Key authentication; Skipped Activities is
		// no longer an option (a skipped activity always fails its item).
		// Workflows saved with older versions keep their parameters and behaviour.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create, update and look up leads, deals and more in SalesOS, the sales CRM by Play2Sell',
		defaults: { name: 'SalesOS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: salesOsCredentials,
		properties,
	};

	methods = { listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
