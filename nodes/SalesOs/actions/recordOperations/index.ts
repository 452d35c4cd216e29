// The operations leads, deals, users and webhooks share, each built for one resource's spec.
import type { RecordResource } from '../../records/specs';
import { create } from './create.operation';
import { deleteRecord } from './delete.operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';
import { update } from './update.operation';
import { upsert } from './upsert.operation';

export { create, deleteRecord, get, getMany, update };
export { recordOperationOptions } from './recordParameters';

/** The six operations every full record resource (lead, deal) has. */
export function recordOperations(config: RecordResource) {
	return {
		create: create(config),
		upsert: upsert(config),
		update: update(config),
		get: get(config),
		getMany: getMany(config),
		delete: deleteRecord(config),
	};
}
