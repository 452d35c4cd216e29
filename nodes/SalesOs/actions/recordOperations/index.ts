// The operations leads, deals, users and webhooks share, each built for one resource's spec.
import type { ResourceSpec } from '../../records/specs';
import { createOperation } from './create.operation';
import { deleteOperation } from './delete.operation';
import { getOperation } from './get.operation';
import { getManyOperation } from './getMany.operation';
import { updateOperation } from './update.operation';
import { upsertOperation } from './upsert.operation';

export { createOperation, deleteOperation, getOperation, getManyOperation, updateOperation };
export { recordOperationOptions } from './recordParameters';

/** The six operations every full record resource (lead, deal) has. */
export function recordOperations(resource: ResourceSpec) {
	return {
		create: createOperation(resource),
		upsert: upsertOperation(resource),
		update: updateOperation(resource),
		get: getOperation(resource),
		getMany: getManyOperation(resource),
		delete: deleteOperation(resource),
	};
}
