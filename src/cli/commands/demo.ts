import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEMO_DEFAULTS, runDemo } from '../../app/run-demo.js';
import { mechanismTable } from '../../report/demo-summary.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { checkOutputFolder } from '../output-path.js';
import { stepProgress } from '../sim-progress.js';
import { softwareVersions } from '../version.js';
import { OPTION_LIMITS, formatOption, integerOption, numberOption } from '../options.js';

interface DemoFlags {
  out: string;
  seed: number;
  tasks: number;
  value: number;
  maxAttempts: number;
  resamples: number;
  format: 'table' | 'json';
}

/** `marketbench demo`: the whole pipeline on the built-in simulated population. */
export const registerDemo: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('demo')
    .description('simulate the paper population, replay every mechanism, write a store, summary.md and report.html (no keys, no network)')
    .option('--out <dir>', 'folder to write marketbench.db, summary.md and report.html into', 'marketbench-demo')
    .option('--seed <n>', 'random seed', integerOption('--seed', 0), DEMO_DEFAULTS.seed)
    .option('--tasks <n>', 'number of synthetic tasks', integerOption('--tasks', 1, OPTION_LIMITS.tasks), DEMO_DEFAULTS.tasks)
    .option('--value <usd>', 'value of a solved task, USD (also the scoring auctions\' bounty)', numberOption('--value', 0, OPTION_LIMITS.valueUsd), DEMO_DEFAULTS.value)
    .option('--max-attempts <n>', 'most attempts per task', integerOption('--max-attempts', 1, OPTION_LIMITS.maxAttempts), DEMO_DEFAULTS.maxAttempts)
    .option('--resamples <n>', 'bootstrap resamples per paired comparison', integerOption('--resamples', 0, OPTION_LIMITS.resamples), DEMO_DEFAULTS.resamples)
    .option('--format <format>', 'table or json', formatOption, 'table')
    .action(async (flags: DemoFlags) => {
      checkOutputFolder({ cwd: io.cwd, path: flags.out, flag: '--out' });
      const progress = stepProgress(io);
      let result: ReturnType<typeof runDemo>;
      try {
        result = runDemo({
          outDir: resolve(io.cwd, flags.out),
          seed: flags.seed,
          tasks: flags.tasks,
          value: flags.value,
          maxAttempts: flags.maxAttempts,
          resamples: flags.resamples,
          observer: progress,
        });
      } finally {
        progress.stop();
      }
      // Loaded on use: the chart renderer is the heaviest import of the CLI.
      const { writeDemoReport } = await import('../../report/demo-report.js');
      const written = await writeDemoReport({
        result,
        seed: flags.seed,
        meta: { versions: softwareVersions(), generatedAt: new Date().toISOString() },
      });
      if (flags.format === 'json') {
        io.out(
          `${JSON.stringify({ dbPath: result.dbPath, summaryPath: result.summaryPath, reportPath: written.htmlFile, simulateRunId: result.simulateRunId, replayRunId: result.replayRunId, aggregates: result.aggregates, settings: result.report.settings, mechanisms: Object.fromEntries(Object.entries(result.report.mechanisms).map(([name, { perTask: _perTask, ...rest }]) => [name, rest])), frontier: result.report.frontier }, null, 2)}\n`,
        );
        return;
      }
      const { settings } = result.report;
      io.out(
        `MarketBench demo: ${settings.tasks} simulated tasks × ${settings.workers} workers (paper preset, seed ${flags.seed}), V = $${settings.value}, up to ${settings.maxAttempts} attempts per task\n\n`,
      );
      io.out(`${mechanismTable(result.report)}\n\n`);
      // Relative to the working directory when inside it; absolute otherwise.
      const show = (path: string) => {
        const inside = relative(io.cwd, path);
        return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
      };
      io.out(`store:   ${show(result.dbPath)}  (runs ${result.simulateRunId}, ${result.replayRunId})\nsummary: ${show(result.summaryPath)}\nreport:  ${show(written.htmlFile)}\n`);
    });
};
