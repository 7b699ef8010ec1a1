import { resolve } from 'node:path';
import { InvalidInputError } from '../core/errors.js';
import type { MarketSettingsInput, RouterSettings } from '../market/settings.js';
import type { Executor } from '../runtime/jobs/executor.js';
import type { RunObserver } from '../runtime/jobs/observer.js';
import { loadMarketFile } from '../runtime/market/market-file.js';
import type { RunMarketResult } from '../runtime/market/run-market.js';
import { environmentWithDotEnv } from '../runtime/providers/dotenv.js';
import { assertKeys } from '../runtime/providers/provider-keys.js';
import type { ProviderLimits } from '../runtime/providers/provider-limiter.js';
import { loadPricingFile } from '../runtime/providers/pricing.js';
import { PRICING_TABLE, type PricingTable } from '../runtime/providers/pricing-table.js';
import type { RetryPolicy } from '../runtime/providers/retry-policy.js';
import type { AttemptWorker } from '../runtime/scaffold/workers-file.js';
import type { QueueDispatcher } from '../runtime/jobs/queue/queue-dispatcher.js';
import { withStoreUnlessRefused } from '../runtime/store/index.js';
import { applyCalibrationMapFile } from '../reputation/index.js';
import { checkMapsForWorkers, readCalibrationMapFile, recordRecalibrations } from '../runtime/training/index.js';
import { resolveSuite } from '../runtime/suites/resolve-suite.js';
import type { Suite } from '../runtime/suites/suite.js';

/** Options of `market` (everything `marketbench market` can do). */
export interface MarketOptions {
  /** The store file (created if missing). */
  db: string;
  /** The suite: a name (`builtin`), a path, or a `Suite` object. */
  suite: string | Suite;
  /** A workers or market file (workers, router, market settings, arms, limit). */
  workersFile?: string;
  /** Workers given directly (instead of, or overriding, the file's). */
  workers?: readonly AttemptWorker[];
  /** Arms to compare (default: the market file's). */
  arms?: readonly string[];
  /** Market settings on top of the file's (bounty, currency, maxAttempts, …). */
  settings?: MarketSettingsInput;
  /** Router settings on top of the file's (`model` is needed by the `router` arm). */
  router?: Partial<RouterSettings>;
  /** Only these task ids. */
  taskIds?: readonly string[];
  /** Only the first N tasks (default: the market file's limit, else all). */
  limit?: number;
  /** Hard ceiling in USD, split evenly over the arms; counts earlier sessions. */
  budgetUsd?: number;
  /** (task, arm) units in flight at once (default 2). */
  concurrency?: number;
  /** Run id (default: derived from the inputs, so the same call resumes). */
  runId?: string;
  /** Seed of the mechanisms' random draws (default 0). */
  seed?: number;
  /** One attempt per (task, worker) across arms. */
  shareAttempts?: boolean;
  /** Use the response cache for bids, router calls and agent steps (default true). */
  cache?: boolean;
  /** Folder that relative paths and `.env` are read from (default: the current folder). */
  cwd?: string;
  /** Environment for API keys (default: `process.env` plus `.env`). */
  env?: Record<string, string | undefined>;
  /** Base URL for every provider (a local server or proxy). */
  baseUrl?: string;
  /** A pricing file merged over the built-in table. */
  pricingFile?: string;
  /** A price table (instead of `pricingFile`). */
  pricingTable?: PricingTable;
  /** Folder for trajectory files (default: `trajectories/` beside the store). */
  trajectoryDir?: string;
  /** Retry policy of model calls. */
  retry?: Partial<RetryPolicy>;
  /** Per-provider limits. */
  providerLimits?: Record<string, ProviderLimits>;
  /** Receives progress events. */
  observer?: RunObserver;
  /** Receives one line per deprecated spelling in the market file (default: standard error). */
  onDeprecation?: (line: string) => void;
  /** Stops the run. */
  signal?: AbortSignal;
  /** Where paid jobs run (default: this process). */
  executor?: Executor;
  /** A Redis URL: bids, router calls and attempts run on `marketbench worker` processes, and this process needs no key. */
  queue?: string;
  /** Start at most this many paid jobs in this session. */
  maxJobs?: number;
  /** Calibration map files (`recalibrate`), one per worker: its stated p is bid and scored through the map. */
  recalibrate?: readonly string[];
}

/** What `market` returns: the run's result and, per mapped worker, how many of its p were recalibrated. */
export type MarketResult = RunMarketResult & {
  recalibrated: Record<string, number>;
  /** Starts that ended without an answer on a queue (each charged its reservation); undefined without a queue. */
  queueLosses?: { starts: number; usd: number };
};

/**
 * The live market as a library call: reads the workers or market file, merges the given settings
 * over it, checks every provider key before creating any file, opens the store, runs the market
 * (`runMarket`) and closes the store. Rerunning the same call resumes the run.
 */
export async function market(options: MarketOptions): Promise<MarketResult> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.workersFile === undefined ? undefined : loadMarketFile(resolve(cwd, options.workersFile));
  for (const line of file?.deprecations ?? []) (options.onDeprecation ?? ((text) => process.stderr.write(`${text}\n`)))(line);
  const workers = options.workers ?? file?.workers ?? [];
  const arms = options.arms ?? file?.arms;
  if (!arms || arms.length === 0) throw new InvalidInputError('give the arms to compare: --arms scoring,router,solo:<worker> (or arms: in the market file)');
  const routerModel = options.router?.model ?? file?.router?.model;
  const router = routerModel === undefined ? undefined : { ...file?.router, ...options.router, model: routerModel };
  const env = options.env ?? environmentWithDotEnv({ cwd, env: process.env });
  // With a queue the keys are on the workers, which check their own at start.
  if (options.queue === undefined) assertKeys([...workers.filter((worker) => worker.scaffold !== 'external').map((worker) => worker.model), ...(router ? [router.model] : [])], env);
  const suiteSource = typeof options.suite === 'string' ? options.suite : options.suite.name;
  const suite = typeof options.suite === 'string' ? resolveSuite(options.suite, { cwd }) : options.suite;
  const limit = options.limit ?? file?.limit;
  const maps = (options.recalibrate ?? []).map((mapFile) => readCalibrationMapFile(resolve(cwd, mapFile)));
  checkMapsForWorkers(
    maps,
    workers.map((worker) => worker.id),
  );
  // Checked before the store is opened: a bad queue URL, password or version writes nothing.
  const queue: QueueDispatcher | undefined = options.queue === undefined ? undefined : await (await import('../runtime/jobs/queue/index.js')).openQueue(options.queue);
  try {
    return await withStoreUnlessRefused({
      path: resolve(cwd, options.db),
      // A config error found once the store is open (an unknown arm) leaves no new store behind.
      work: async (store) => {
        // Loaded on use: the provider SDKs are the slowest import.
        const { runMarket } = await import('../runtime/market/run-market.js');
        const result = await runMarket({
          store,
          suite,
          suiteSource,
          workers,
          arms,
          settings: { ...file?.market, ...options.settings },
          ...(router && { router }),
          ...(options.taskIds && { taskIds: options.taskIds }),
          ...(limit !== undefined && { limit }),
          ...(options.budgetUsd !== undefined && { budgetUsd: options.budgetUsd }),
          ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
          ...(options.runId !== undefined && { runId: options.runId }),
          ...(options.seed !== undefined && { seed: options.seed }),
          shareAttempts: options.shareAttempts ?? false,
          ...(options.cache !== undefined && { cache: options.cache }),
          env,
          ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
          pricingTable: options.pricingTable ?? (options.pricingFile ? loadPricingFile(resolve(cwd, options.pricingFile)) : PRICING_TABLE),
          ...(options.trajectoryDir !== undefined && { trajectoryDir: resolve(cwd, options.trajectoryDir) }),
          ...(options.retry && { retry: options.retry }),
          ...(options.providerLimits && { providerLimits: options.providerLimits }),
          ...(options.observer && { observer: options.observer }),
          ...(options.signal && { signal: options.signal }),
          ...(options.executor && { executor: options.executor }),
          ...(queue && { queue }),
          ...(options.maxJobs !== undefined && { maxJobs: options.maxJobs }),
          ...(maps.length > 0 && {
            recalibrate: {
              byWorker: new Map(maps.map((map) => [map.workerId, (p: number) => applyCalibrationMapFile(map, p)])),
              identity: maps.map(({ workerId, method, fit }) => ({ workerId, method, fit })),
            },
          }),
        });
        // Every stated p of a mapped worker in the run (its bids) gets its recalibrated p beside it.
        const recalibrated = maps.length > 0 ? recordRecalibrations({ store, runId: result.runId, maps, createdAt: new Date().toISOString() }) : {};
        return { ...result, recalibrated, ...(queue && { queueLosses: { ...queue.losses } }) };
      },
    });
  } finally {
    await queue?.close();
  }
}
