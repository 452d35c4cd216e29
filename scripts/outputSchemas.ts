// The output schemas n8n's editor asks for (`/schemas/<package>.<node>/<version>/<resource>/<operation>.json`,
// served from `__schema__/v<version>/…` beside the node file), so the node after an unexecuted
// SalesOS node can preview its fields. Lead and deal records are built from the record specs the
// node writes with; the other resources follow the SalesOS API contract. `npm run schemas` writes
// them under nodes/SalesOs/__schema__ (the build copies them into dist/); test/output-schemas.test.ts
// fails when the committed files differ from what this generates.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import type { FieldKind, FieldSpec } from '../nodes/SalesOs/records/fieldCatalogue';
import { DEAL, LEAD, writableFields, type ResourceSpec } from '../nodes/SalesOs/records/specs';
import { REPO_ROOT } from './n8n/package';

export const SCHEMA_FOLDER = join(REPO_ROOT, 'nodes', 'SalesOs', '__schema__');

/** A node's description from source (by file name: tsx would resolve `X.node` to the codex `X.node.json`). */
function nodeDescription(file: string, className: string): INodeTypeDescription {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return new (require(join(REPO_ROOT, 'nodes', 'SalesOs', file))[className])().description;
}

type JsonSchema = { type: string; properties?: Record<string, JsonSchema>; items?: JsonSchema };

const string: JsonSchema = { type: 'string' };
const number: JsonSchema = { type: 'number' };
const boolean: JsonSchema = { type: 'boolean' };
const object = (properties: Record<string, JsonSchema> = {}): JsonSchema => ({ type: 'object', properties });
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

const TYPE_OF_KIND: Record<FieldKind, JsonSchema> = {
	text: string,
	email: string,
	number,
	boolean,
	date: string,
	dateTime: string,
	locator: string,
	tags: arrayOf(string),
	list: arrayOf(string),
	json: object(),
	customFields: object(),
};

/** A stored lead or deal: every field the node can write, plus what SalesOS adds. */
function recordSchema(spec: ResourceSpec): JsonSchema {
	const written = Object.fromEntries(
		writableFields(spec).map((field: FieldSpec) => [field.apiName, TYPE_OF_KIND[field.kind]]),
	);
	const stored: Record<string, JsonSchema> = { id: string, ...written, created_at: string, updated_at: string };
	if (spec === DEAL) {
		// A deal is written with stage_id and read with its stage object and status.
		delete stored.stage_id;
		stored.stage = object({ id: string, name: string, probability: number });
		stored.status = string;
	}
	return object(Object.fromEntries(Object.entries(stored).sort(([a], [b]) => a.localeCompare(b))));
}

const withOperationResult = (schema: JsonSchema) => object({ ...schema.properties, operationResult: string });
const deleted = object({ deleted: boolean, id: string });

const USER_SCHEMA = object({ created_at: string, email: string, id: string, name: string, role: string, status: string, team_id: string });
const TEAM_SCHEMA = object({ id: string, name: string });
const STAGE_SCHEMA = object({ id: string, name: string, position: number, probability: number });
const WEBHOOK_SCHEMA = object({ active: boolean, created_at: string, description: string, events: arrayOf(string), id: string, url: string });
const COLLABORATOR_SCHEMA = object({
	document: string, email: string, external_id: string, metadata: object(), name: string, operationResult: string, phone: string, role: string, team: string,
});
const ACTIVITY_SCHEMA = object({
	activity_code: string, collaborator_email: string, data: object(), external_id: string, occurred_at: string, operationResult: string,
});

const CONFLICT_SCHEMA = object({ field: string, otherSystem: string, reason: string, resolution: string, salesOs: string });
const TWO_WAY_SYNC_SCHEMA = object({
	changedInOtherSystem: arrayOf(string),
	changedInSalesOs: arrayOf(string),
	conflicts: arrayOf(CONFLICT_SCHEMA),
	externalId: string,
	hasFlaggedConflicts: boolean,
	lead: recordSchema(LEAD),
	leadId: string,
	operationResult: string,
	otherSystemHasRecord: boolean,
	otherSystemNeedsUpdate: boolean,
	otherSystemUpdate: object(),
	writtenToSalesOs: object(),
});

function actionSchema(resource: string, operation: string): JsonSchema {
	const records: Record<string, ResourceSpec> = { lead: LEAD, deal: DEAL };
	const spec = records[resource];
	if (spec) {
		const record = recordSchema(spec);
		if (operation === 'delete') return deleted;
		if (['create', 'upsert'].includes(operation)) return withOperationResult(record);
		if (['update', 'get', 'getMany', 'move', 'close'].includes(operation)) return record;
		if (resource === 'lead' && operation === 'convert') return recordSchema(DEAL);
		if (resource === 'lead' && operation === 'twoWaySync') return TWO_WAY_SYNC_SCHEMA;
	}
	const others: Record<string, JsonSchema> = {
		'user:create': withOperationResult(USER_SCHEMA),
		'user:update': USER_SCHEMA,
		'user:deactivate': USER_SCHEMA,
		'user:get': USER_SCHEMA,
		'user:getMany': USER_SCHEMA,
		'team:getMany': TEAM_SCHEMA,
		'stage:getMany': STAGE_SCHEMA,
		'webhook:create': object({ ...WEBHOOK_SCHEMA.properties, secret: string }),
		'webhook:getMany': WEBHOOK_SCHEMA,
		'webhook:update': WEBHOOK_SCHEMA,
		'webhook:delete': deleted,
		'collaborator:sync': COLLABORATOR_SCHEMA,
		'activity:sync': ACTIVITY_SCHEMA,
	};
	const schema = others[`${resource}:${operation}`];
	if (!schema) throw new Error(`No output schema for ${resource} → ${operation}: describe it in scripts/outputSchemas.ts`);
	return schema;
}

/** n8n's folder name for a node version: 1 → v1.0.0, 1.1 → v1.1.0. */
const versionFolder = (version: number) => `v${[...String(version).split('.'), '0', '0'].slice(0, 3).join('.')}`;

const optionValues = (property: INodeProperties | undefined) => ((property?.options ?? []) as Array<{ value: string }>).map((option) => option.value);

function versionsOf(description: INodeTypeDescription): number[] {
	return Array.isArray(description.version) ? description.version : [description.version];
}

/** Every schema file, keyed by its path under __schema__. */
export function outputSchemas(): Record<string, JsonSchema> {
	const files: Record<string, JsonSchema> = {};
	const action = nodeDescription('SalesOs.node.ts', 'SalesOs');
	for (const version of versionsOf(action)) {
		for (const resource of optionValues(action.properties.find((property) => property.name === 'resource'))) {
			const operation = action.properties.find(
				(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
			);
			for (const value of optionValues(operation)) files[`${versionFolder(version)}/${resource}/${value}.json`] = actionSchema(resource, value);
		}
	}
	// The poll trigger has a Resource but no Operation: n8n asks for `<version>/<resource>.json`.
	const poll = nodeDescription('SalesOsPollTrigger.node.ts', 'SalesOsPollTrigger');
	for (const version of versionsOf(poll)) {
		for (const resource of optionValues(poll.properties.find((property) => property.name === 'resource'))) {
			files[`${versionFolder(version)}/${resource}.json`] = recordSchema(resource === 'deal' ? DEAL : LEAD);
		}
	}
	return files;
}

export const serialise = (schema: JsonSchema) => `${JSON.stringify(schema, null, '\t')}\n`;

if (require.main === module) {
	rmSync(SCHEMA_FOLDER, { recursive: true, force: true });
	const files = outputSchemas();
	for (const [path, schema] of Object.entries(files)) {
		const file = join(SCHEMA_FOLDER, path);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, serialise(schema));
	}
	console.log(`Wrote ${Object.keys(files).length} output schemas to ${SCHEMA_FOLDER}`);
}
