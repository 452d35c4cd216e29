import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';

import type { N8nInstallation } from '../../scripts/n8n/install';
import { runCommand } from '../../scripts/n8n/process';

export interface MachineDescription {
	cpuModel: string;
	cores: number;
	ramGiB: number;
	freeRamGiB: number;
	os: string;
	/** 1-minute load average when the bench started: other work on the machine skews results. */
	loadAverageAtStart: number;
	benchNode: string;
	n8nVersion: string;
	n8nNode: string;
	/** N8N_* variables set for the bench (n8n inherits them); empty means n8n's defaults. */
	n8nOverrides: Record<string, string>;
}

export async function describeMachine(installation: N8nInstallation): Promise<MachineDescription> {
	const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 10) / 10;
	const n8nNode = await runCommand(installation.nodeBinary, ['--version']);
	return {
		cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
		cores: cpus().length,
		ramGiB: gib(totalmem()),
		freeRamGiB: gib(freemem()),
		os: `${type()} ${release()}`,
		loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
		benchNode: process.version,
		n8nVersion: installation.version,
		n8nNode: n8nNode.stdout.trim(),
		n8nOverrides: Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('N8N_') && entry[1] !== undefined)),
	};
}

export function machineLine(machine: MachineDescription): string {
	return (
		`${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.os}; ` +
		`n8n ${machine.n8nVersion} on Node ${machine.n8nNode.replace(/^v/, '')}, bench on Node ${machine.benchNode.replace(/^v/, '')}; ` +
		`load average at start ${machine.loadAverageAtStart}; ` +
		(Object.keys(machine.n8nOverrides).length
			? `n8n settings: ${Object.entries(machine.n8nOverrides).map(([name, value]) => `${name}=${value}`).join(', ')}`
			: 'n8n default settings')
	);
}
