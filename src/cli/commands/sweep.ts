import { relative } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { markdownTable } from '../../report/markdown-table.js';
import {
  type SeedCrossover,
  getPreset,
  SWEEP_METRICS,
  type SweepLevel,
  type SweepMetric,
  type SweepReport,
  sweepSignalAuroc,
} from '../../sim/index.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { checkOutputFile } from '../output-path.js';
import { countProgress } from '../progress.js';
import { softwareVersions } from '../version.js';
import { formatOption, integerOption, numberOption, OPTION_LIMITS } from '../options.js';
import { addPlansOptions, runPlansSweep } from './sweep-plans.js';
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
  const digits = (metric: SweepMetric | 'spendUsd') => (metric === 'solved' ? 1 : 2);
  const format = (metric: SweepMetric | 'spendUsd', cell: { mean: number; se: number }) =>
    report.settings.seeds.length > 1
      ? `${cell.mean.toFixed(digits(metric))} ± ${cell.se.toFixed(digits(metric))}`
      : cell.mean.toFixed(digits(metric));
  const knobTitle = report.settings.knob === 'informativeness' ? 'informativeness' : 'target AUROC';
  const table = (metric: SweepMetric | 'spendUsd') => {
    const soloColumn = metric === 'spendUsd' ? 'surplus' : metric;
    return [
      `${metricTitles[metric]} — mean${report.settings.seeds.length > 1 ? ' ± SE' : ''} over ${report.settings.seeds.length} seed(s)`,
      '',
      markdownTable({
        columns: [knobTitle, 'realized AUROC', 'scoring', 'router', 'reputation', `best solo (${first.bestSolo[soloColumn]})`],
        numeric: [0, 1, 2, 3, 4, 5],
        rows: [...report.levels, ...(report.reference ? [report.reference] : [])].map((level: SweepLevel) => [
          level.level === null ? `${report.settings.population} as is` : String(level.level),
          level.meanAuroc.toFixed(3),
          format(metric, level.scoring[metric]),
          format(metric, level.router[metric]),
          format(metric, level.reputation[metric]),
          format(metric, level.solo[level.bestSolo[soloColumn]]![metric]),
        ]),
      }),
      '',
    ].join('\n');
  };
  const describe = (c: SeedCrossover) => {
    const crossing = c.perSeed.filter((x) => x !== null).length;
    const spread =
      c.interval === null
        ? ''
        : `; per-seed crossings ${c.interval[0].toFixed(2)}–${c.interval[1].toFixed(2)} (mean ± 1.96·SE, ${crossing} of ${c.perSeed.length} seeds cross)`;
    if (c.fromLevel === null) return `never${spread}`;
    if (c.interpolated === null) return `ahead from the start (${c.fromLevel})${spread}`;
    return `from ${c.fromLevel} (crossing ≈ ${c.interpolated.toFixed(2)}${spread})`;
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
    `${settings.knob === 'informativeness' ? 'Informativeness (deprecated knob)' : 'Signal-AUROC'} sweep: ${settings.population} population, ${settings.tasks} tasks, seeds ${settings.seeds.join(', ')}, V = $${settings.value}, up to ${settings.maxAttempts} attempts per task.`,
    `Router = ${settings.mechanisms.router} (the central router's stand-in in simulation: public task features and cross-fitted history, no bids). AUROC = mean AUROC of the stated p.`,
    settings.knob === 'informativeness'
      ? 'Informativeness x sets every worker\'s resolution to x and shrinks its noise to (1 − x) of its own; the last row is the population as specified.'
      : 'Target AUROC a fits every worker\'s stated p to a within-worker AUROC of a (mean stated p, noise, rounding and token forecasts kept); the last row is the population as specified (the paper\'s AUROCs).',
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
  seedOffset: number;
  informativeness?: boolean;
  value: number;
  maxAttempts: number;
  format: 'table' | 'json';
}

/** `marketbench sweep`: vary the signal AUROC of the bids and compare the market with the router and solo workers. */
export const registerSweep: RegisterCommand = (program: Command, io: CliIo) => {
  const command = program
    .command('sweep')
    .description('vary the within-worker AUROC of the bids and compare scoring auction, router, reputation auction and best solo worker')
    .option('--preset <name>', 'built-in population', 'paper')
    .option('--tasks <n>', 'synthetic tasks per simulation', integerOption('--tasks', 2, OPTION_LIMITS.tasks), 300)
    .option('--seeds <n>', 'simulations per level (seeds 1..n)', integerOption('--seeds', 1, OPTION_LIMITS.seeds), 5)
    .option('--from <auroc>', 'lowest target within-worker AUROC of the stated p', numberOption('--from', 0, 1), 0.5)
    .option('--to <auroc>', 'highest target AUROC', numberOption('--to', 0, 1), 0.9)
    .option('--steps <n>', 'number of levels', integerOption('--steps', 1, OPTION_LIMITS.steps), 5)
    .option('--seed-offset <n>', 'seeds are offset+1..offset+n (a fresh set of simulations)', integerOption('--seed-offset', 0), 0)
    .option('--informativeness', 'deprecated: --from/--to are informativeness levels in [0, 1] (the old knob) instead of AUROCs')
    .option('--value <usd>', "value of a solved task, USD (also the scoring auctions' bounty)", numberOption('--value', 0, OPTION_LIMITS.valueUsd), 1)
    .option('--max-attempts <n>', 'most attempts per task', integerOption('--max-attempts', 1, OPTION_LIMITS.maxAttempts), 2)
    .option('--format <format>', 'table or json', formatOption, 'table');
  addPlansOptions(addStrategicOptions(command)).action(async (flags: SweepFlags & StrategicFlags & { strategic?: boolean; plans?: boolean }) => {
      if (flags.strategic) return runStrategicSweep({ flags, io, command });
      if (flags.to < flags.from) {
        throw new InvalidInputError(`--to (${flags.to}) must not be below --from (${flags.from})`, { field: '--to' });
      }
      if (flags.plans) return runPlansSweep({ flags, levels: sweepLevels(flags), io });
      const reportFile = flags.report === undefined ? undefined : checkOutputFile({ cwd: io.cwd, path: flags.report, flag: '--report' });
      const spec = getPreset(flags.preset);
      const seeds = Array.from({ length: flags.seeds }, (_, i) => flags.seedOffset + i + 1);
      if (flags.informativeness) io.err('deprecated: --informativeness sweeps the old knob; use target AUROCs (--from 0.5 --to 0.9)\n');
      const progress = countProgress(io, { label: 'sweep', every: flags.seeds });
      let report: SweepReport;
      try {
        report = sweepSignalAuroc({
          spec,
          knob: flags.informativeness ? 'informativeness' : 'signal-auroc',
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
      if (reportFile !== undefined) {
        // Loaded on use: the chart renderer is the heaviest import of the CLI.
        const { writeReport } = await import('../../report/index.js');
        const written = await writeReport({
          input: {
            title: 'MarketBench: signal sweep',
            sources: [`simulation: ${flags.preset} preset, ${flags.tasks} tasks, seeds ${seeds.join(', ')}`],
            sweep: report,
            versions: softwareVersions(),
            generatedAt: new Date().toISOString(),
          },
          outFile: reportFile,
        });
        io.err(`report: ${relative(io.cwd, written.htmlFile) || written.htmlFile}\n`);
      }
    });
};
