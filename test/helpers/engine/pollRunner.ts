/** Polling triggers, polled as an active workflow polls them. */
import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, Workflow, WorkflowActivateMode, WorkflowExecuteMode } from 'n8n-workflow';

import { createAdditionalData } from './additionalData';
import { toCredentialsHelper, type StoredCredentials, type TestCredentialsHelper } from './credentialsHelper';
import { TestNodeTypes } from './nodeTypes';
import { createWorkflow, type TestNode } from './workflow';

/**
 * Polls a polling trigger the way n8n does while the workflow is active: one Workflow object
 * (and so one static data object) across every poll, a fresh n8n-core PollContext per poll.
 */
export class PollRunner {
	readonly workflow: Workflow;
	readonly credentials: TestCredentialsHelper;
	private readonly nodeName: string;
	private readonly nodeTypes: TestNodeTypes;

	constructor(options: {
		node: Omit<TestNode, 'name'> & { name?: string };
		credentials?: TestCredentialsHelper | StoredCredentials;
		staticData?: IDataObject;
		nodeTypes?: TestNodeTypes;
	}) {
		this.nodeTypes = options.nodeTypes ?? new TestNodeTypes();
		this.credentials = toCredentialsHelper(options.credentials);
		this.nodeName = options.node.name ?? 'Poll Trigger';
		this.workflow = createWorkflow({
			nodes: [{ ...options.node, name: this.nodeName } as TestNode],
			connections: {},
			nodeTypes: this.nodeTypes,
			credentialsHelper: this.credentials,
			staticData: options.staticData,
		});
	}

	get node(): INode {
		return this.workflow.getNode(this.nodeName)!;
	}

	/** The trigger's node static data (what `getWorkflowStaticData('node')` returns). */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** One poll. mode 'manual' is the editor's "Fetch Test Event"; activation 'manual' likewise. */
	async poll(
		mode: WorkflowExecuteMode = 'trigger',
		activation: WorkflowActivateMode = 'activate',
	): Promise<INodeExecutionData[][] | null> {
		const nodeType = this.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		if (!nodeType.poll) throw new Error(`${this.node.type} is not a polling trigger`);
		const context = new PollContext(
			this.workflow,
			this.node,
			createAdditionalData({ credentialsHelper: this.credentials }),
			mode,
			activation,
		);
		return await nodeType.poll.call(context);
	}
}
