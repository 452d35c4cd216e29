// Every parameter of every node can be reached in n8n's editor. n8n 2.40.7's parameter list
// (ParameterInputList / nodeHelpers.displayParameter) hides two kinds of parameters, whatever their
// own displayOptions say: the node's main authentication field (shown in the credentials area
// instead) and every parameter named in the `displayOptions.show` of a parameter that the
// credentials' `displayOptions.show` refers to (`getNodeAuthFields` + `isAuthRelatedParameter` in
// editor-ui's nodeTypesUtils). The browser suite (test/ui) sees the Registration field itself.
import type { INodeTypeDescription } from 'n8n-workflow';

import { SalesOs } from '../nodes/SalesOs/SalesOs.node';
import { SalesOsPollTrigger } from '../nodes/SalesOs/SalesOsPollTrigger.node';
import { SalesOsTrigger } from '../nodes/SalesOs/SalesOsTrigger.node';

/** The parameters n8n's editor never shows in the node panel, by n8n's rule quoted above. */
function hiddenByTheEditor(node: INodeTypeDescription): string[] {
	const credentialDependsOn = new Set(
		(node.credentials ?? []).flatMap((credential) => Object.keys(credential.displayOptions?.show ?? {})),
	);
	const authFields = node.properties.filter((property) => credentialDependsOn.has(property.name));
	const hidden = new Set<string>();
	for (const field of authFields) for (const name of Object.keys(field.displayOptions?.show ?? {})) hidden.add(name);
	return [...hidden];
}

describe.each([
	['SalesOS', new SalesOs().description],
	['SalesOS Trigger', new SalesOsTrigger().description],
	['SalesOS Poll Trigger', new SalesOsPollTrigger().description],
])('%s in the editor', (_name, description) => {
	test('no parameter is hidden because the credentials depend on it', () => {
		expect(hiddenByTheEditor(description)).toEqual([]);
	});

	test('the credentials depend on Authentication only through `show` (the signing secret credential only through `hide`)', () => {
		for (const credential of description.credentials ?? []) {
			const expected = credential.name === 'salesOsWebhookSigningSecretApi' ? [] : ['authentication'];
			expect([credential.name, Object.keys(credential.displayOptions?.show ?? {})]).toEqual([credential.name, expected]);
		}
	});
});
