/** Workflow JSON → n8n-workflow Workflow → n8n-core WorkflowExecute, in-process. */
import { randomUUID } from 'node:crypto';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	deepCopy,
	NodeHelpers,
	Workflow,
	type ExecutionError,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IRun,
	type IRunData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { createAdditionalData } from './additionalData';
import { toCredentialsHelper, type StoredCredentials, type TestCredentialsHelper } from './credentialsHelper';
import { TestNodeTypes } from './nodeTypes';

/** A node as written in workflow JSON; id, typeVersion and position get defaults. */
export type TestNode = Pick<INode, 'name' | 'type'> & Partial<Omit<INode, 'name' | 'type'>>;

/** Linear main connections: connect('A', 'B', 'C') wires A→B→C on output 0. */
export function connect(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/** Builds a Workflow, filling node defaults and giving each node the stored credentials its type declares. */
export function createWorkflow(options: {
	nodes: TestNode[];
	connections: IConnections;
	nodeTypes: TestNodeTypes;
	credentialsHelper: TestCredentialsHelper;
	staticData?: IDataObject;
	id?: string;
}): Workflow {
	const storedIds = options.credentialsHelper.storedIds();
	const nodes: INode[] = options.nodes.map((node, index) => {
		const nodeType = options.nodeTypes.getByName(node.type);
		const typeVersion = node.typeVersion ?? options.nodeTypes.latestVersion(node.type);
		const declared = NodeHelpers.getVersionedNodeType(nodeType, typeVersion).description.credentials ?? [];
		const credentials = { ...node.credentials };
		for (const { name } of declared) {
			if (!credentials[name] && storedIds.includes(name)) credentials[name] = { id: name, name };
		}
		return {
			id: node.id ?? randomUUID(),
			position: node.position ?? [index * 200, 0],
			parameters: {},
			...node,
			typeVersion,
			credentials,
		};
	});
	return new Workflow({
		id: options.id ?? 'test-workflow',
		name: 'Test workflow',
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes: options.nodeTypes,
		staticData: options.staticData ? deepCopy(options.staticData) : undefined,
		settings: { executionOrder: 'v1' },
	});
}

export interface RunWorkflowOptions {
	nodes: TestNode[];
	connections: IConnections;
	/** Stored credentials, or a helper shared across runs so cached tokens survive between executions. */
	credentials?: TestCredentialsHelper | StoredCredentials;
	staticData?: IDataObject;
	/** Items handed to the start node (default: one empty item, like a Manual Trigger). */
	inputItems?: Array<IDataObject | INodeExecutionData>;
	/** Default: the first node without incoming main connections. */
	startNode?: string;
	mode?: WorkflowExecuteMode;
	nodeTypes?: TestNodeTypes;
}

export interface WorkflowRunResult {
	run: IRun;
	runData: IRunData;
	/** The execution's error (the failing node's error when a node failed without continue-on-fail). */
	error?: ExecutionError;
	/** Static data after the run (n8n would persist it only for a successful production execution). */
	staticData: IDataObject;
	credentials: TestCredentialsHelper;
	/** Items a node emitted on one output (default output 0, first run). */
	outputOf(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** Every output of a node (e.g. [success, error] with continueErrorOutput). */
	outputsOf(nodeName: string, runIndex?: number): INodeExecutionData[][];
	/** The error a node threw, if it did. */
	nodeError(nodeName: string, runIndex?: number): ExecutionError | undefined;
}

function toExecutionItems(items: Array<IDataObject | INodeExecutionData>): INodeExecutionData[] {
	return items.map((item) =>
		'json' in item && typeof item.json === 'object' && item.json !== null
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const nodeTypes = options.nodeTypes ?? new TestNodeTypes();
	const credentialsHelper = toCredentialsHelper(options.credentials);
	const workflow = createWorkflow({ ...options, nodeTypes, credentialsHelper });
	const startNode =
		options.startNode ??
		options.nodes.find((node) => !Object.values(options.connections).some((outputs) =>
			(outputs.main ?? []).some((targets) => (targets ?? []).some((target) => target.node === node.name)),
		))?.name;
	if (!startNode) throw new Error('runWorkflow: no start node found');
	return await executeWorkflow(workflow, { ...options, startNode, credentialsHelper });
}

/**
 * Runs an existing Workflow object from `startNode` with n8n-core's WorkflowExecute, the start
 * node's input on the execution stack as n8n puts a trigger's items there. Node static data is
 * the workflow's own (an active workflow's poll trigger keeps it across executions).
 */
export async function executeWorkflow(
	workflow: Workflow,
	options: Pick<RunWorkflowOptions, 'inputItems' | 'mode'> & { startNode: string; credentialsHelper: TestCredentialsHelper },
): Promise<WorkflowRunResult> {
	const startNode = workflow.getNode(options.startNode);
	if (!startNode) throw new Error(`executeWorkflow: no node "${options.startNode}"`);
	const { credentialsHelper } = options;
	const mode = options.mode ?? 'manual';
	const executionId = randomUUID();
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name ?? 'Test workflow',
		active: false,
		isArchived: false,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	});
	const additionalData = createAdditionalData({ credentialsHelper, executionId, hooks });
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [toExecutionItems(options.inputItems ?? [{}])] },
					source: null,
				},
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	const outputsOf = (nodeName: string, runIndex = 0) =>
		(runData[nodeName]?.[runIndex]?.data?.main ?? []).map((items) => items ?? []);
	return {
		run,
		runData,
		error: run.data.resultData.error,
		staticData: deepCopy({ ...workflow.staticData }) as IDataObject,
		credentials: credentialsHelper,
		outputsOf,
		outputOf: (nodeName, outputIndex = 0, runIndex = 0) => outputsOf(nodeName, runIndex)[outputIndex] ?? [],
		nodeError: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex]?.error,
	};
}

export interface RunNodeOptions {
	node: Omit<TestNode, 'name'> & { name?: string };
	input?: IDataObject[];
	credentials?: TestCredentialsHelper | StoredCredentials;
	continueOnFail?: 'continueRegularOutput' | 'continueErrorOutput';
	nodeTypes?: TestNodeTypes;
	staticData?: IDataObject;
}

export interface NodeRunResult {
	/** All main outputs of the node under test (index 1 is the error output with continueErrorOutput). */
	outputs: INodeExecutionData[][];
	/** Output 0. */
	items: INodeExecutionData[];
	/** The error the node threw (undefined when it succeeded or continued on fail). */
	error?: ExecutionError;
	result: WorkflowRunResult;
}

/** Runs one node the way a user would: Manual Trigger → items → the node. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const name = options.node.name ?? 'Node Under Test';
	const source = 'Test Items';
	const result = await runWorkflow({
		nodes: [
			{ name: source, type: 'testItems', parameters: { items: JSON.stringify(options.input ?? [{}]) } },
			{
				...options.node,
				name,
				...(options.continueOnFail ? { onError: options.continueOnFail } : {}),
			} as TestNode,
		],
		connections: connect(source, name),
		credentials: options.credentials,
		nodeTypes: options.nodeTypes,
		staticData: options.staticData,
	});
	const outputs = result.outputsOf(name);
	return { outputs, items: outputs[0] ?? [], error: result.nodeError(name), result };
}
