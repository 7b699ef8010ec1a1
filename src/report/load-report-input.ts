import { resolve } from 'node:path';
import { DEFAULTS, type LabeledForecast, cellKey, InvalidInputError, type Matrix, Random } from '../core/index.js';
import { analyzeRows } from '../metrics/analyze.js';
import { type Feedback, groupResults, runReplay } from '../replay/index.js';
import { type MatrixFormat, loadMatrix } from '../runtime/data/matrix-load.js';
import { loadForecastRows } from '../runtime/data/phase1.js';
import { type StoredMarket, storedMarketComparison } from '../runtime/market/stored-comparison.js';
import { marketValueNote, Store } from '../runtime/store/index.js';
import type { ReportInput } from './build-report.js';
import { signalWorth } from './signal-worth.js';

/** Where a report's data comes from, and the analysis and replay settings. */
export interface ReportSource {
  /** Working directory for relative paths. */
  cwd: string;
  /** Store file (`--db`). */
  dbFile?: string | undefined;
  /** Run in the store (`--run`); every run when omitted. */
  runId?: string | undefined;
  /** Phase-1 forecasts file (`--forecasts`). */
  forecastsFile?: string | undefined;
  /** Pricing file (`--pricing`). */
  pricingFile?: string | undefined;
  /** Matrix file (`--matrix`). */
  matrixFile?: string | undefined;
  /** Format of the matrix file; guessed when omitted. */
  matrixFormat?: MatrixFormat | undefined;
  /** Seed of the analysis and the replay. */
  seed: number;
  /** Failure penalty F of the reserve auction, USD. */
  penalty: number;
  /** R of the reserve r ~ U[0, R], USD. */
  maxReserve: number;
  /** Monte Carlo draws per task of the reserve auction. */
  draws: number;
  /** Bootstrap resamples (analysis and paired comparisons). */
  resamples: number;
  /** Principal's value per solved task, USD (default: the bounty of the store's market run, when it has one, else $1). */
  value?: number | undefined;
  /** Most attempts per task in the replay. */
  maxAttempts: number;
  /** Feedback of the replay's learners (default full). */
  feedback?: Feedback | undefined;
  /** Fold assignments behind the learned mechanisms' spread under full feedback (replay's default when omitted). */
  foldSeeds?: number | undefined;
  /** Arrival orders behind the learners' spread under bandit feedback (replay's default when omitted). */
  arrivalSeeds?: number | undefined;
  /** A task feature to split the replay's results by (e.g. `repo`). */
  groupBy?: string | undefined;
  /** Target AUROCs at which to replay the markets with synthesized forecasts (the worth table); none when omitted. */
  signalAurocs?: number[] | undefined;
}

/** Labeled forecasts read off a matrix's cells that carry a stated p. */
export function matrixRows(matrix: Matrix): LabeledForecast[] {
  const rows: LabeledForecast[] = [];
  for (const taskId of matrix.taskIds) {
    for (const workerId of matrix.workerIds) {
      const cell = matrix.cells.get(cellKey(taskId, workerId));
      if (!cell || cell.p === null) continue;
      const repo = matrix.taskFeatures[taskId]?.repo;
      rows.push({
        taskId,
        workerId,
        treatment: 'direct',
        p: cell.p,
        expectedTokens: cell.expectedTokens,
        y: cell.resolved ? 1 : 0,
        tokens: cell.tokens,
        costUsd: cell.costUsd,
        blendedPrice: matrix.blendedPrice[workerId] ?? null,
        groups: repo === undefined ? {} : { repo: String(repo) },
      });
    }
  }
  return rows;
}

/** The stored comparison of a market run; undefined when the run is of another kind. */
function marketOfRun(dbFile: string, runId: string): StoredMarket | undefined {
  const store = Store.open(dbFile);
  try {
    return store.getRun(runId)?.kind === 'market' ? storedMarketComparison(store, runId) : undefined;
  } finally {
    store.close();
  }
}

/**
 * What in a store's report is synthetic: the workers, among `ids`, whose model is the offline mock
 * provider, and the simulated runs shown (the given run, or every run).
 */
function syntheticOf(dbFile: string, input: { ids: ReadonlySet<string>; runId: string | undefined }): { mockWorkers: string[]; simulatedRuns: string[] } {
  const store = Store.open(dbFile);
  try {
    const mockWorkers = store
      .getWorkers()
      .filter((worker) => input.ids.has(worker.id) && worker.model.startsWith('mock:'))
      .map((worker) => worker.id)
      .sort();
    const simulatedRuns = store
      .listRuns()
      .filter((run) => run.kind === 'simulate' && (input.runId === undefined || run.id === input.runId))
      .map((run) => run.id);
    return { mockWorkers, simulatedRuns };
  } finally {
    store.close();
  }
}

/**
 * Loads the data of a report and computes what it shows: the Phase I analysis of the forecasts
 * (when any have outcomes) and the replay of every default mechanism over the matrix (when one
 * can be formed).
 */
export function loadReportInput(source: ReportSource, meta: Pick<ReportInput, 'versions' | 'generatedAt'>): ReportInput {
  const given = [source.dbFile, source.forecastsFile, source.matrixFile].filter((value) => value !== undefined);
  if (given.length !== 1) throw new InvalidInputError('give exactly one of --db FILE, --forecasts FILE (with --pricing FILE) or --matrix FILE');
  let rows: LabeledForecast[] = [];
  let matrix: Matrix | undefined;
  const sources: string[] = [];
  let market: StoredMarket | undefined;
  const matrixNotes: string[] = [];
  let value = source.value ?? DEFAULTS.valueUsd;
  let noRowsReason: string | undefined;
  if (source.dbFile !== undefined) {
    // A market run whose arms take no bids (solo, parallel) has outcomes and a live-market
    // section but nothing to calibrate: it is reported without the forecast sections.
    const loadedRows = loadForecastRows({ cwd: source.cwd, dbFile: source.dbFile, runId: source.runId, allowEmpty: true });
    rows = loadedRows.rows;
    noRowsReason = loadedRows.emptyReason;
    if (source.runId !== undefined) market = marketOfRun(resolve(source.cwd, source.dbFile), source.runId);
    const loaded = loadMatrix({ cwd: source.cwd, dbFile: source.dbFile, runId: source.runId, pricingFile: source.pricingFile });
    matrix = loaded.matrix;
    matrixNotes.push(...loaded.warnings);
    sources.push(`store ${source.dbFile}${source.runId ? `, run ${source.runId}` : ', every run'}`);
    if (source.value === undefined && loaded.market) {
      value = loaded.market.valueUsd;
      matrixNotes.push(marketValueNote(loaded.market));
    }
  } else if (source.forecastsFile !== undefined) {
    rows = loadForecastRows({ cwd: source.cwd, forecastsFile: source.forecastsFile, pricingFile: source.pricingFile }).rows;
    matrix = loadMatrix({ cwd: source.cwd, matrixFile: source.forecastsFile, format: 'paper', pricingFile: source.pricingFile }).matrix;
    sources.push(`phase-1 forecasts ${source.forecastsFile}`);
  } else if (source.matrixFile !== undefined) {
    matrix = loadMatrix({
      cwd: source.cwd,
      matrixFile: source.matrixFile,
      format: source.matrixFormat,
      pricingFile: source.pricingFile,
    }).matrix;
    rows = matrixRows(matrix);
    sources.push(`matrix ${source.matrixFile}`);
  }
  if (source.pricingFile !== undefined) sources.push(`pricing ${source.pricingFile}`);
  const input: ReportInput = { title: 'MarketBench report', sources, ...meta };
  if (market) input.market = market;
  if (source.dbFile !== undefined) {
    const shown = new Set([...rows.map((row) => row.workerId), ...(matrix?.workerIds ?? [])]);
    const synthetic = syntheticOf(resolve(source.cwd, source.dbFile), { ids: shown, runId: source.runId });
    if (synthetic.mockWorkers.length > 0) input.mockWorkers = synthetic.mockWorkers;
    if (synthetic.simulatedRuns.length > 0) input.simulatedRuns = synthetic.simulatedRuns;
  }
  if (rows.length > 0) {
    input.rows = rows;
    input.analysis = analyzeRows(rows, {
      random: new Random(source.seed),
      penalty: source.penalty,
      maxReserve: source.maxReserve,
      draws: source.draws,
      resamples: source.resamples,
    });
  }
  if (matrix && matrix.taskIds.length > 0 && matrix.workerIds.length > 0) {
    if (matrixNotes.length > 0) input.replayNotes = matrixNotes;
    input.replay = runReplay({
      matrix,
      value,
      maxAttempts: source.maxAttempts,
      seed: source.seed,
      resamples: source.resamples,
      ...(source.feedback === undefined ? {} : { feedback: source.feedback }),
      ...(source.foldSeeds === undefined ? {} : { foldSeeds: source.foldSeeds }),
      ...(source.arrivalSeeds === undefined ? {} : { arrivalSeeds: source.arrivalSeeds }),
    });
    if (source.signalAurocs !== undefined && source.signalAurocs.length > 0) {
      input.signalWorth = signalWorth({ matrix, levels: source.signalAurocs, value, maxAttempts: source.maxAttempts, seed: source.seed });
    }
    if (source.groupBy !== undefined) input.groups = groupResults({ report: input.replay, matrix, feature: source.groupBy });
  } else if (source.groupBy !== undefined) {
    throw new InvalidInputError(`--group-by ${source.groupBy}: there is no outcome matrix to replay`, { field: 'group-by' });
  }
  if (!input.analysis && !input.replay && !input.market) throw new InvalidInputError(noRowsReason ?? 'no forecasts with outcomes and no outcome matrix to report on');
  return input;
}
