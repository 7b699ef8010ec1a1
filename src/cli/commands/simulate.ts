import { resolve } from 'node:path';
import type { Command } from 'commander';
import { markdownTable } from '../../report/markdown-table.js';
import { simulateRun } from '../../app/simulate-run.js';
import { Store } from '../../runtime/store/index.js';
import type { WorkerAggregate } from '../../sim/index.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { OPTION_LIMITS, formatOption, integerOption, numberOption } from '../options.js';

/** Per-worker aggregates as a text table. */
export function aggregatesTable(aggregates: readonly WorkerAggregate[]): string {
  return markdownTable({
    columns: ['worker', 'tasks', 'pass rate', 'mean p', 'distinct p', 'AUROC', 'median T̂/T', 'median tokens', '$/attempt', '$/token'],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    rows: aggregates.map((a) => [
      a.workerId,
      String(a.tasks),
      a.passRate.toFixed(3),
      a.meanP.toFixed(3),
      String(a.distinctP),
      Number.isNaN(a.auroc) ? '–' : a.auroc.toFixed(3),
      a.medianTokenRatio.toPrecision(3),
      String(Math.round(a.medianTokens)),
      a.meanCostUsd.toFixed(4),
      a.blendedPrice.toExponential(3),
    ]),
  });
}

interface SimulateFlags {
  preset: string;
  tasks: number;
  seed: number;
  informativeness?: number;
  signalAuroc?: number;
  db: string;
  format: 'table' | 'json';
}

/** `marketbench simulate`: simulate a worker population and write it to the store as a run. */
export const registerSimulate: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('simulate')
    .description('simulate a population of workers on synthetic tasks and store forecasts and outcomes')
    .option('--preset <name>', 'built-in population', 'paper')
    .option('--tasks <n>', 'number of synthetic tasks', integerOption('--tasks', 1, OPTION_LIMITS.tasks), 300)
    .option('--seed <n>', 'random seed', integerOption('--seed', 0), 1)
    .option('--signal-auroc <auroc>', "fit every worker's stated p to this within-worker AUROC (default: the preset's own, the paper's per worker)", numberOption('--signal-auroc', 0, 1))
    .option('--informativeness <x>', 'deprecated: use --signal-auroc (the old knob, 0 none to 1 knows the truth)', numberOption('--informativeness', 0, 1))
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--format <format>', 'table or json', formatOption, 'table')
    .action((flags: SimulateFlags) => {
      if (flags.informativeness !== undefined) io.err('deprecated: --informativeness is the old knob; use --signal-auroc\n');
      const store = Store.open(resolve(io.cwd, flags.db));
      try {
        const result = simulateRun({
          store,
          preset: flags.preset,
          tasks: flags.tasks,
          seed: flags.seed,
          informativeness: flags.informativeness,
          signalAuroc: flags.signalAuroc,
        });
        if (flags.format === 'json') {
          io.out(`${JSON.stringify({ run: result.run, aggregates: result.aggregates, fitted: result.simulation.fitted }, null, 2)}\n`);
          return;
        }
        const { run, simulation } = result;
        io.out(
          `run ${run.id}: ${simulation.tasks.length} tasks × ${simulation.workers.length} workers (preset ${flags.preset}, seed ${flags.seed}) → ${store.file}\n\n`,
        );
        io.out(`${aggregatesTable(result.aggregates)}\n`);
      } finally {
        store.close();
      }
    });
};
