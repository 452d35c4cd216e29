// `npm run bench`: drives a real n8n (`n8n start`, the install the e2e suite uses) with this
// package against the SalesOS sandbox, prints a side-by-side table and writes the raw figures to
// bench/results/latest.json. Not part of the test command.
//
//   npm run bench                 issue 6's sizes (about 45 minutes), plus issue 11's queue-mode row
//   npm run bench -- --quick      smaller sizes, a smoke run (a few minutes)
//   npm run bench -- --only=2,5   some scenarios only
//   npm run bench -- --keep-n8n   keep n8n's user folder (.bench/n8n-*) for inspection
//   npm run bench -- --rate-window=sliding   scenario 1 with a sliding instead of a fixed window
//   npm run bench -- --write-docs also rewrite docs/performance.md and the README's "## Performance" summary
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { benchConfig, type BenchConfig } from './config';
import { BenchEnvironment } from './lib/environment';
import { describeMachine, machineLine } from './lib/machine';
import { renderMarkdown, renderPerformancePage, renderReadmeSummary, replaceReadmeSection, writeJson, type BenchReport, type ScenarioResult } from './lib/report';
import { activityBatching } from './scenarios/activityBatching';
import { pollCost } from './scenarios/pollCost';
import { queueSharedLimit } from './scenarios/queueSharedLimit';
import { rateLimitedUpsert } from './scenarios/rateLimitedUpsert';
import { throughput } from './scenarios/throughput';
import { tokenReuse } from './scenarios/tokenReuse';
import { twoWaySync } from './scenarios/twoWaySync';
import { webhookIntake } from './scenarios/webhookIntake';

type Scenario = (env: BenchEnvironment, config: BenchConfig, log: (line: string) => void) => Promise<ScenarioResult>;

const SCENARIOS: Array<{ id: number; title: string; run: Scenario }> = [
	{ id: 1, title: 'Bulk upsert under a rate limit', run: rateLimitedUpsert },
	{ id: 2, title: 'Throughput with no limit', run: throughput },
	{ id: 3, title: 'Token reuse', run: tokenReuse },
	{ id: 4, title: 'Activity batching', run: activityBatching },
	{ id: 5, title: 'Webhook intake', run: webhookIntake },
	{ id: 6, title: 'Incremental poll cost', run: pollCost },
	{ id: 7, title: 'Shared limit in queue mode', run: queueSharedLimit },
	{ id: 8, title: 'Two-way sync: example 04 before and after issue 25', run: twoWaySync },
];

const RESULTS_FOLDER = join(__dirname, 'results');
const README = join(__dirname, '..', 'README.md');
const PERFORMANCE_PAGE = join(__dirname, '..', 'docs', 'performance.md');

function parseArguments(argv: string[]) {
	const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
	const only = value('only');
	const ids = only ? only.split(',').map(Number) : SCENARIOS.map((scenario) => scenario.id);
	const rateWindow = value('rate-window') ?? 'fixed';
	const flags = ['--quick', '--keep-n8n', '--write-docs'];
	const unknown = argv.filter((arg) => !flags.includes(arg) && !/^--(only|rate-window)=/.test(arg));
	if (unknown.length || ids.some((id) => !SCENARIOS.some((scenario) => scenario.id === id)) || !['fixed', 'sliding'].includes(rateWindow)) {
		throw new Error(
			`Usage: npm run bench -- [--quick] [--only=1,2,...] [--rate-window=fixed|sliding] [--keep-n8n] [--write-docs]  (got ${argv.join(' ')})`,
		);
	}
	return {
		quick: argv.includes('--quick'),
		ids,
		rateWindow: rateWindow as 'fixed' | 'sliding',
		keepN8n: argv.includes('--keep-n8n'),
		writeDocs: argv.includes('--write-docs'),
	};
}

async function main(): Promise<void> {
	const args = parseArguments(process.argv.slice(2));
	const config = benchConfig(args.quick, args.rateWindow);
	const startedAt = new Date();
	const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
	log(`[bench] ${args.quick ? 'quick' : 'full'} run of scenarios ${args.ids.join(', ')}`);

	const env = await BenchEnvironment.start(log);
	let closing: Promise<void> | undefined;
	const shutdown = () => {
		closing ??= (async () => {
			await env.close();
			if (!args.keepN8n) rmSync(env.n8n.userFolder, { recursive: true, force: true });
		})();
		return closing;
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			log(`[bench] ${signal}: stopping n8n and the sandbox`);
			void shutdown().finally(() => process.exit(130));
		});
	}

	try {
		const machine = await describeMachine(env.installation);
		log(`[bench] machine: ${machineLine(machine)}`);
		const scenarios: ScenarioResult[] = [];
		for (const scenario of SCENARIOS.filter((candidate) => args.ids.includes(candidate.id))) {
			const started = Date.now();
			log(`[bench] scenario ${scenario.id}: ${scenario.title}`);
			try {
				scenarios.push(await scenario.run(env, config, log));
			} catch (error) {
				const message = (error as Error).message.split('\n')[0];
				log(`[bench] scenario ${scenario.id} could not be measured: ${(error as Error).stack ?? message}`);
				scenarios.push({ id: scenario.id, title: scenario.title, setup: '', rows: [], notes: [], raw: {}, error: message });
			}
			log(`[bench] scenario ${scenario.id} took ${Math.round((Date.now() - started) / 1000)} s`);
		}
		const finishedAt = new Date();
		const report: BenchReport = {
			startedAt: startedAt.toISOString(),
			finishedAt: finishedAt.toISOString(),
			durationSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
			mode: args.quick ? 'quick' : 'full',
			machine,
			scenarios,
		};
		// Only a full default run replaces latest.json (the figures the README quotes).
		const partial = args.ids.length < SCENARIOS.length || args.rateWindow !== 'fixed';
		const file = join(RESULTS_FOLDER, args.quick ? 'latest-quick.json' : partial ? 'latest-partial.json' : 'latest.json');
		writeJson(file, report);
		console.log(`\n${renderMarkdown(report)}\n`);
		log(`[bench] raw figures: ${file}`);
		if (args.writeDocs) {
			writeFileSync(PERFORMANCE_PAGE, renderPerformancePage(report));
			replaceReadmeSection(README, renderReadmeSummary(report));
			log(`[bench] rewrote ${PERFORMANCE_PAGE} and the Performance section of ${README}`);
		}
	} finally {
		await shutdown();
	}
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
