/**
 * Shared setup of the action-node suites (test/action-*.test.ts): a sandbox, stored credentials
 * pointing at it, and `run()` = Manual Trigger → items → the SalesOS node, through the real
 * n8n-core engine over real HTTP.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, INodeListSearchResult, INodeParameters } from 'n8n-workflow';

import { SalesOs } from '../nodes/SalesOs/SalesOs.node';
import {
	createAdditionalData,
	createWorkflow,
	runNode,
	TestCredentialsHelper,
	TestNodeTypes,
	type NodeRunResult,
} from './helpers/engine';
import { defaultIntegrationViolations } from './contract/schema';
import { sandboxApiKey, sandboxClientCredentials } from './helpers/sandboxCredentials';
import { startSandbox, type Sandbox, type SandboxSettings } from './sandbox';

/** Small latencies and short waits keep the suites fast. */
export const FAST_SETTINGS: Partial<SandboxSettings> = { latencyMs: 0 };

export function sandboxCredentials(sandbox: Sandbox): TestCredentialsHelper {
	return new TestCredentialsHelper({
		salesOsClientCredentialsApi: sandboxClientCredentials(sandbox),
		salesOsApiKeyApi: sandboxApiKey(sandbox),
	});
}

export interface ActionHarness {
	sandbox: Sandbox;
	credentials: TestCredentialsHelper;
	/** Runs the node with these parameters over these input items. */
	run(
		parameters: IDataObject,
		input?: IDataObject[],
		onError?: 'continueRegularOutput' | 'continueErrorOutput',
	): Promise<NodeRunResult>;
	/** Like run(), but fails the test when the node failed; returns output 0's JSON. */
	runOk(parameters: IDataObject, input?: IDataObject[]): Promise<IDataObject[]>;
	/**
	 * The node version run() uses: 1 unless a test sets it (it is reset before every test). The
	 * suites that pass version 1 parameters (Additional Fields, plain IDs) rely on the default.
	 */
	nodeVersion: number;
	/** The context the editor's calls for the parameter at `path` run in (typeVersion: the newest by default). */
	loadOptionsContext(parameters: INodeParameters, path: string, typeVersion?: number): LoadOptionsContext;
	/** Calls one of the node's listSearch methods the way the editor does. */
	listSearch(method: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult>;
}

/** Starts one sandbox for the suite (beforeAll) and resets it before every test. */
export function useActionHarness(settings: Partial<SandboxSettings> = {}): ActionHarness {
	const harness = {} as ActionHarness;
	beforeAll(async () => {
		harness.sandbox = await startSandbox({ settings: { ...FAST_SETTINGS, ...settings } });
	});
	afterAll(async () => await harness.sandbox?.close());
	// The contract test of every suite: each Default Integration request the node sent conforms
	// to the request schema written from Play2Sell's spec, with the key as a bearer token.
	afterEach(() => {
		const violations = harness.sandbox.state.defaultIntegrationRequests.flatMap(({ authorization, body }, index) => [
			...(authorization === 'Bearer' ? [] : [`request ${index + 1}: Authorization ${authorization}`]),
			...defaultIntegrationViolations(body).map((violation) => `request ${index + 1}: ${violation}`),
		]);
		expect(violations).toEqual([]);
	});
	beforeEach(() => {
		harness.sandbox.reset({ ...FAST_SETTINGS, ...settings });
		harness.nodeVersion = 1;
		// A reset drops issued tokens: a fresh credential store fetches one, as a new n8n would.
		harness.credentials = sandboxCredentials(harness.sandbox);
	});

	harness.run = async (parameters, input = [{}], onError) =>
		await runNode({
			node: { type: 'salesOs', typeVersion: harness.nodeVersion, parameters: parameters as INodeParameters },
			input,
			credentials: harness.credentials,
			continueOnFail: onError,
		});
	harness.runOk = async (parameters, input) => {
		const result = await harness.run(parameters, input);
		if (result.error) throw new Error(`node failed: ${result.error.message} (${result.error.description ?? ''})`);
		return result.items.map((item) => item.json);
	};
	harness.loadOptionsContext = (parameters, path, typeVersion) => {
		const workflow = createWorkflow({
			nodes: [{ name: 'SalesOS', type: 'salesOs', typeVersion, parameters }],
			connections: {},
			nodeTypes: new TestNodeTypes([new SalesOs()]),
			credentialsHelper: harness.credentials,
		});
		return new LoadOptionsContext(
			workflow,
			workflow.getNode('SalesOS')!,
			createAdditionalData({ credentialsHelper: harness.credentials }),
			path,
		);
	};
	harness.listSearch = async (method, filter, paginationToken) => {
		const context = harness.loadOptionsContext({ resource: 'lead', operation: 'create' }, 'parameters.additionalFields.owner');
		const search = new SalesOs().methods.listSearch as unknown as Record<
			string,
			(this: LoadOptionsContext, filter?: string, token?: string) => Promise<INodeListSearchResult>
		>;
		return await search[method].call(context, filter, paginationToken);
	};
	return harness;
}

/** The paired input index of each item (the node keeps pairing exact). */
export function pairedIndexes(items: INodeExecutionData[]): number[] {
	return items.map((item) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		return typeof paired === 'object' ? paired.item : Number(paired);
	});
}

export const rl = (value: string) => ({ __rl: true, mode: 'id', value });

export const customFields = (fields: Record<string, string>) => ({
	field: Object.entries(fields).map(([key, value]) => ({ key, value })),
});
