/**
 * This package's nodes and credentials, loaded by n8n-core's own PackageDirectoryLoader (what n8n
 * runs for an installed community package: package.json's `n8n` block, class name = file name,
 * description validated, polling nodes given n8n's Poll Times parameter, load-options methods
 * listed), from source instead of `dist/` so the suites need no build.
 */
import { join } from 'node:path';
import { PackageDirectoryLoader } from 'n8n-core';
import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';

class SourcePackageLoader extends PackageDirectoryLoader {
	/** package.json lists the build (`dist/…/X.node.js`); the source is `…/X.node.ts` (codex `X.node.json` beside it). */
	protected resolvePath(file: string): string {
		return super.resolvePath(file.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	}

	/**
	 * One file at a time, so an unfinished file breaks only the suites that use it. The file is
	 * found by n8n's naming convention (`SalesOsTrigger.node.ts` holds `salesOsTrigger`); if no file
	 * follows it, every listed file is loaded.
	 */
	private loadByName(name: string, files: string[] | undefined, isLoaded: () => boolean, load: (file: string) => void): void {
		const byConvention = (file: string) => {
			const className = file.split('/').pop()!.split('.')[0];
			return className.charAt(0).toLowerCase() + className.slice(1) === name;
		};
		const ordered = [...(files ?? [])].sort((a, b) => Number(byConvention(b)) - Number(byConvention(a)));
		for (const file of ordered) {
			if (isLoaded()) return;
			load(file);
		}
	}

	node(name: string): INodeType | IVersionedNodeType | undefined {
		this.loadByName(name, this.packageJson.n8n?.nodes, () => name in this.nodeTypes, (file) =>
			this.loadNodeFromFile(file, this.packageJson.version),
		);
		return this.nodeTypes[name]?.type;
	}

	credential(name: string): ICredentialType | undefined {
		this.loadByName(name, this.packageJson.n8n?.credentials, () => name in this.credentialTypes, (file) =>
			this.loadCredentialFromFile(file),
		);
		return this.credentialTypes[name]?.type;
	}
}

/** One loader per test process, as n8n has one per installed package. */
export const packageLoader = new SourcePackageLoader(join(__dirname, '..', '..', '..'));

/** Prefix n8n gives this package's node types once installed (`n8n-nodes-salesos.salesOs`). */
export const PACKAGE_PREFIX = `${packageLoader.packageName}.`;
