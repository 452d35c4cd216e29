/**
 * Node and credential type lookups: this package's nodes and credentials (loaded lazily from
 * source), the test-only nodes, and anything a test registers.
 */
import type { ICredentialType, IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { TestItems, TestPassThrough, TestSalesOsCaller } from '../testNodes';

/** Prefix n8n gives this package's node types once installed (`n8n-nodes-salesos.salesOs`). */
export const PACKAGE_PREFIX = 'n8n-nodes-salesos.';

type NodeTypeObject = INodeType | IVersionedNodeType;

/**
 * Instantiates the exported class of a source module whose name (as `nameOf` reads it) is `name`.
 * Package nodes and credentials load lazily so one unfinished file never breaks suites that do not use it.
 */
function loadExported<T>(modulePath: string, name: string, nameOf: (instance: T) => string | undefined): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(modulePath) as Record<string, unknown>;
	for (const candidate of Object.values(exported)) {
		// Only classes: calling an exported helper function with `new` would run it.
		if (typeof candidate !== 'function' || !/^class\b/.test(Function.prototype.toString.call(candidate))) continue;
		let instance: T;
		try {
			instance = new (candidate as new () => T)();
		} catch {
			continue; // not a constructible class
		}
		if (nameOf(instance) === name) return instance;
	}
	throw new Error(`${modulePath} exports no class named "${name}"`);
}

const PACKAGE_NODE_MODULES: Record<string, string> = {
	salesOs: '../../../nodes/SalesOs/SalesOs.node',
	salesOsTrigger: '../../../nodes/SalesOs/SalesOsTrigger.node',
	salesOsPollTrigger: '../../../nodes/SalesOs/SalesOsPollTrigger.node',
};

const PACKAGE_CREDENTIAL_MODULES: Record<string, string> = {
	salesOsClientCredentialsApi: '../../../credentials/SalesOsClientCredentialsApi.credentials',
	salesOsApiKeyApi: '../../../credentials/SalesOsApiKeyApi.credentials',
};

function shortTypeName(type: string): string {
	return type.startsWith(PACKAGE_PREFIX) ? type.slice(PACKAGE_PREFIX.length) : type;
}

/** Node type lookup: this package's nodes (by short or installed name), the test nodes, and anything registered. */
export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, NodeTypeObject>();

	constructor(extra: NodeTypeObject[] = []) {
		for (const nodeType of [new TestItems(), new TestPassThrough(), new TestSalesOsCaller(), ...extra]) this.register(nodeType);
	}

	register(nodeType: NodeTypeObject): this {
		this.types.set(nodeType.description.name, nodeType);
		return this;
	}

	getByName(nodeType: string): NodeTypeObject {
		const name = shortTypeName(nodeType);
		let found = this.types.get(name);
		if (!found && PACKAGE_NODE_MODULES[name]) {
			found = loadExported<NodeTypeObject>(PACKAGE_NODE_MODULES[name], name, (i) => i.description?.name);
			this.types.set(name, found);
		}
		if (!found) throw new Error(`Unknown node type "${nodeType}" in the test engine`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	/** The newest version a node type offers: what a freshly added node gets. */
	latestVersion(nodeType: string): number {
		const found = this.getByName(nodeType);
		if ('nodeVersions' in found) return found.currentVersion;
		const { version } = found.description;
		return Array.isArray(version) ? Math.max(...version) : version;
	}
}

/** Credential type lookup: this package's credentials (loaded lazily) plus anything registered. */
export class TestCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	register(credentialType: ICredentialType): this {
		this.types.set(credentialType.name, credentialType);
		return this;
	}

	getByName(name: string): ICredentialType {
		let found = this.types.get(name);
		if (!found && PACKAGE_CREDENTIAL_MODULES[name]) {
			found = loadExported<ICredentialType>(PACKAGE_CREDENTIAL_MODULES[name], name, (i) => i.name);
			this.types.set(name, found);
		}
		if (!found) throw new Error(`Unknown credential type "${name}" in the test engine`);
		return found;
	}
}
