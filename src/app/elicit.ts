import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Task } from '../core/task.js';
import { loadForecastRows } from '../runtime/data/phase1.js';
import { loadTaskFile } from '../runtime/data/tasks-swebench.js';
import type { ElicitOptions, ElicitResult } from '../runtime/elicit/run-elicitation.js';
import type { QueueDispatcher } from '../runtime/jobs/queue/index.js';
import { environmentWithDotEnv } from '../runtime/providers/dotenv.js';
import { loadPricingFile } from '../runtime/providers/pricing.js';
import { assertKeys } from '../runtime/providers/provider-keys.js';
import { Store } from '../runtime/store/index.js';
import { checkMapsForWorkers, readCalibrationMapFile, recordRecalibrations } from '../runtime/training/index.js';

/** Options of `elicit`: those of `runElicitation`, with the store, tasks, queue and calibration maps given as files. */
export interface ElicitAppOptions extends Omit<ElicitOptions, 'store' | 'tasks' | 'tasksSource' | 'queue' | 'env'> {
  /** The store file (created if missing; a dry run does not create it). */
  db: string;
  /** Folder that relative paths and `.env` are read from (default: the current folder). */
  cwd?: string;
  /** The tasks: a task file (SWE-bench or generic JSONL) or tasks already loaded. */
  tasks: string | readonly Task[];
  /** Where the tasks came from (default: the task file's name as given). */
  tasksSource?: string;
  /** Suite name recorded on tasks read from a file (default swebench / custom). */
  suite?: string;
  /** Environment for API keys (default: `process.env` plus `.env`). */
  env?: Record<string, string | undefined>;
  /** A Redis URL: the calls run on `marketbench worker` processes, and this process needs no key. */
  queue?: string;
  /** Calibration map files (from `recalibrate`): each worker's recalibrated p is stored beside the raw p. */
  recalibrate?: readonly string[];
  /** A YAML/JSON pricing file overriding the built-in table (when `pricingTable` is not given). */
  pricingFile?: string;
  /** Treatment `card`: a phase-1 forecasts file (the paper's CSV or JSONL) to build cards from instead of the store's other runs (when `cardHistory` is not given). */
  cardHistoryFile?: string;
  /** Pricing CSV for `cardHistoryFile`. */
  cardPricingFile?: string;
  /** Called once the inputs and keys are checked, before the queue or store is opened (e.g. to print a notice). */
  onChecked?: () => void;
}

/** What `elicit` returns: the run's result, plus what the queue lost and what was recalibrated. */
export interface ElicitAppResult extends ElicitResult {
  /** Starts that ended without an answer on a queue (each charged its reservation); undefined without a queue. */
  queueLosses?: { starts: number; usd: number };
  /** Forecasts recalibrated per worker, for each map given (in the maps' order). */
  recalibrated: { workerId: string; count: number }[];
  /** The error of the run's first failed job, when any failed (for an "every call failed" line). */
  firstError?: string;
}

/**
 * Forecast elicitation as a library call: loads the tasks and calibration maps, checks the keys
 * (not for a dry run or a queue, whose workers hold them), opens the queue and the store, runs
 * `runElicitation`, records the recalibrated forecasts, and closes everything. Rerunning resumes.
 */
export async function elicit(options: ElicitAppOptions): Promise<ElicitAppResult> {
  const { db, cwd: cwdOption, tasks: tasksOption, suite, env: envOption, queue: queueUrl, recalibrate = [], onChecked, pricingFile, cardHistoryFile, cardPricingFile, ...rest } = options;
  const cwd = cwdOption ?? process.cwd();
  const pricingTable = rest.pricingTable ?? (pricingFile ? loadPricingFile(resolve(cwd, pricingFile)) : undefined);
  const cardHistory =
    rest.cardHistory ?? (cardHistoryFile ? loadForecastRows({ cwd, forecastsFile: cardHistoryFile, pricingFile: cardPricingFile }).rows : undefined);
  const cardSource = rest.cardSource ?? cardHistoryFile;
  const tasks = typeof tasksOption === 'string' ? loadTaskFile(resolve(cwd, tasksOption), { suite }) : tasksOption;
  const tasksSource = options.tasksSource ?? (typeof tasksOption === 'string' ? tasksOption : 'tasks');
  const maps = recalibrate.map((file) => readCalibrationMapFile(resolve(cwd, file)));
  checkMapsForWorkers(maps, options.models);
  const env = envOption ?? environmentWithDotEnv({ cwd, env: process.env });
  // With a queue the keys are on the workers, which check their own at start.
  if (!options.dryRun && !queueUrl) assertKeys(options.models, env);
  onChecked?.();
  const dbFile = resolve(cwd, db);
  // Checked before the store is opened: a bad queue URL, password or version writes nothing.
  const queue: QueueDispatcher | undefined =
    queueUrl && !options.dryRun ? await (await import('../runtime/jobs/queue/index.js')).openQueue(queueUrl) : undefined;
  let store: Store | undefined;
  try {
    store = options.dryRun && !existsSync(dbFile) ? undefined : Store.open(dbFile);
    // Loaded on use: the provider SDKs are the slowest import.
    const { runElicitation } = await import('../runtime/elicit/run-elicitation.js');
    const result = await runElicitation({
      ...rest,
      ...(pricingTable && { pricingTable }),
      ...(cardHistory && { cardHistory }),
      ...(cardSource !== undefined && { cardSource }),
      store,
      tasks,
      tasksSource,
      env,
      ...(queue && { queue }),
    });
    const recalibrated: ElicitAppResult['recalibrated'] = [];
    if (store && !result.dryRun && maps.length > 0) {
      const counts = recordRecalibrations({ store, runId: result.runId, maps, createdAt: new Date().toISOString() });
      for (const map of maps) recalibrated.push({ workerId: map.workerId, count: counts[map.workerId] ?? 0 });
    }
    const firstError = store && result.summary && result.summary.failed > 0 ? store.listJobs({ runId: result.runId, status: 'failed' })[0]?.error ?? undefined : undefined;
    return { ...result, recalibrated, ...(queue && { queueLosses: { ...queue.losses } }), ...(firstError !== undefined && { firstError }) };
  } finally {
    store?.close();
    await queue?.close();
  }
}
