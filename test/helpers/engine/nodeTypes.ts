/**
 * Node and credential type lookups (n8n's INodeTypes and the CLI's CredentialTypes): this
 * package's nodes and credentials as n8n loads them, the test-only nodes, and anything a test registers.
 */
import type { ICredentialType, IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { TestItems, TestPassThrough, TestSalesOsCaller } from '../testNodes';
import { packageLoader, PACKAGE_PREFIX } from './packageLoader';

export { PACKAGE_PREFIX };

type NodeTypeObject = INodeType | IVersionedNodeType;

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
		if (!found) {
			found = packageLoader.node(name);
			if (found) this.types.set(name, found);
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
		if (!found) {
			found = packageLoader.credential(name);
			if (found) this.types.set(name, found);
		}
		if (!found) throw new Error(`Unknown credential type "${name}" in the test engine`);
		return found;
	}
}
