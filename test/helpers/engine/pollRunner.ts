/**
 * Polling triggers, polled as n8n polls them. Active workflow: n8n-core's PollTriggerExecutor (what
 * n8n-core's ActiveWorkflowTriggers runs on activation and on every Poll Times tick) with one
 * PollContext per activation whose `__emit`/`__emitError` hand the result back here instead of
 * starting an execution. "Fetch Test Event": a manual execution of the poll node through
 * n8n-core's WorkflowExecute. Both run on one Workflow object, so node static data persists
 * across polls as in an active workflow.
 */
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	Workflow,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { createAdditionalData } from './additionalData';
import { toCredentialsHelper, type StoredCredentials, type TestCredentialsHelper } from './credentialsHelper';
import { Container } from './n8nContainer';
import { TestNodeTypes } from './nodeTypes';
import { createWorkflow, executeWorkflow, type TestNode } from './workflow';

type PollResult = INodeExecutionData[][] | null;
type ExecutePoll = ReturnType<PollTriggerExecutor['create']>;

export class PollRunner {
	readonly workflow: Workflow;
	readonly credentials: TestCredentialsHelper;
	private readonly nodeName: string;
	/** The active workflow's poll: set up on the first trigger-mode poll, as n8n does on activation. */
	private active?: { activation: WorkflowActivateMode; executePoll: ExecutePoll; polls: number };
	private outcome?: { emitted: PollResult } | { error: Error };

	constructor(options: {
		node: Omit<TestNode, 'name'> & { name?: string };
		credentials?: TestCredentialsHelper | StoredCredentials;
		staticData?: IDataObject;
		nodeTypes?: TestNodeTypes;
	}) {
		this.credentials = toCredentialsHelper(options.credentials);
		this.nodeName = options.node.name ?? 'Poll Trigger';
		this.workflow = createWorkflow({
			nodes: [{ ...options.node, name: this.nodeName } as TestNode],
			connections: {},
			nodeTypes: options.nodeTypes ?? new TestNodeTypes(),
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

	/**
	 * One poll. mode 'trigger': the active workflow's poll (the first one is the activation poll,
	 * `activation` says why the workflow was activated). mode 'manual': the editor's "Fetch Test Event".
	 */
	async poll(mode: WorkflowExecuteMode = 'trigger', activation: WorkflowActivateMode = 'activate'): Promise<PollResult> {
		return mode === 'manual' ? await this.fetchTestEvent() : await this.activePoll(mode, activation);
	}

	private async activePoll(mode: WorkflowExecuteMode, activation: WorkflowActivateMode): Promise<PollResult> {
		if (this.active?.activation !== activation) {
			const context = new PollContext(
				this.workflow,
				this.node,
				createAdditionalData({ credentialsHelper: this.credentials }),
				mode,
				activation,
				(emitted) => (this.outcome = { emitted }),
				(error) => (this.outcome = { error }),
			);
			const executePoll = Container.get(PollTriggerExecutor).create(this.workflow, this.node, context, () => true);
			this.active = { activation, executePoll, polls: 0 };
		}
		this.outcome = { emitted: null };
		// n8n polls once on activation as a test (an error fails the activation), then on every tick.
		await this.active.executePoll(this.active.polls++ === 0);
		if ('error' in this.outcome) throw this.outcome.error;
		return this.outcome.emitted;
	}

	private async fetchTestEvent(): Promise<PollResult> {
		const result = await executeWorkflow(this.workflow, {
			startNode: this.nodeName,
			mode: 'manual',
			credentialsHelper: this.credentials,
		});
		const error = result.nodeError(this.nodeName);
		if (error) throw error;
		const outputs = result.runData[this.nodeName]?.[0]?.data?.main;
		return outputs && outputs.some((items) => items && items.length > 0) ? result.outputsOf(this.nodeName) : null;
	}
}
