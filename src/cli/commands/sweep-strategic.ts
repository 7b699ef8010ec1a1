import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { incentivesTable } from '../../report/incentives-section.js';
import { markdownTable } from '../../report/markdown-table.js';
import {
  getPreset,
  STRATEGIC_DEFAULTS,
  STRATEGIC_MECHANISMS,
  type StrategicMechanism,
  type StrategicSweepReport,
  strategicWorkersFromPreset,
  sweepStrategic,
} from '../../sim/index.js';
import type { CliIo } from '../command-spec.js';
import { integerOption, numberOption } from '../options.js';
import { softwareVersions } from '../version.js';
import { countProgress } from '../progress.js';

/** Parses `--mechanisms reserve,scoring,...` (strategic sweep). */
export function strategicMechanismsOption(value: string): StrategicMechanism[] {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) {
    if (!(STRATEGIC_MECHANISMS as readonly string[]).includes(name)) {
      throw new InvalidInputError(`--mechanisms: unknown mechanism '${name}'; expected some of ${STRATEGIC_MECHANISMS.join(', ')}`, {
        field: '--mechanisms',
      });
    }
  }
  if (names.length === 0) throw new InvalidInputError('--mechanisms is empty', { field: '--mechanisms' });
  return names as StrategicMechanism[];
}

/** Adds the strategic-bidders options to `sweep` (kept here so `sweep.ts` changes by a few lines). */
export function addStrategicOptions(command: Command): Command {
  command
    .option('--strategic', 'strategic bidders: workers learn how to shade p and the ask under each mechanism')
    .option('--mechanisms <list>', `with --strategic: mechanisms to repeat, of ${STRATEGIC_MECHANISMS.join(',')}`, strategicMechanismsOption)
    .option('--rounds <n>', `with --strategic: rounds of each repeated game (default ${STRATEGIC_DEFAULTS.rounds})`, integerOption('--rounds', 1))
    .option('--penalty <usd>', `with --strategic: failure penalty F of the reserve auction (default ${STRATEGIC_DEFAULTS.reservePenalty})`, numberOption('--penalty', 0))
    .option('--report <file>', 'also write an HTML report: the "sweep" section (levels with SE, crossings with intervals), or with --strategic the "incentives" section');
  if (!command.options.some((option) => option.long === '--signal-auroc')) {
    command.option('--signal-auroc <x>', `with --strategic: AUROC of every worker's private signal (default ${STRATEGIC_DEFAULTS.signalAuroc})`, numberOption('--signal-auroc', 0.5, 0.99));
  }
  return command;
}

/** Flags the strategic sweep reads. */
export interface StrategicFlags {
  preset: string;
  tasks: number;
  seeds: number;
  value: number;
  format: 'table' | 'json';
  mechanisms?: StrategicMechanism[];
  rounds?: number;
  penalty?: number;
  signalAuroc?: unknown;
  report?: string;
}

/** Runs `sweep --strategic` and prints its table (or JSON). */
export async function runStrategicSweep(options: { flags: StrategicFlags; io: CliIo; command: Command }): Promise<void> {
  const { flags, io, command } = options;
  const tasks = command.getOptionValueSource('tasks') === 'default' ? STRATEGIC_DEFAULTS.tasks : flags.tasks;
  const signalAuroc = typeof flags.signalAuroc === 'number' ? flags.signalAuroc : STRATEGIC_DEFAULTS.signalAuroc;
  const mechanisms = flags.mechanisms ?? [...STRATEGIC_MECHANISMS];
  const seeds = Array.from({ length: flags.seeds }, (_, i) => i + 1);
  const progress = countProgress(io, { label: 'strategic sweep', every: 1 });
  let report: StrategicSweepReport;
  try {
    report = sweepStrategic({
      workers: strategicWorkersFromPreset(getPreset(flags.preset)),
      mechanisms,
      tasks,
      rounds: flags.rounds ?? STRATEGIC_DEFAULTS.rounds,
      seeds,
      signalAuroc,
      params: { value: flags.value, ...(flags.penalty === undefined ? {} : { reservePenalty: flags.penalty }) },
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  io.out(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : strategicSweepText(report, flags.preset));
  if (flags.report !== undefined) {
    // Loaded on use: the chart renderer is the heaviest import of the CLI.
    const { writeReport } = await import('../../report/index.js');
    const written = await writeReport({
      input: {
        title: 'MarketBench: strategic bidders',
        sources: [`simulation: ${flags.preset} preset, seeds ${seeds.join(', ')}`],
        incentives: report,
        versions: softwareVersions(),
        generatedAt: new Date().toISOString(),
      },
      outFile: resolve(io.cwd, flags.report),
    });
    io.err(`report: ${relative(io.cwd, written.htmlFile) || written.htmlFile}\n`);
  }
}

/** The strategic sweep as text: the converged table and each mechanism's per-worker play. */
export function strategicSweepText(report: StrategicSweepReport, population: string): string {
  const { settings } = report;
  // The same converged table the report's incentives section shows.
  const { columns, numeric, rows } = incentivesTable(report);
  const main = markdownTable({ columns, numeric, rows });
  const perWorker = markdownTable({
    columns: ['worker', ...report.mechanisms.map((m) => `${m.mechanism}: p shift / ask shading / profit $/task`)],
    rows: settings.workers.map((worker, w) => [
      worker.id,
      ...report.mechanisms.map((m) => {
        const entry = m.workers[w]!;
        return `${entry.pShift.toFixed(3)} / ${entry.askShading.toFixed(2)} / ${entry.profitPerTask.toFixed(4)}`;
      }),
    ]),
  });
  return [
    `Strategic bidders: ${population} population (${settings.workers.length} workers), ${settings.tasks} tasks a round, ${settings.rounds} rounds, seeds ${settings.seeds.join(', ')}, V = $${settings.params.value}, one attempt per task.`,
    `Signals: AUROC ${settings.signalAuroc} asked, ${report.realizedAuroc.toFixed(3)} realised (Brier ${report.realizedBrier.toFixed(3)}); honest p is each worker's calibrated belief.`,
    `Learner: ${settings.learner}; reports: p + {${settings.grid.pShifts.join(', ')}} × ask·(1 + {${settings.grid.askShadings.join(', ')}}).`,
    `Converged = mean over the last ${settings.convergedRounds} rounds; intervals are 95% t-intervals over seeds; welfare = V·solved − actual cost; loss = honest − learned welfare on the same draws.`,
    '',
    main,
    '',
    'Per worker (means over seeds):',
    '',
    perWorker,
    '',
  ].join('\n');
}
