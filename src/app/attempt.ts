import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { QueueDispatcher } from '../runtime/jobs/queue/queue-dispatcher.js';
import { environmentWithDotEnv } from '../runtime/providers/dotenv.js';
import { loadPricingFile } from '../runtime/providers/pricing.js';
import { assertKeys } from '../runtime/providers/provider-keys.js';
import { attemptRows } from '../runtime/scaffold/attempt-rows.js';
import type { RunAttemptsOptions, RunAttemptsResult } from '../runtime/scaffold/run-attempts.js';
import { mergeSwebenchReport, predictionsJsonl, resolveSuite, swebenchPredictions } from '../runtime/suites/index.js';
import type { Suite } from '../runtime/suites/suite.js';
import { withStore } from './with-store.js';

/** Options of `attempt`: those of `runAttempts`, with the store given as a file and the post-run exports. */
export interface AttemptAppOptions extends Omit<RunAttemptsOptions, 'store' | 'suite' | 'suiteSource' | 'env' | 'queue'> {
  /** The store file (created if missing). */
  db: string;
  /** Folder that relative paths and `.env` are read from (default: the current folder). */
  cwd?: string;
  /** The suite: a name (`builtin`), a path, or a `Suite` object. */
  suite: string | Suite;
  /** Where the suite came from (default: the name or path given, or the suite's name). */
  suiteSource?: string;
  /** SWE-bench image namespace (`null` for locally built images; default `swebench`). */
  imageNamespace?: string | null;
  /** Environment for API keys (default: `process.env` plus `.env`). */
  env?: Record<string, string | undefined>;
  /** Merge the official SWE-bench harness's report (a file) into this worker's attempts after the run. */
  mergeReport?: { file: string; workerId: string };
  /** Also write the run as SWE-bench predictions JSONL to this file. */
  predictionsOut?: string;
  /** A Redis URL: the attempts run on `marketbench worker` processes, and this process needs no key. */
  queue?: string;
  /** A YAML/JSON pricing file overriding the built-in table (when `pricingTable` is not given). */
  pricingFile?: string;
  /** Called once the inputs and keys are checked, before the store is opened (e.g. to print a notice). */
  onChecked?: () => void;
}

/** What `attempt` returns: the run's result (attempts after any merge) and what the exports did. */
export interface AttemptAppResult extends RunAttemptsResult {
  /** The merged harness report: verdicts resolved and changed, report ids without an attempt. */
  merged?: { updated: number; resolved: number; missing: string[] };
  /** Predictions written to `predictionsOut`. */
  predictionsWritten?: number;
  /** The error of the run's first failed job, when any failed (for an "every attempt failed" line). */
  firstError?: string;
  /** Starts that ended without an answer on a queue (each charged its reservation); undefined without a queue. */
  queueLosses?: { starts: number; usd: number };
}

/**
 * Attempts as a library call: resolves the suite, checks the keys, opens the store, runs every
 * (task, worker) attempt (`runAttempts`), merges a harness report and writes predictions if asked,
 * and closes the store. Rerunning the same call resumes the run.
 */
export async function attempt(options: AttemptAppOptions): Promise<AttemptAppResult> {
  const { db, cwd: cwdOption, suite: suiteOption, imageNamespace, env: envOption, mergeReport, predictionsOut, onChecked, queue: queueUrl, pricingFile, ...rest } = options;
  const cwd = cwdOption ?? process.cwd();
  const pricingTable = rest.pricingTable ?? (pricingFile ? loadPricingFile(resolve(cwd, pricingFile)) : undefined);
  const suite = typeof suiteOption === 'string' ? resolveSuite(suiteOption, { cwd, namespace: imageNamespace === undefined ? 'swebench' : imageNamespace }) : suiteOption;
  const suiteSource = options.suiteSource ?? (typeof suiteOption === 'string' ? suiteOption : suiteOption.name);
  const env = envOption ?? environmentWithDotEnv({ cwd, env: process.env });
  // With a queue the keys are on the workers, which check their own at start.
  if (!queueUrl) assertKeys(options.workers.filter((worker) => worker.scaffold !== 'external').map((worker) => worker.model), env);
  onChecked?.();
  // Loaded on use: the provider SDKs are the slowest import.
  const { runAttempts } = await import('../runtime/scaffold/run-attempts.js');
  // Checked before the store is opened: a bad queue URL, password or version writes nothing.
  const queue: QueueDispatcher | undefined = queueUrl ? await (await import('../runtime/jobs/queue/index.js')).openQueue(queueUrl) : undefined;
  try {
    return await withStore({ db, cwd }, async (store) => {
      const result: AttemptAppResult = await runAttempts({
        ...rest,
        ...(pricingTable && { pricingTable }),
        store,
        suite,
        suiteSource,
        env,
        ...(queue && { queue, imageNamespace: imageNamespace === undefined ? 'swebench' : imageNamespace }),
      });
      if (queue) result.queueLosses = { ...queue.losses };
      const firstError = result.summary.failed > 0 ? store.listJobs({ runId: result.runId, status: 'failed' })[0]?.error ?? undefined : undefined;
      if (firstError !== undefined) result.firstError = firstError;
      if (mergeReport) {
        result.merged = mergeSwebenchReport(store, { runId: result.runId, workerId: mergeReport.workerId, file: resolve(cwd, mergeReport.file) });
        result.attempts = attemptRows(store, result.runId);
      }
      if (predictionsOut) {
        const predictions = swebenchPredictions(store, { runId: result.runId });
        writeFileSync(resolve(cwd, predictionsOut), predictionsJsonl(predictions));
        result.predictionsWritten = predictions.length;
      }
      return result;
    });
  } finally {
    await queue?.close();
  }
}
