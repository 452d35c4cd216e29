// The bench's output: one markdown table (printed, and written to docs/performance.md with a
// summary in the README's Performance section) and one JSON file with every raw figure.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { MachineDescription } from './machine';
import { machineLine } from './machine';

/** One line of the table: a SalesOS figure next to its baseline's figure, measured in the same run. */
export interface Row {
	metric: string;
	salesOs: string;
	baseline?: string;
	baselineValue?: string;
	/** SalesOS ÷ baseline. */
	ratio?: number;
	goal?: string;
	met?: boolean;
	/** How the figures were aggregated, e.g. "median of 3". */
	runs: string;
}

export interface ScenarioResult {
	id: number;
	title: string;
	/** Sizes and sandbox settings, one line. */
	setup: string;
	rows: Row[];
	notes: string[];
	/** Every run's figures, for the JSON file. */
	raw: Record<string, unknown>;
	/** Set when the scenario could not be measured. */
	error?: string;
}

export interface BenchReport {
	startedAt: string;
	finishedAt: string;
	durationSeconds: number;
	mode: 'full' | 'quick';
	machine: MachineDescription;
	scenarios: ScenarioResult[];
}

export function formatNumber(value: number, digits = 2): string {
	if (!Number.isFinite(value)) return 'n/a';
	const abs = Math.abs(value);
	const decimals = abs >= 100 ? 0 : abs >= 10 ? Math.min(1, digits) : digits;
	return value.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
}

function verdictOf(row: Row): string {
	return row.met === undefined ? '' : row.met ? ' ✅' : ' ❌';
}

function cell(text: string | undefined): string {
	return (text ?? '').replace(/\|/g, '\\|');
}

/** The results as a markdown table plus the notes under it. */
export function renderMarkdown(report: BenchReport): string {
	const lines = [
		`Measured ${report.finishedAt.slice(0, 10)} (${report.mode === 'quick' ? '`--quick` sizes' : 'default sizes'}, ${Math.round(report.durationSeconds / 60)} min) on: ${machineLine(report.machine)}.`,
		'',
		'| # | Scenario | Metric | SalesOS | Baseline | Baseline value | Ratio | Goal | Runs |',
		'|---|---|---|---|---|---|---|---|---|',
	];
	for (const scenario of report.scenarios) {
		if (scenario.error) {
			lines.push(`| ${scenario.id} | ${cell(scenario.title)} | not measured: ${cell(scenario.error)} | | | | | | |`);
			continue;
		}
		scenario.rows.forEach((row, index) => {
			lines.push(
				`| ${index === 0 ? scenario.id : ''} | ${index === 0 ? cell(scenario.title) : ''} | ${cell(row.metric)} | ${cell(row.salesOs)}${verdictOf(row)} | ${cell(row.baseline)} | ${cell(row.baselineValue)} | ${row.ratio === undefined ? '' : formatNumber(row.ratio, 3)} | ${cell(row.goal)} | ${cell(row.runs)} |`,
			);
		});
	}
	lines.push('');
	for (const scenario of report.scenarios) {
		lines.push(`${scenario.id}. **${scenario.title}** — ${scenario.setup}`);
		for (const note of scenario.notes) lines.push(`   - ${note}`);
	}
	return lines.join('\n');
}

const METHOD =
	'`npm run bench` (not part of `npm test`; about 45 minutes, `-- --quick` for a smoke run of a few minutes) ' +
	'starts the SalesOS sandbox and a real n8n (`n8n start`, the install the e2e suite uses) ' +
	'with this package installed, and runs every scenario next to its baseline in the same n8n, in the same run. ' +
	'Counts come from the sandbox’s own counters and records, times from n8n’s execution records (the measured node’s run time); ' +
	'each scenario starts with a warm-up run, variants are interleaved and the sandbox is reset between runs. ' +
	'It prints the table below and writes every raw figure to `bench/results/latest.json` ' +
	'(`-- --write-docs` also rewrites this page and the README’s summary). Ratio = SalesOS ÷ baseline.';

/** docs/performance.md: how the figures are made, then every figure with its notes. */
export function renderPerformancePage(report: BenchReport): string {
	return ['# Performance', '', METHOD, '', renderMarkdown(report), ''].join('\n');
}

/** The README's "## Performance" section: each scenario's first figure, and where the rest is. */
export function renderReadmeSummary(report: BenchReport): string {
	const lines = [
		'## Performance',
		'',
		`Each scenario's headline figure from \`npm run bench\`, measured ${report.finishedAt.slice(0, 10)} on ${machineLine(report.machine)}. ` +
			'The method, every figure and the notes: [docs/performance.md](docs/performance.md).',
		'',
		'| # | Scenario | Metric | SalesOS | Baseline | Ratio |',
		'|---|---|---|---|---|---|',
	];
	for (const scenario of report.scenarios) {
		const row = scenario.rows[0];
		if (scenario.error || !row) continue;
		lines.push(
			`| ${scenario.id} | ${cell(scenario.title)} | ${cell(row.metric)} | ${cell(row.salesOs)}${verdictOf(row)} | ${cell(row.baseline)}: ${cell(row.baselineValue)} | ${row.ratio === undefined ? '' : formatNumber(row.ratio, 3)} |`,
		);
	}
	return `${lines.join('\n')}\n`;
}

/** Replaces the content of the README's "## Performance" section (appends the section when missing). */
export function replaceReadmeSection(file: string, section: string): void {
	const readme = readFileSync(file, 'utf8');
	const start = readme.search(/^## Performance\s*$/m);
	if (start === -1) {
		writeFileSync(file, `${readme.trimEnd()}\n\n${section}`);
		return;
	}
	const rest = readme.slice(start + 1);
	const next = rest.search(/^## /m);
	const end = next === -1 ? readme.length : start + 1 + next;
	writeFileSync(file, `${readme.slice(0, start)}${section}${next === -1 ? '' : '\n'}${readme.slice(end)}`);
}

export function writeJson(file: string, report: BenchReport): void {
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
