import { InvalidInputError } from '../../core/errors.js';
import type { Store } from '../store/store.js';
import { compareArms, type MarketComparison } from '../../market/comparison.js';
import { UnitResultSchema } from '../../market/unit-result.js';
import { bountyUsd } from '../../market/settings.js';
import type { PlanAttemptRow } from '../../market/plan-bids.js';
import type { StatedMenu } from '../../metrics/plan-calibration.js';
import { doneJobResults } from '../jobs/ledger.js';
import { z } from 'zod';

/** What the comparison needs of a market run's stored config. */
const StoredMarketConfigSchema = z.looseObject({
  arms: z.array(z.string()).default([]),
  workers: z.array(z.looseObject({ id: z.string() })).default([]),
  settings: z.looseObject({ bounty: z.number(), currency: z.enum(['credits', 'usd']), creditsPerUsd: z.number() }).optional(),
});

/** A market run's comparison rebuilt from the store, with what it was run on. */
export interface StoredMarket {
  /** The run id. */
  runId: string;
  /** Arm labels in the order they were given. */
  arms: string[];
  /** Tasks with at least one finished arm, in the order first finished. */
  taskIds: string[];
  /** The roster. */
  workerIds: string[];
  /** The matched comparison, as `marketbench market` printed it. */
  comparison: MarketComparison;
  /** The principal's value V of a solved task in USD (the bounty in USD); undefined for runs that did not store their settings. */
  valueUsd?: number;
  /** Every attempt the plan arms ran under a won plan (empty without plan arms). */
  planAttempts: PlanAttemptRow[];
  /** Every valid menu stated in the run (treatment `plans`), levels = USD budgets (tokens when a menu has no USD budgets). */
  menus: StatedMenu[];
}

/**
 * Rebuilds a market run's matched comparison from its ledger (the finished `market-task` units),
 * without calling anything: what `marketbench report` shows for a market run.
 */
export function storedMarketComparison(store: Store, runId: string): StoredMarket {
  const run = store.getRun(runId);
  if (run?.kind !== 'market') throw new InvalidInputError(`run '${runId}' is not a market run`, { file: store.file });
  const parsed = StoredMarketConfigSchema.safeParse(run.config ?? {});
  if (!parsed.success) throw new InvalidInputError(`run '${runId}': its config is not a market run's (${parsed.error.issues[0]?.message})`, { file: store.file, field: 'runs.config' });
  const arms = parsed.data.arms;
  const workerIds = parsed.data.workers.map((worker) => worker.id);
  const units = [...doneJobResults(store, { runId, kind: 'market-task', result: UnitResultSchema }).values()];
  const taskIds = [...new Set(units.map((unit) => unit.taskId))];
  const settings = parsed.data.settings;
  const valueUsd = settings && bountyUsd(settings);
  const planAttempts: PlanAttemptRow[] = units.flatMap((unit) =>
    unit.attempts.flatMap((attempt) =>
      attempt.plan ? [{ arm: unit.arm, taskId: unit.taskId, workerId: attempt.workerId, round: attempt.round, resolved: attempt.resolved, costUsd: attempt.costUsd, plan: attempt.plan, exitReason: attempt.exitReason ?? null }] : [],
    ),
  );
  const menus: StatedMenu[] = store
    .getForecasts({ runId, treatment: 'plans' })
    .filter((forecast) => forecast.valid && forecast.menu)
    .map((forecast) => ({
      workerId: forecast.workerId,
      taskId: forecast.taskId,
      plans: (forecast.menu ?? []).map((plan) => ({ level: plan.budgetUsd ?? plan.budgetTokens ?? 0, pSuccess: plan.pSuccess })),
    }));
  return { runId, arms, taskIds, workerIds, comparison: compareArms({ arms, taskIds, workerIds, units, ...(valueUsd !== undefined && { valueUsd }) }), ...(valueUsd !== undefined && { valueUsd }), planAttempts, menus };
}
