import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { searchStages, searchUsers } from './methods/listSearch';
import { authenticationProperty, salesOsCredentials } from './descriptions/authenticationProperty';
import { withOwnChanges } from './trigger/ownChanges';
import {
	DEFAULT_LOOKBACK_SECONDS,
	DEFAULT_MAX_CHANGES_PER_POLL,
	MANUAL_RUN_SAMPLE_SIZE,
	pollChanges,
} from './trigger/poll';
import { pollFilterProperties } from './trigger/pollResources';

export class SalesOsPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SalesOS Poll Trigger',
		name: 'salesOsPollTrigger',
		icon: { light: 'file:salesos.svg', dark: 'file:salesos.dark.svg' },
		group: ['trigger'],
		// 2: Ignore Own Changes is a toggle of its own (its settings show when it is on), not an option.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{"Changed " + $parameter["resource"] + "s"}}',
		description: 'Starts the workflow with the leads or deals changed in SalesOS since the last poll',
		defaults: { name: 'SalesOS Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: salesOsCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Lead', value: 'lead' },
					{ name: 'Deal', value: 'deal' },
				],
				default: 'lead',
				description: 'Which records to watch; each changed record is one item, oldest change first',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'options',
				options: [
					{
						name: 'Now',
						value: 'now',
						description: 'Only changes made after the workflow is activated',
					},
					{
						name: 'All Records',
						value: 'allRecords',
						description: 'The first poll emits every existing record, then changes as they happen',
					},
					{
						name: 'Since Date',
						value: 'sinceDate',
						description: 'The first poll emits records changed since a date you choose',
					},
				],
				default: 'now',
				description:
					'Where the first poll after activation starts. Later polls continue where the previous one stopped.',
			},
			{
				displayName: 'Since Date',
				name: 'sinceDate',
				type: 'dateTime',
				required: true,
				default: '',
				displayOptions: { show: { startFrom: ['sinceDate'] } },
			},
			{
				displayName: `“Fetch Test Event” shows the ${MANUAL_RUN_SAMPLE_SIZE} most recently changed records and does not move the position active polls continue from.`,
				name: 'manualRunNotice',
				type: 'notice',
				default: '',
			},
			...pollFilterProperties,
			...withOwnChanges({
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Lookback Window (Seconds)',
						name: 'lookbackSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_LOOKBACK_SECONDS,
						description:
							'Each poll re-reads this much time before where the previous poll stopped, to catch changes SalesOS makes visible late. Changes already emitted are not emitted again.',
					},
					{
						displayName: 'Max Changes per Poll',
						name: 'maxChangesPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_CHANGES_PER_POLL,
						description:
							'A poll stops reading after about this many changes (a whole page at a time); the next poll continues from there. Keeps a first "All Records" poll of a large account manageable.',
					},
				],
			}),
		],
	};

	// The Owner and Stage filters pick from these lists.
	methods = { listSearch: { searchUsers, searchStages } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollChanges.call(this);
	}
}
