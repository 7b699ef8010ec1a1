import { z } from 'zod';
import { AllocationSchema } from '../../core/allocation.js';
import type { Task } from '../../core/task.js';
import type { MarketArm } from '../../market/arms.js';
import { type UnitResult, UnitResultSchema } from '../../market/unit-result.js';
import { Budget } from '../jobs/budget.js';
import { LocalExecutor } from '../jobs/executor.js';
import { defineJobKind } from '../jobs/job.js';
import { JobEngine } from '../jobs/job-engine.js';
import { doneJobResults, priorRunSpendUsd } from '../jobs/ledger.js';
import type { RunObserver, RunSummary } from '../jobs/observer.js';
import { jobKey } from '../store/job-key.js';
import type { StepStop } from './clear-task.js';
import type { UnitOutcome } from './unit-runner.js';

/** The payload of a market task: which task under which arm (everything else comes from the run and the store). */
export const MarketTaskPayloadSchema = z.object({
  /** The arm's label. */
  arm: z.string(),
  /** The task. */
  taskId: z.string(),
});

/**
 * The market-task job: one task under one arm, run by the coordinator as a chain of paid jobs
 * (bids → clear → attempt → evaluate → next round); its result is the unit's record and its
 * records the allocations, one per round.
 */
export const MARKET_TASK_JOB = defineJobKind({
  kind: 'market-task',
  payload: MarketTaskPayloadSchema,
  result: UnitResultSchema,
  records: z.array(AllocationSchema),
  commit: ({ store, job, records }) => {
    for (const allocation of records) store.putAllocation({ runId: job.runId, allocation });
  },
});

/** Ledger key of one task under one arm. */
export function unitJobKey(input: { runId: string; taskId: string; arm: string }): string {
  return jobKey({ run: input.runId, task: input.taskId, arm: input.arm, kind: 'market-task' });
}

/** What `runMarketUnits` returns. */
export interface MarketUnitsResult {
  /** Every finished (task, arm), earlier sessions included. */
  units: UnitResult[];
  /** Units that could not finish for another reason in this session (a rerun retries them). */
  failedUnits: { arm: string; taskId: string; error: string }[];
  /** USD paid to providers in this session. */
  sessionSpendUsd: number;
  /** USD paid over every session of the run. */
  totalSpendUsd: number;
}

/**
 * Runs the (task, arm) units of a market run, task by task with the arms interleaved, at most
 * `concurrency` at once: each a `market-task` job of its own engine (so progress observers see one
 * job per unit) whose function runs the unit. Units done in an earlier session are skipped; an arm
 * whose budget or the signal stopped it launches no more units. Marks the run `done` when every
 * unit is done, else `stopped`.
 */
export async function runMarketUnits(options: {
  /** The run's engine for paid steps (its store and run id are the run's). */
  engine: JobEngine;
  /** The run's tasks, in order. */
  tasks: readonly Task[];
  /** The arms, in order. */
  arms: readonly MarketArm[];
  /** Runs one unit. */
  runUnit: (arm: MarketArm, task: Task) => Promise<UnitOutcome | StepStop>;
  /** Arms that stopped (shared with the unit runner). */
  stopped: Map<string, 'budget' | 'signal'>;
  /** Units in flight at once. */
  concurrency: number;
  /** The run's budget (for events). */
  budgetUsd: number | undefined;
  /** USD each arm consumed in earlier sessions (for the event log). */
  priorUsd: Record<string, number>;
  /** The ledger's spend before this session. */
  ledgerBefore: number;
  /** Receives one job per unit. */
  observer?: RunObserver;
}): Promise<MarketUnitsResult> {
  const { engine, stopped, observer } = options;
  const { store, runId } = engine;
  const pending: { arm: MarketArm; task: Task; key: string }[] = [];
  const done = doneJobResults(store, { runId, kind: MARKET_TASK_JOB.kind, result: UnitResultSchema });
  for (const task of options.tasks) {
    for (const arm of options.arms) {
      const key = unitJobKey({ runId, taskId: task.id, arm: arm.storedName });
      if (!done.has(key)) pending.push({ arm, task, key });
    }
  }
  const byKey = new Map(pending.map((unit) => [unit.key, unit]));
  const stops = new Map<string, StepStop>();
  const executor = new LocalExecutor().register(MARKET_TASK_JOB.kind, async (job) => {
    const unit = byKey.get(job.key);
    if (!unit) return { status: 'failed', spentUsd: 0, error: `unknown market task ${job.key}` };
    const outcome = await options.runUnit(unit.arm, unit.task);
    if ('result' in outcome) {
      const note = outcome.result.solved ? `solved by ${outcome.result.attempts.find((attempt) => attempt.resolved)?.workerId}` : 'unsolved';
      // Its money is recorded by its paid jobs; the unit itself costs nothing more.
      return { status: 'done', spentUsd: 0, result: outcome.result, records: outcome.allocations, note };
    }
    stops.set(job.key, outcome);
    return { status: 'failed', spentUsd: 0, error: outcome.error ?? outcome.stop };
  });
  const units = new JobEngine({ store, runId, executor, observer, signal: engine.signal });
  const free = new Budget();
  const total = options.tasks.length * options.arms.length;
  const skipped = total - pending.length;
  observer?.onEvent({ type: 'run-start', runId, total, skipped, budgetUsd: options.budgetUsd ?? Infinity, priorSpendUsd: options.ledgerBefore });
  store.appendEvent({ runId, type: 'run-start', data: { units: total, skipped, budgetUsd: options.budgetUsd ?? null, priorUsd: options.priorUsd } });

  const failedUnits: MarketUnitsResult['failedUnits'] = [];
  let next = 0;
  let finished = 0;
  let notStarted = 0;
  const worker = async () => {
    while (next < pending.length) {
      const unit = pending[next++] as (typeof pending)[number];
      if (engine.signal.aborted || stopped.has(unit.arm.label)) {
        notStarted++;
        continue;
      }
      const result = await units.run({
        kind: MARKET_TASK_JOB,
        key: unit.key,
        payload: { arm: unit.arm.label, taskId: unit.task.id },
        reserveUsd: 0,
        gate: free,
        label: `${unit.arm.label} ${unit.task.id}`,
      });
      if (result.status === 'done') {
        store.appendEvent({ runId, type: 'market-task', data: { arm: unit.arm.label, taskId: unit.task.id, solved: result.result.solved, rounds: result.result.rounds } });
        done.set(unit.key, result.result);
        finished++;
        continue;
      }
      const stop = stops.get(unit.key);
      const error = result.error ?? stop?.stop ?? 'failed';
      if (stop?.stop === 'budget' || stop?.stop === 'signal') {
        if (!stopped.has(unit.arm.label)) {
          stopped.set(unit.arm.label, stop.stop);
          store.appendEvent({ runId, type: 'arm-stop', data: { arm: unit.arm.label, reason: stop.stop, taskId: unit.task.id } });
        }
      } else failedUnits.push({ arm: unit.arm.label, taskId: unit.task.id, error });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length || 1)) }, worker));
  units.flush();

  const totalSpendUsd = priorRunSpendUsd(store, runId);
  const sessionSpendUsd = Math.max(0, totalSpendUsd - options.ledgerBefore);
  const complete = done.size === total;
  const stopReason = stopped.size > 0 ? ([...stopped.values()].includes('signal') ? 'signal' : 'budget') : undefined;
  store.setRunStatus(runId, complete ? 'done' : 'stopped');
  const summary: RunSummary = {
    total,
    skipped,
    done: finished,
    failed: failedUnits.length,
    notStarted,
    sessionSpendUsd,
    totalSpendUsd,
    budgetUsd: options.budgetUsd ?? Infinity,
  };
  observer?.onEvent({ type: 'run-end', runId, status: complete ? 'done' : 'stopped', stopReason, summary });
  store.appendEvent({ runId, type: 'run-end', data: { ...summary, budgetUsd: options.budgetUsd ?? null, stopped: Object.fromEntries(stopped) } });
  return { units: [...done.values()], failedUnits, sessionSpendUsd, totalSpendUsd };
}
