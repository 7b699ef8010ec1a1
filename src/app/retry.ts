import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import type { Run } from '../core/run.js';
import { ledgerPayload } from '../runtime/jobs/ledger.js';
import type { RunObserver } from '../runtime/jobs/observer.js';
import { environmentWithDotEnv } from '../runtime/providers/dotenv.js';
import { assertKeys } from '../runtime/providers/provider-keys.js';
import type { RetryPolicy } from '../runtime/providers/retry-policy.js';
import { Store } from '../runtime/store/index.js';
import type { StoredJob } from '../runtime/store/index.js';
import { market } from './market.js';

/** Options of `retry`. */
export interface RetryOptions {
  /** The store file (must exist). */
  db: string;
  /** The run whose failed jobs are run again. */
  runId: string;
  /** Folder that relative paths and `.env` are read from (default: the current folder). */
  cwd?: string;
  /** Environment for API keys (default: `process.env` plus `.env`). */
  env?: Record<string, string | undefined>;
  /** Base URL for every provider (default: the one the run recorded, if any). */
  baseUrl?: string;
  /** Jobs in flight at once (default: the run kind's default). */
  concurrency?: number;
  /** Retry policy of model calls. */
  retry?: Partial<RetryPolicy>;
  /** Receives progress events. */
  observer?: RunObserver;
  /** Stops the retry (jobs in flight are cancelled and stay failed). */
  signal?: AbortSignal;
  /** Called with what will be retried, once the inputs and keys are checked and before any call. */
  onChecked?: (plan: RetryPlan) => void;
}

/** One job to retry, as the ledger holds it. */
export interface RetriedJob {
  /** Ledger key. */
  key: string;
  /** Job kind (`forecast`, `attempt`, `market-task`, …). */
  kind: string;
  /** What it is about, e.g. `openai:gpt-5.2 django-123 direct` or `scoring slugify-spaces`. */
  label: string;
  /** `failed`, or `started` for a job a killed session left unfinished. */
  status: 'failed' | 'started';
  /** The error it ended with (null when it never ended). */
  error: string | null;
}

/** How the retried jobs ended in this session. */
export interface RetryTally {
  /** Retried jobs now done. */
  done: number;
  /** Retried jobs that failed again. */
  failed: number;
  /** Retried jobs not finished (the budget or a signal stopped the session first). */
  notStarted: number;
  /** USD paid to providers in this session. */
  sessionSpendUsd: number;
}

/** What a retry will run: the run and its unfinished jobs. */
export interface RetryPlan {
  /** The run. */
  runId: string;
  /** The run's kind. */
  kind: 'elicit' | 'attempt' | 'market';
  /** The jobs to run again (failed, or started and never finished). */
  jobs: RetriedJob[];
}

/** What `retry` returns: the plan and, when anything was retried, how the session went. */
export interface RetryResult extends RetryPlan {
  /** How the retried jobs ended (undefined when there was nothing to retry). */
  summary: RetryTally | undefined;
  /** Why the session stopped early (budget or signal). */
  stopReason: 'budget' | 'signal' | undefined;
  /** The error of the first job still failed after the retry. */
  firstError?: string;
}

/** The stored run, or a one-line error naming the store and the runs it holds. */
function runOf(store: Store, runId: string, db: string): Run {
  const run = store.getRun(runId);
  if (run) return run;
  const runs = store.listRuns().map((entry) => entry.id);
  const known = runs.length === 0 ? 'it holds no runs' : `runs: ${runs.slice(-5).join(', ')}${runs.length > 5 ? `, … (${runs.length} in all)` : ''}`;
  throw new InvalidInputError(`--run ${runId}: no such run in ${db} (${known})`);
}

function labelOf(job: StoredJob): string {
  const payload = (ledgerPayload(job).job ?? {}) as Record<string, unknown>;
  const parts = [payload.arm ?? payload.workerId, payload.taskId, payload.treatment].filter((part) => typeof part === 'string');
  return parts.length > 0 ? parts.join(' ') : job.key;
}

const RETRYABLE_KINDS = { elicit: ['forecast'], attempt: ['attempt'], market: ['market-task'] } as const;

/**
 * Runs the failed jobs of a stored run again, with the run's own settings from the store: an
 * `elicit` run's forecast calls (their stored prompts), an `attempt` run's attempts, a `market`
 * run's unfinished (task, arm) units. Finished jobs are never repeated. Checks the store, the run
 * and the keys before any call; an unknown store or run writes nothing.
 */
export async function retry(options: RetryOptions): Promise<RetryResult> {
  const cwd = options.cwd ?? process.cwd();
  const dbFile = resolve(cwd, options.db);
  if (!existsSync(dbFile) || statSync(dbFile).isDirectory()) throw new InvalidInputError(`--db ${options.db}: no such store (nothing was created); check the path`);
  const store = Store.open(dbFile);
  let closed = false;
  try {
    const run = runOf(store, options.runId, options.db);
    if (run.kind !== 'elicit' && run.kind !== 'attempt' && run.kind !== 'market') {
      throw new InvalidInputError(`run ${run.id} is a ${run.kind} run; retry reruns elicit, attempt and market runs`);
    }
    const kind = run.kind;
    const kinds: readonly string[] = RETRYABLE_KINDS[kind];
    const jobs: RetriedJob[] = [...store.listJobs({ runId: run.id, status: 'failed' }), ...store.listJobs({ runId: run.id, status: 'started' })]
      .filter((job) => kinds.includes(job.kind))
      .map((job) => ({ key: job.key, kind: job.kind, label: labelOf(job), status: job.status as 'failed' | 'started', error: job.error }));
    const plan: RetryPlan = { runId: run.id, kind, jobs };
    const env = options.env ?? environmentWithDotEnv({ cwd, env: process.env });
    const config = RunConfigSchema.parse(run.config);
    const baseUrl = options.baseUrl ?? config.baseUrl ?? undefined;
    if (jobs.length === 0) {
      options.onChecked?.(plan);
      return { ...plan, summary: undefined, stopReason: undefined };
    }
    const common = { store, runId: run.id, keys: new Set(jobs.map((job) => job.key)), env, baseUrl, cwd, config, options };
    if (kind === 'market') {
      const marketOptions = await (await import('./retry-runs.js')).marketRetryOptions(common);
      store.close();
      closed = true;
      assertKeys(marketOptions.models, env);
      options.onChecked?.(plan);
      const result = await market({ ...marketOptions.options, db: dbFile, cwd, env });
      const after = Store.open(dbFile);
      try {
        const status = new Map(after.listJobs({ runId: run.id }).map((job) => [job.key, job]));
        const ended = jobs.map((job) => status.get(job.key));
        const failed = ended.filter((job) => job?.status === 'failed');
        const summary: RetryTally = {
          done: ended.filter((job) => job?.status === 'done').length,
          failed: failed.length,
          notStarted: ended.filter((job) => job?.status !== 'done' && job?.status !== 'failed').length,
          sessionSpendUsd: result.sessionSpendUsd,
        };
        const firstError = failed[0]?.error ?? result.failedUnits[0]?.error ?? undefined;
        const stopReason = Object.values(result.stopped)[0];
        return { ...plan, summary, stopReason, ...(firstError !== undefined && { firstError }) };
      } finally {
        after.close();
      }
    }
    const runs = await import('./retry-runs.js');
    const prepared = kind === 'elicit' ? runs.prepareElicitRetry(common) : await runs.prepareAttemptRetry(common);
    assertKeys(prepared.models, env);
    options.onChecked?.(plan);
    const outcome = await prepared.run();
    const { stopReason } = outcome;
    const summary: RetryTally = { done: outcome.done, failed: outcome.failed, notStarted: outcome.notStarted, sessionSpendUsd: outcome.sessionSpendUsd };
    const firstError = summary.failed > 0 ? (store.listJobs({ runId: run.id, status: 'failed' })[0]?.error ?? undefined) : undefined;
    return { ...plan, summary, stopReason, ...(firstError !== undefined && { firstError }) };
  } finally {
    if (!closed) store.close();
  }
}

/** The parts of a stored run's configuration a retry reads (the rest is checked where it is used). */
export const RunConfigSchema = z.looseObject({
  /** Base URL the run used (credentials stripped). */
  baseUrl: z.string().nullable().optional(),
  /** The run's budget. */
  budgetUsd: z.number().nullable().optional(),
});

/** A stored run's configuration as a retry reads it. */
export type RunConfig = z.infer<typeof RunConfigSchema>;
