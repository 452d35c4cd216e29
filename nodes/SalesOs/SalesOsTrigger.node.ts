import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerResponse,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { authenticationProperty } from './descriptions/authenticationProperty';
import { SIGNING_SECRET_PARAMETER_VERSIONS } from './descriptions/versions';
import { handleDelivery, passNewEvents } from './trigger/delivery';
import { eventOptions } from './trigger/events';
import { withOwnChanges } from './trigger/ownChanges';
import { DEFAULT_PREVIOUS_SECRET_SECONDS, signingSecretTest } from './trigger/signingSecrets';
import { createSubscription, deleteSubscription, subscriptionExists } from './trigger/subscription';

const automaticOnly = { show: { registration: ['automatic'] } };
// n8n's editor hides every parameter named in the `show` of a parameter the credentials depend on
// (`isAuthRelatedParameter`), so the credentials and Authentication leave Manual out with `hide`,
// which it does not look at: Registration stays in the panel.
const notManual = { hide: { registration: ['manual'] } };

export class SalesOsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SalesOS Trigger',
		name: 'salesOsTrigger',
		icon: { light: 'file:salesos.svg', dark: 'file:salesos.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. n8n treats webhook nodes of exactly version 1 as legacy: for
		// each request it evaluates an expression (the old binaryData option) in its expression
		// sandbox, which costs a sandbox per delivery; 1.1 and 2 are spared that.
		// 2: Ignore Own Changes is a toggle of its own (its settings show when it is on), not an option.
		// 3: Manual registration reads the signing secret from a credential, not a node parameter.
		version: [1, 1.1, 2, 3],
		defaultVersion: 3,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when SalesOS sends a signed webhook event',
		defaults: { name: 'SalesOS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Manual registration needs no API access: the API credentials are those of salesOsCredentials,
		// left out for Manual. Written out, not mapped, so n8n's linter sees which credential a node
		// method tests; '@version' repeats SIGNING_SECRET_PARAMETER_VERSIONS for the same reason.
		credentials: [
			{
				name: 'salesOsClientCredentialsApi',
				required: true,
				displayOptions: { show: { authentication: ['clientCredentials'] }, hide: { registration: ['manual'] } },
			},
			{
				name: 'salesOsApiKeyApi',
				required: true,
				displayOptions: { show: { authentication: ['apiKey'] }, hide: { registration: ['manual'] } },
			},
			{
				name: 'salesOsWebhookSigningSecretApi',
				required: true,
				testedBy: 'signingSecretTest',
				displayOptions: { hide: { registration: ['automatic'], '@version': [1, 1.1, 2] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// SalesOS wants a 2xx within 10 s: answer as soon as the execution starts.
				responseMode: 'onReceived',
				// Without it n8n 2.40 replies with the literal text "firstEntryJson"; an empty value
				// makes it send the node's own `webhookResponse` ({"received": true}).
				responseData: '',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'automatic',
						description:
							'On publishing, register this node’s Production URL in SalesOS with a new signing secret derived from the credential; remove it on unpublishing',
					},
					{
						name: 'Manual',
						value: 'manual',
						description: 'You add the Production URL in SalesOS → Settings → Webhooks yourself and give this node its signing secret',
					},
				],
				default: 'automatic',
			},
			{
				displayName: 'SalesOS delivers only to public https URLs: set N8N_WEBHOOK_URL to n8n’s public address',
				name: 'automaticNotice',
				type: 'notice',
				default: '',
				displayOptions: automaticOnly,
			},
			{ ...authenticationProperty, displayOptions: notManual },
			{
				displayName: 'Add this node’s Production URL in SalesOS → Settings → Webhooks and paste its secret below',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'], '@version': SIGNING_SECRET_PARAMETER_VERSIONS } },
			},
			{
				displayName: 'Add this node’s Production URL in SalesOS → Settings → Webhooks and save its secret in the signing secret credential above',
				name: 'manualCredentialNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] }, hide: { '@version': SIGNING_SECRET_PARAMETER_VERSIONS } },
			},
			{
				displayName: 'Signing Secret',
				name: 'signingSecret',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				displayOptions: { show: { registration: ['manual'], '@version': SIGNING_SECRET_PARAMETER_VERSIONS } },
				description: 'The secret SalesOS signs each delivery with (X-SalesOS-Signature)',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: eventOptions,
				required: true,
				default: [],
				description: 'The events that start the workflow; other deliveries are acknowledged and skipped',
			},
			...withOwnChanges({
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Event Age (Seconds)',
						name: 'maxEventAgeSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'Refuse (HTTP 401, no execution) events whose timestamp is further than this from now, so an old captured delivery cannot be replayed. 0 turns the check off. SalesOS retries failed deliveries for up to about 15 hours with the original timestamp; a shorter window refuses those retries.',
					},
					{
						displayName: 'Previous Secret Valid For (Seconds)',
						name: 'previousSecretValidForSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_PREVIOUS_SECRET_SECONDS,
						displayOptions: { show: { '/registration': ['automatic'] } },
						description:
							'Publishing the workflow again registers a new signing secret; deliveries signed with the previous one are accepted for this long, then refused (HTTP 401). 0 refuses them at once.',
					},
					{
						displayName: 'Output Raw Envelope',
						name: 'outputRawEnvelope',
						type: 'boolean',
						default: false,
						description:
							'Whether to output the delivery as SalesOS sent it (the envelope with the event ID, type, version, ts, tenant and data) instead of the record with an "event" field',
					},
				],
			}),
			{
				displayName: 'Each event runs the workflow once, also when SalesOS delivers it again or to another n8n process: n8n remembers the last 10,000 event IDs',
				name: 'duplicatesNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	methods = { credentialTest: { signingSecretTest } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscription.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscription.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}

	/**
	 * Nothing to start: deliveries arrive through webhook(). n8n 2.x re-activates a node with a
	 * trigger() on every start and then also runs its webhookMethods (checkExists), which a
	 * webhook-only node gets only when it is published. So a subscription SalesOS switched off
	 * while n8n was down is switched on again when n8n starts.
	 */
	async trigger(): Promise<ITriggerResponse> {
		return {};
	}

	/**
	 * The execution's first step (n8n runs execute() before trigger() or webhook pass-through):
	 * passes on the events no earlier execution passed on (n8n's deduplication store).
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await passNewEvents.call(this)];
	}
}
