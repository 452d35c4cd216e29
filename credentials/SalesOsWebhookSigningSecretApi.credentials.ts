import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret SalesOS signs webhook deliveries with, for the SalesOS Trigger's Manual registration
 * (node version 3 on). Kept in n8n's credential store, encrypted with the instance key and never
 * returned by the workflow API, instead of a node parameter stored in the workflow.
 */
export class SalesOsWebhookSigningSecretApi implements ICredentialType {
	name = 'salesOsWebhookSigningSecretApi';

	// n8n names a new credential after this minus the word API: "SalesOS Webhook Signing Secret account".
	displayName = 'SalesOS Webhook Signing Secret API';

	documentationUrl = 'https://docs.play2sell.com';

	icon = { light: 'file:salesos.svg', dark: 'file:salesos.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'whsec_…',
			description:
				'The secret SalesOS shows for this webhook in Settings → Webhooks; it signs each delivery (X-SalesOS-Signature)',
		},
	];
}
