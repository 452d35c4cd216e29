/**
 * A credential's "Test" button: n8n CLI code (CredentialsTester) that n8n-core does not export,
 * run on n8n-core's own ExecuteContext and RoutingNode. PINNED to n8n 2.40.7
 * (packages/cli/src/services/credentials-tester.service.ts, testCredentials → runRequestTest).
 * On an n8n upgrade, compare: the data prepared with applyDefaultsAndOverwrites, the temporary
 * "n8n-nodes-base.noOp" node whose `temp` parameter routes the test request (so preAuthentication
 * always runs), the isolate around runNode, and how failures and rules become messages.
 * Only credentials with a `test` request are supported (no credentialTest methods on nodes).
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type INode,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { createAdditionalData } from './additionalData';
import { TestCredentialsHelper } from './credentialsHelper';
import { TestCredentialTypes, TestNodeTypes } from './nodeTypes';

/**
 * Tests a credential the way the n8n editor's "Test" button does (CLI CredentialsTester for a
 * credential with a `test` request): a temporary "n8n-nodes-base.noOp" node whose `temp`
 * parameter routes the test request, so preAuthentication always runs, then RoutingNode.
 * Failures are reported as the CLI reports them.
 */
export async function testCredentials(
	type: string,
	data: ICredentialDataDecryptedObject,
	credentialTypes = new TestCredentialTypes(),
): Promise<INodeCredentialTestResult> {
	const credentialType = credentialTypes.getByName(type);
	if (!credentialType.test) return { status: 'Error', message: 'No testing function found for this credential.' };
	const credentialsHelper = new TestCredentialsHelper({ [type]: data }, credentialTypes);
	const nodeCredentials = { id: type, name: type };
	const additionalData = createAdditionalData({ credentialsHelper });
	const credentialsDecrypted: ICredentialsDecrypted = {
		...nodeCredentials,
		type,
		data: await credentialsHelper.applyDefaultsAndOverwrites(additionalData, { ...data }, type, 'internal'),
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'No Operation' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialType.test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type]: nodeCredentials },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes([nodeType]),
	});
	const context = new ExecuteContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalData,
		'internal',
		createRunExecutionData({ executionData: null }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		await workflow.expression.acquireIsolate();
		response = await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } })
			.cause;
		if (cause?.response) {
			const { status, statusText } = cause.response;
			for (const rule of credentialType.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (status < 199 || status > 299) {
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
			}
		} else if (cause?.code) {
			return { status: 'Error', message: cause.code };
		}
		return { status: 'Error', message: String((error as Error).message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		// lodash `get` in the CLI; dotted paths suffice here.
		const value = rule.properties.key.split('.').reduce<unknown>((at, part) => (at as IDataObject | undefined)?.[part], body);
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
