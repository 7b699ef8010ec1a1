import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { markdownTable } from '../../report/markdown-table.js';
import {
  type Crossover,
  getPreset,
  SWEEP_METRICS,
  type SweepLevel,
  type SweepMetric,
  type SweepReport,
  sweepInformativeness,
} from '../../sim/index.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { countProgress } from '../sim-progress.js';
import { formatOption, integerOption, numberOption, OPTION_LIMITS } from '../options.js';
import { addStrategicOptions, runStrategicSweep, type StrategicFlags } from './sweep-strategic.js';

/** `steps` evenly spaced levels from `from` to `to` (both included; one step gives `from`). */
export function sweepLevels(options: { from: number; to: number; steps: number }): number[] {
  const { from, to, steps } = options;
  if (steps === 1) return [from];
  // Rounded so 0.1 · 3 prints as 0.3, not 0.30000000000000004.
  return Array.from({ length: steps }, (_, i) => Math.round((from + ((to - from) * i) / (steps - 1)) * 1e9) / 1e9);
}

const metricTitles: Record<SweepMetric | 'spendUsd', string> = {
  solved: 'Tasks solved',
  spendUsd: 'Spend (payments to workers), $',
  surplus: 'Principal surplus V·solved − spend, $',
  welfare: 'Welfare V·solved − actual cost of attempts, $ (independent of the payment rule)',
};

/** The sweep as text: one table per metric, then where the markets overtake the router and the best solo worker. */
export function sweepText(report: SweepReport): string {
  const first = report.levels[0]!;
  const format = (metric: SweepMetric | 'spendUsd', value: number) => (metric === 'solved' ? value.toFixed(1) : value.toFixed(2));
  const table = (metric: SweepMetric | 'spendUsd') => {
    const soloColumn = metric === 'spendUsd' ? 'surplus' : metric;
    return [
      `${metricTitles[metric]} — mean over ${report.settings.seeds.length} seed(s)`,
      '',
      markdownTable({
        columns: ['informativeness', 'AUROC', 'scoring', 'router', 'reputation', `best solo (${first.bestSolo[soloColumn]})`],
        numeric: [0, 1, 2, 3, 4, 5],
        rows: [...report.levels, ...(report.reference ? [report.reference] : [])].map((level: SweepLevel) => [
          level.informativeness === null ? `${report.settings.population} as is` : String(level.informativeness),
          level.meanAuroc.toFixed(3),
          format(metric, level.scoring[metric].mean),
          format(metric, level.router[metric].mean),
          format(metric, level.reputation[metric].mean),
          format(metric, level.solo[level.bestSolo[soloColumn]]![metric].mean),
        ]),
      }),
      '',
    ].join('\n');
  };
  const describe = (c: Crossover) => {
    if (c.fromLevel === null) return 'never';
    if (c.interpolated === null) return `ahead from the start (${c.fromLevel})`;
    return `from ${c.fromLevel} (crossing ≈ ${c.interpolated.toFixed(2)})`;
  };
  const crossings = (['scoring', 'reputation'] as const).flatMap((market) =>
    SWEEP_METRICS.map(
      (metric) =>
        `- ${market} on ${metric}: overtakes the router ${describe(report.crossovers[market][metric].router)}; ` +
        `the best solo worker ${describe(report.crossovers[market][metric].bestSolo)}`,
    ),
  );
  const { settings } = report;
  return [
    `Informativeness sweep: ${settings.population} population, ${settings.tasks} tasks, seeds ${settings.seeds.join(', ')}, V = $${settings.value}, up to ${settings.maxAttempts} attempts per task.`,
    `Router = ${settings.mechanisms.router} (the central router's stand-in in simulation: public task features and cross-fitted history, no bids). AUROC = mean AUROC of the stated p.`,
    'Informativeness x sets every worker\'s resolution to x and shrinks its noise to (1 − x) of its own; the last row is the population as specified.',
    '',
    table('solved'),
    table('spendUsd'),
    table('surplus'),
    table('welfare'),
    'Where the markets overtake (at that level and every higher one):',
    ...crossings,
    '',
  ].join('\n');
}

interface SweepFlags {
  preset: string;
  tasks: number;
  seeds: number;
  from: number;
  to: number;
  steps: number;
  value: number;
  maxAttempts: number;
  format: 'table' | 'json';
}

/** `marketbench sweep`: vary bid informativeness and compare the market with the router and solo workers. */
export const registerSweep: RegisterCommand = (program: Command, io: CliIo) => {
  const command = program
    .command('sweep')
    .description('vary how informative bids are and compare scoring auction, router, reputation auction and best solo worker')
    .option('--preset <name>', 'built-in population', 'paper')
    .option('--tasks <n>', 'synthetic tasks per simulation', integerOption('--tasks', 2, OPTION_LIMITS.tasks), 300)
    .option('--seeds <n>', 'simulations per level (seeds 1..n)', integerOption('--seeds', 1, OPTION_LIMITS.seeds), 5)
    .option('--from <x>', 'lowest informativeness', numberOption('--from', 0, 1), 0)
    .option('--to <x>', 'highest informativeness', numberOption('--to', 0, 1), 1)
    .option('--steps <n>', 'number of levels', integerOption('--steps', 1, OPTION_LIMITS.steps), 11)
    .option('--value <usd>', "value of a solved task, USD (also the scoring auctions' bounty)", numberOption('--value', 0, OPTION_LIMITS.valueUsd), 1)
    .option('--max-attempts <n>', 'most attempts per task', integerOption('--max-attempts', 1, OPTION_LIMITS.maxAttempts), 2)
    .option('--format <format>', 'table or json', formatOption, 'table');
  addStrategicOptions(command).action(async (flags: SweepFlags & StrategicFlags & { strategic?: boolean }) => {
      if (flags.strategic) return runStrategicSweep({ flags, io, command });
      if (flags.to < flags.from) {
        throw new InvalidInputError(`--to (${flags.to}) must not be below --from (${flags.from})`, { field: '--to' });
      }
      const spec = getPreset(flags.preset);
      const seeds = Array.from({ length: flags.seeds }, (_, i) => i + 1);
      const progress = countProgress(io, { label: 'sweep', every: flags.seeds });
      let report: SweepReport;
      try {
        report = sweepInformativeness({
          spec,
          tasks: flags.tasks,
          seeds,
          levels: sweepLevels(flags),
          value: flags.value,
          maxAttempts: flags.maxAttempts,
          onProgress: progress.update,
        });
      } finally {
        progress.stop();
      }
      io.out(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : sweepText(report));
    });
};
