import type { AllEntities } from 'n8n-workflow';

/** Every resource of the SalesOS node and its operations, as the router dispatches them. */
type NodeMap = {
	activity: 'sync';
	collaborator: 'sync';
	deal: 'create' | 'upsert' | 'update' | 'get' | 'getMany' | 'delete' | 'move' | 'close';
	lead: 'create' | 'upsert' | 'update' | 'get' | 'getMany' | 'delete' | 'convert' | 'twoWaySync';
	stage: 'getMany';
	team: 'getMany';
	user: 'create' | 'update' | 'deactivate' | 'get' | 'getMany';
	webhook: 'create' | 'getMany' | 'update' | 'delete';
};

export type SalesOsType = AllEntities<NodeMap>;

/** The operations each resource module must export, typed by the map above. */
export type ResourceOperations<T> = {
	[R in keyof NodeMap]: Record<NodeMap[R], T>;
};
