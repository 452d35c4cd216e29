import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as activity from './activity';
import * as collaborator from './collaborator';
import * as deal from './deal';
import * as lead from './lead';
import type { ResourceOperations, SalesOsType } from './node.type';
import * as stage from './stage';
import * as team from './team';
import type { SalesOsOperation } from './types';
import * as user from './user';
import * as webhook from './webhook';

const resources: ResourceOperations<SalesOsOperation> = {
	activity,
	collaborator,
	deal,
	lead,
	stage,
	team,
	user,
	webhook,
};

/** Runs the chosen resource operation over all input items; failed items are routed by n8n (see execution/nodeRun.ts). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { resource, operation } = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as SalesOsType;
	const handler = (resources[resource] as Record<string, SalesOsOperation> | undefined)?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for the resource "${resource}"`,
		);
	}
	return [await handler.execute.call(this, this.getInputData())];
}
