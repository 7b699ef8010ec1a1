import { dirname, join } from 'node:path';
import type { Attempt } from '../../core/attempt.js';
import type { Task } from '../../core/task.js';
import type { Job, JobContext, JobFunction, JobOutcome } from '../jobs/job.js';
import type { PaidRunOptions } from '../providers/paid-run-options.js';
import { ProviderLimiters } from '../providers/provider-limiter.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import { type ResponseCache, storeResponseCache } from '../providers/response-cache.js';
import type { RetryPolicy } from '../providers/retry-policy.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Store } from '../store/store.js';
import type { Evaluation, Suite } from '../suites/suite.js';
import type { AgentRun } from './agent-run.js';
import type { AttemptCaps } from './attempt-caps.js';
import { type AttemptPayload, type AttemptRecords, type AttemptResult, PendingEvaluationSchema, type PendingEvaluation } from './attempt-job.js';
import { DEFAULT_AGENT_MAX_OUTPUT_TOKENS } from './attempt-jobs.js';
import { classifyAgentRun, infrastructureFailure } from './attempt-outcome.js';
import { runBashAgent } from './bash-agent.js';
import { runExternalAgent } from './external-agent.js';
import { runOneShotPatch } from './one-shot.js';
import { providerAgentModel } from './provider-agent-model.js';
import { fileTrajectorySink } from './trajectory.js';
import type { AttemptWorker } from './workers-file.js';

/** What the attempt executor needs. */
export interface AttemptExecutorOptions {
  /** The suite (workspaces and evaluation). */
  suite: Suite;
  /** Tasks by id. */
  tasks: ReadonlyMap<string, Task>;
  /** Workers by id. */
  workers: ReadonlyMap<string, AttemptWorker>;
  /** Resolved models by worker id (absent for external agents). */
  models: ReadonlyMap<string, ResolvedModel>;
  /** Per-provider limiters. */
  limiters: ProviderLimiters;
  /** Folder for per-step trajectory files (`<dir>/<run>/<job key>.json`). */
  trajectoryDir: string;
  /** Environment to pick `passEnv` variables from for external agents. */
  env: Record<string, string | undefined>;
  /** Retry policy overrides of model calls. */
  retry?: Partial<RetryPolicy>;
  /** Response cache of the agents' calls (undefined: off); each attempt's calls are salted with its job key. */
  cache?: ResponseCache | undefined;
}

/** The agent result a failed evaluation left in the ledger's `result`, if any (read through its schema). */
function pendingEvaluation(previousResult: unknown): PendingEvaluation | undefined {
  const parsed = PendingEvaluationSchema.safeParse(previousResult);
  return parsed.success ? parsed.data : undefined;
}

/** Runs the worker's scaffold on a fresh workspace of the task. */
async function runAgent(input: {
  options: AttemptExecutorOptions;
  worker: AttemptWorker;
  task: Task;
  context: JobContext;
  trajectoryRef: string;
  jobKey: string;
  caps?: AttemptCaps;
}): Promise<AgentRun> {
  const { options, worker, task, context } = input;
  const passEnv: Record<string, string> = {};
  for (const name of worker.options.passEnv ?? []) {
    const value = options.env[name];
    if (value !== undefined) passEnv[name] = value;
  }
  const external = worker.scaffold === 'external';
  const sandbox: Sandbox = await options.suite.startWorkspace(task, {
    network: external && worker.options.network === true,
    env: external ? passEnv : undefined,
  });
  const onStep = fileTrajectorySink(input.trajectoryRef);
  const instructions = withOperatorContext(options.suite.instructions(task), worker.persona);
  try {
    if (external) {
      const run = await runExternalAgent({
        sandbox,
        task,
        instructions,
        command: worker.options.command as string,
        timeoutMs: (worker.options.timeoutSeconds ?? 1800) * 1000,
        pricing: worker.pricing ?? options.models.get(worker.id)?.pricing,
        onStep,
        secrets: Object.values(passEnv),
        caps: input.caps,
      });
      context.reservation.settle(run.costUsd);
      return run;
    }
    const resolved = options.models.get(worker.id) as ResolvedModel;
    const model = providerAgentModel({
      model: resolved,
      maxOutputTokens: worker.options.maxOutputTokens ?? DEFAULT_AGENT_MAX_OUTPUT_TOKENS,
      temperature: worker.options.temperature,
      reservation: context.reservation,
      budget: context.budget,
      limiter: options.limiters.get(resolved.prefix, resolved.provider),
      signal: context.signal,
      retry: options.retry,
      // Salted with the job key: a rerun of this attempt replays its own steps, while another
      // attempt (another run, arm, caps or repeat) is a fresh sample and asks afresh.
      cache: options.cache,
      cacheSalt: input.jobKey,
    });
    if (worker.scaffold === 'one-shot') {
      return await runOneShotPatch({ model, sandbox, task, instructions, maxContextChars: worker.options.maxContextChars, onStep });
    }
    return await runBashAgent({
      model,
      sandbox,
      task,
      instructions,
      onStep,
      caps: input.caps,
      limits: {
        maxSteps: worker.options.maxSteps,
        maxCostUsd: worker.options.maxCostUsd,
        maxWallMs: worker.options.maxWallSeconds === undefined ? undefined : worker.options.maxWallSeconds * 1000,
        commandTimeoutMs: worker.options.commandTimeoutSeconds === undefined ? undefined : worker.options.commandTimeoutSeconds * 1000,
        observationChars: worker.options.observationChars,
      },
    });
  } finally {
    await sandbox.dispose();
  }
}

/**
 * Runs one attempt job: a fresh sandbox with the task's workspace, the worker's scaffold (its
 * trajectory saved to a file after every step), then the suite's evaluator on the resulting patch
 * in another fresh sandbox. The attempt row (outcome, tokens, cost, wall time, trajectory with the
 * patch and the verdict) is written with the ledger's `done`. An attempt cut short by the budget
 * or a signal ends `failed` without a row (a rerun retries it); when only the evaluation failed,
 * the agent's result stays in the ledger and a rerun re-evaluates without paying again. With a
 * response cache, a rerun of an attempt cut short replays the model calls it made before (same
 * conversation so far) without paying for them: the job is charged only the new calls, while the
 * attempt's outcome counts every step's cost.
 */
export function makeAttemptExecutor(options: AttemptExecutorOptions): JobFunction<AttemptPayload, AttemptResult | PendingEvaluation, AttemptRecords> {
  return async (job: Job<AttemptPayload>, context: JobContext): Promise<JobOutcome<AttemptResult | PendingEvaluation, AttemptRecords>> => {
    const { payload } = job;
    const task = options.tasks.get(payload.taskId) as Task;
    const worker = options.workers.get(payload.workerId) as AttemptWorker;
    const trajectoryRef = join(options.trajectoryDir, payload.runId, `${job.key}.json`);
    const previous = pendingEvaluation(context.previousResult);
    let agent: Omit<AgentRun, 'trajectory' | 'spentUsd'> & { trajectory?: AgentRun['trajectory'] };
    let spentUsd = 0;
    if (previous?.stage === 'evaluate') {
      agent = previous.agent;
    } else {
      let run: AgentRun;
      try {
        run = await runAgent({ options, worker, task, context, trajectoryRef, jobKey: job.key, caps: payload.caps });
      } catch (error) {
        return infrastructureFailure({ stage: 'sandbox', error, spentUsd: 0 });
      }
      agent = run;
      spentUsd = run.spentUsd;
      const verdict = classifyAgentRun(run);
      if (verdict.kind === 'retry') return verdict.outcome;
    }
    const { trajectory, ...summary } = agent;
    let evaluation: Evaluation;
    try {
      evaluation = await options.suite.evaluate({ task, patch: agent.patch });
    } catch (error) {
      // Evaluators turn anything after the patch applied into an unresolved verdict; what still
      // throws is the harness's (no sandbox for the judge), so the job is retried, re-evaluating only.
      const pending: PendingEvaluation = { stage: 'evaluate', agent: summary, trajectoryRef };
      return infrastructureFailure({ stage: 'evaluation', error, spentUsd, result: pending });
    }
    const attempt: Attempt = {
      taskId: task.id,
      workerId: worker.id,
      round: payload.round ?? 1,
      outcome: {
        resolved: evaluation.resolved,
        inputTokens: agent.usage.inputTokens,
        outputTokens: agent.usage.outputTokens,
        cachedTokens: agent.usage.cachedInputTokens,
        costUsd: agent.costUsd,
        wallTimeMs: agent.wallTimeMs,
        trajectoryRef,
        exitReason: agent.exitReason,
      },
    };
    const stored = {
      ...(trajectory ?? { scaffold: worker.scaffold, patch: agent.patch, exitReason: agent.exitReason }),
      evaluation: { resolved: evaluation.resolved, patchApplied: evaluation.patchApplied, detail: evaluation.detail, passed: evaluation.passed, failed: evaluation.failed, log: evaluation.log },
    };
    return {
      status: 'done',
      spentUsd,
      note: `${evaluation.resolved ? 'resolved' : 'unresolved'} (${agent.exitReason}, ${agent.steps} steps)`,
      result: { resolved: evaluation.resolved, exitReason: agent.exitReason, steps: agent.steps, formatErrors: agent.formatErrors, costUsd: agent.costUsd },
      records: { attempt, trajectory: stored },
    };
  };
}

/**
 * The suite's instructions with the worker's operator context (its `persona`) in front: the
 * context is part of the worker bundle, so it goes to every scaffold, not only to bid prompts.
 */
export function withOperatorContext(instructions: string, persona: string | undefined): string {
  return persona ? `Operator context: ${persona.trim()}\n\n${instructions}` : instructions;
}

/**
 * The attempt executor of a run (`attempt` or `market`): tasks and workers by id, one limiter per
 * provider, trajectory files under `trajectories/` beside the store unless a folder is given, and
 * the store's response cache for the agents' calls (the one elicit, bids and router calls use).
 */
export function runAttemptExecutor(input: {
  /** The store. */
  store: Store;
  /** The suite. */
  suite: Suite;
  /** The run's tasks. */
  tasks: readonly Task[];
  /** The run's workers. */
  workers: readonly AttemptWorker[];
  /** Resolved models by worker id. */
  models: ReadonlyMap<string, ResolvedModel>;
  /** The run's options that concern attempts (`cache: false` turns the agents' response cache off). */
  options: Pick<PaidRunOptions, 'providerLimits' | 'env' | 'retry'> & { trajectoryDir?: string; cache?: boolean };
}): JobFunction<AttemptPayload, AttemptResult | PendingEvaluation, AttemptRecords> {
  const { store, options } = input;
  return makeAttemptExecutor({
    suite: input.suite,
    tasks: new Map(input.tasks.map((task) => [task.id, task])),
    workers: new Map(input.workers.map((worker) => [worker.id, worker])),
    models: input.models,
    limiters: new ProviderLimiters(options.providerLimits),
    trajectoryDir: options.trajectoryDir ?? join(dirname(store.file), 'trajectories'),
    env: options.env,
    retry: options.retry,
    cache: options.cache === false ? undefined : storeResponseCache(store),
  });
}
