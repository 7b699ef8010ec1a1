import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.js';
import {
  aurocOfInformativeness,
  formatGroupedResults,
  formatReplayReport,
  groupResults,
  mechanismNames,
  parseSignalAuroc,
  REPLAY_DEFAULTS,
  replayJson,
  runReplay,
  type SignalAurocSpec,
} from '../../replay/index.js';
import { loadMatrix, MATRIX_FORMATS, type MatrixFormat } from '../../runtime/data/matrix-load.js';
import { marketValueNote, Store } from '../../runtime/store/index.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { OPTION_LIMITS, parseNumberOption } from '../options.js';

/** Options of `marketbench replay` as commander parses them. */
interface ReplayCliOptions {
  matrix?: string;
  formatIn?: string;
  pricing?: string;
  tasks?: string;
  db?: string;
  run?: string;
  mechanisms?: string;
  value?: string;
  maxAttempts: string;
  seed: string;
  signalAuroc?: string;
  signalBias: string;
  informativeness?: string;
  allowZeroPrices?: boolean;
  feedback: string;
  resamples: string;
  folds: string;
  foldSeeds: string;
  arrivalSeeds: string;
  groupBy?: string;
  routerChoices?: string;
  format: string;
  perTask?: boolean;
  allPairs?: boolean;
  list?: boolean;
}

/** Recorded central-router choices from a JSONL file of `{ task_id, worker, round? }`. */
function readRouterChoices(file: string): Record<string, string[]> {
  if (!existsSync(file)) throw new InvalidInputError('router choices file not found', { file });
  const choices: Record<string, string[]> = {};
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let row: { task_id?: unknown; worker?: unknown; round?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
      } catch (error) {
        throw new InvalidInputError(`not JSON: ${(error as Error).message}`, { file, line: index + 1 });
      }
      if (typeof row.task_id !== 'string' || typeof row.worker !== 'string') {
        throw new InvalidInputError('expected { task_id, worker, round? } strings', { file, line: index + 1 });
      }
      const round = row.round === undefined ? (choices[row.task_id]?.length ?? 0) + 1 : Number(row.round);
      if (!Number.isInteger(round) || round < 1) {
        throw new InvalidInputError(`round is '${String(row.round)}'; expected a positive integer`, {
          file,
          line: index + 1,
          field: 'round',
        });
      }
      const list = choices[row.task_id] ?? [];
      list[round - 1] = row.worker;
      choices[row.task_id] = list;
    });
  return choices;
}

/** Central-router choices recorded in a store run (allocations of a mechanism named `central…`). */
function storeRouterChoices(dbFile: string, runId: string | undefined): Record<string, string[]> | undefined {
  const store = Store.open(dbFile);
  try {
    const allocations = store
      .getAllocations(runId === undefined ? {} : { runId })
      .filter((allocation) => allocation.mechanism.startsWith('central'));
    if (allocations.length === 0) return undefined;
    const choices: Record<string, string[]> = {};
    for (const allocation of allocations) {
      const worker = allocation.workerIds[0];
      if (worker === undefined) continue;
      const list = choices[allocation.taskId] ?? [];
      list[allocation.round - 1] = worker;
      choices[allocation.taskId] = list;
    }
    return choices;
  } finally {
    store.close();
  }
}

/** The signal AUROC of `--signal-auroc`, or of the deprecated `--informativeness` (with a deprecation line). */
function replaySignalAuroc(options: ReplayCliOptions, io: CliIo): SignalAurocSpec {
  if (options.informativeness !== undefined) {
    const level = parseNumberOption(options.informativeness, '--informativeness', (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
    const converted = aurocOfInformativeness(level);
    io.err(`deprecated: --informativeness ${level} is read as --signal-auroc ${converted.toFixed(3)}; use --signal-auroc\n`);
    if (options.signalAuroc === undefined) return { default: converted };
  }
  return parseSignalAuroc(options.signalAuroc ?? String(REPLAY_DEFAULTS.signalAuroc), REPLAY_DEFAULTS.signalAuroc, '--signal-auroc');
}

/** `marketbench replay`: counterfactual replay of allocation mechanisms over a task × worker matrix. */
export const registerReplay: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('replay')
    .description('replay allocation mechanisms over a task × worker matrix: solves, actual cost, welfare, payments, paired tests, cost–solve frontier')
    .option('--matrix <file>', 'matrix file (paper phase-1 rows, SWE-bench bash-only outcomes.json, or generic JSONL/CSV)')
    .option('--format-in <format>', `matrix format: ${MATRIX_FORMATS.join(', ')} (default: guessed from the file name)`)
    .option('--pricing <file>', 'blended prices: JSON { worker: usdPerToken } or the paper pricing CSV')
    .option('--tasks <file>', 'SWE-bench task JSONL to take pre-attempt task features from')
    .option('--db <file>', 'read the matrix from this store instead')
    .option('--run <id>', 'run in the store (default: every run)')
    .option('--mechanisms <specs>', 'comma-separated mechanism specs (default: all; see --list)')
    .option('--value <usd>', `value V of a solved task (also the scoring auctions' bounty; default: a market store's bounty in USD, else ${REPLAY_DEFAULTS.value})`)
    .option('--max-attempts <n>', 'most rounds per task', String(REPLAY_DEFAULTS.maxAttempts))
    .option('--seed <n>', 'seed of every random draw', String(REPLAY_DEFAULTS.seed))
    .option('--signal-auroc <auroc>', `target within-worker AUROC of synthesized forecasts (matrices without forecasts): 0.6, or per worker 0.6,<worker>=0.45 (default ${REPLAY_DEFAULTS.signalAuroc}, the paper's mean)`)
    .option('--signal-bias <logit>', 'calibration bias of synthesized forecasts, added to their log-odds (> 0 over-confident)', String(REPLAY_DEFAULTS.signalBias))
    .option('--informativeness <x>', 'deprecated: use --signal-auroc (converted to the AUROC it produced)')
    .option('--feedback <mode>', 'full (learners see every worker on other tasks, cross-fitted) or bandit (only their own earlier attempts, seeded arrival order)', 'full')
    .option('--allow-zero-prices', 'accept workers with no price and no recorded cost (their work counts as $0)')
    .option('--resamples <n>', 'paired bootstrap resamples per comparison', String(REPLAY_DEFAULTS.resamples))
    .option('--folds <k>', 'cross-fitting folds (K-fold by task)', String(REPLAY_DEFAULTS.folds))
    .option('--fold-seeds <n>', 'seeded fold assignments over which learned mechanisms are also reported as mean ± sd (1 skips it)', String(REPLAY_DEFAULTS.foldSeeds))
    .option('--arrival-seeds <n>', 'with --feedback bandit: seeded arrival orders over which learners are also reported as mean ± sd with a 95% interval (1 skips it)', String(REPLAY_DEFAULTS.arrivalSeeds))
    .option('--group-by <feature>', 'also report solved, actual cost and welfare per value of a task feature (e.g. repo)')
    .option('--router-choices <file>', 'recorded central-router choices, JSONL { task_id, worker, round? }')
    .option('--format <format>', 'table, md or json', 'table')
    .option('--per-task', 'include per-task detail in JSON output')
    .option('--all-pairs', 'print every pairwise comparison (default: against the first mechanism)')
    .option('--list', 'list the mechanism specs and exit (--format json: as a JSON array)')
    .action((options: ReplayCliOptions) => {
      if (options.list) {
        const specs = mechanismNames();
        if (options.format === 'json') {
          io.out(`${JSON.stringify(specs.map(({ syntax, description }) => ({ syntax, description })), null, 2)}\n`);
          return;
        }
        const width = Math.max(...specs.map((entry) => entry.syntax.length));
        io.out(`${specs.map((entry) => `${entry.syntax.padEnd(width)}  ${entry.description}`).join('\n')}\n`);
        return;
      }
      const format = options.format;
      if (format !== 'table' && format !== 'md' && format !== 'json') {
        throw new InvalidInputError(`--format is '${format}'; expected table, md or json`);
      }
      if ((options.matrix === undefined) === (options.db === undefined)) {
        throw new InvalidInputError('give either --matrix FILE or --db FILE');
      }
      const formatIn = options.formatIn;
      if (formatIn !== undefined && !(MATRIX_FORMATS as readonly string[]).includes(formatIn)) {
        throw new InvalidInputError(`--format-in is '${formatIn}'; expected one of ${MATRIX_FORMATS.join(', ')}`);
      }
      const loaded = loadMatrix({
        cwd: io.cwd,
        matrixFile: options.matrix,
        format: formatIn as MatrixFormat | undefined,
        pricingFile: options.pricing,
        tasksFile: options.tasks,
        dbFile: options.db,
        runId: options.run,
      });
      const { matrix, market } = loaded;
      const warnings = options.value === undefined && market ? [...loaded.warnings, marketValueNote(market)] : loaded.warnings;
      const routerChoices =
        options.routerChoices !== undefined
          ? readRouterChoices(path.resolve(io.cwd, options.routerChoices))
          : options.db !== undefined
            ? storeRouterChoices(path.resolve(io.cwd, options.db), options.run)
            : undefined;
      const mechanisms = options.mechanisms
        ?.split(',')
        .map((spec) => spec.trim())
        .filter((spec) => spec !== '');
      const signalAuroc = replaySignalAuroc(options, io);
      if (options.feedback !== 'full' && options.feedback !== 'bandit') {
        throw new InvalidInputError(`--feedback is '${options.feedback}'; expected full or bandit`);
      }
      const report = runReplay({
        matrix,
        ...(mechanisms ? { mechanisms } : {}),
        value:
          options.value === undefined
            ? (market?.valueUsd ?? REPLAY_DEFAULTS.value)
            : parseNumberOption(options.value, '--value', (n) => n >= 0 && n <= OPTION_LIMITS.valueUsd, `a number from 0 to ${OPTION_LIMITS.valueUsd}`),
        maxAttempts: parseNumberOption(options.maxAttempts, '--max-attempts', (n) => Number.isInteger(n) && n >= 1, 'a positive integer'),
        seed: parseNumberOption(options.seed, '--seed', Number.isInteger, 'an integer'),
        signalAuroc,
        signalBias: parseNumberOption(options.signalBias, '--signal-bias', Number.isFinite, 'a number'),
        allowZeroPrices: options.allowZeroPrices ?? false,
        feedback: options.feedback,
        resamples: parseNumberOption(options.resamples, '--resamples', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
        folds: parseNumberOption(options.folds, '--folds', (n) => Number.isInteger(n) && n >= 2, 'an integer ≥ 2'),
        foldSeeds: parseNumberOption(options.foldSeeds, '--fold-seeds', (n) => Number.isInteger(n) && n >= 1, 'a positive integer'),
        arrivalSeeds: parseNumberOption(options.arrivalSeeds, '--arrival-seeds', (n) => Number.isInteger(n) && n >= 1 && n <= OPTION_LIMITS.seeds, `an integer from 1 to ${OPTION_LIMITS.seeds}`),
        ...(routerChoices ? { routerChoices } : {}),
        source: options.matrix ?? options.db ?? 'matrix',
      });
      const grouped = options.groupBy === undefined ? undefined : groupResults({ report, matrix, feature: options.groupBy });
      if (format === 'json') {
        const json = replayJson(report, { perTask: options.perTask ?? false, warnings }) as Record<string, unknown>;
        io.out(`${JSON.stringify(grouped ? { ...json, groups: grouped } : json)}\n`);
        return;
      }
      for (const warning of warnings) io.err(`note: ${warning}\n`);
      io.out(formatReplayReport(report, { format, allPairs: options.allPairs ?? false }));
      if (grouped) io.out(`\n${formatGroupedResults(grouped, { format })}`);
    });
};
