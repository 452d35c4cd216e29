import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { inputError } from '../execution/nodeRun';
import { RecordProblem } from '../records/defaultIntegrationValues';

/** Shown while OAuth2 is chosen: the Default Integration accepts API keys only. */
export const defaultIntegrationNotice: INodeProperties = {
	displayName: 'SalesOS accepts only an API key with the default:sync scope here: set Authentication to API Key',
	name: 'syncNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['clientCredentials'] } },
};

/** The record, or the item's error naming the field SalesOS would refuse. */
export function recordFailure(context: IExecuteFunctions, itemIndex: number, build: () => IDataObject): IDataObject {
	try {
		return build();
	} catch (error) {
		if (error instanceof RecordProblem) throw inputError(context, itemIndex, error.message, error.whatToDo);
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
}
