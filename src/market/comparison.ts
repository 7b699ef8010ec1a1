import { exactMcNemar } from '../metrics/mcnemar.js';
import type { UnitResult } from './unit-result.js';

/** One worker's record under one arm. */
export interface WorkerWins {
  /** The worker. */
  workerId: string;
  /** Times the arm assigned it a task (attempts commissioned). */
  won: number;
  /** Of those, attempts judged resolved. */
  converted: number;
}

/** One arm's results on the matched tasks. */
export interface ArmSummary {
  /** The arm. */
  arm: string;
  /** Tasks solved. */
  solved: number;
  /** Matched tasks. */
  n: number;
  /** solved / n (NaN when n = 0). */
  rate: number;
  /** Attempts made. */
  attempts: number;
  /** USD of the attempts. */
  attemptCostUsd: number;
  /** USD of allocating (bid shares, router calls). */
  overheadCostUsd: number;
  /** Attempts + overhead. */
  totalCostUsd: number;
  /** totalCostUsd / solved; null when nothing was solved. */
  costPerSolve: number | null;
  /** V·solved − totalCostUsd (V = the market's value of a solved task); null when V is not known. */
  welfare: number | null;
  /** Tokens of attempts and allocating. */
  tokens: number;
  /** tokens / solved; null when nothing was solved. */
  tokensPerSolve: number | null;
  /** Bids filled in by the operator (no valid bid in time). */
  fallbackBids: number;
  /** Rounds the router's reply was unusable and the fallback decided. */
  routerFallbacks: number;
  /** Rounds in which the arm assigned nobody (abstained). */
  abstentions: number;
  /** Per worker: times assigned and converted, in roster order. */
  workers: WorkerWins[];
}

/** A paired comparison of two arms on the matched tasks. */
export interface ArmPair {
  /** First arm. */
  a: string;
  /** Second arm. */
  b: string;
  /** Tasks a solved and b did not. */
  onlyA: number;
  /** Tasks b solved and a did not. */
  onlyB: number;
  /** Two-sided exact McNemar p-value. */
  pValue: number;
}

/** The matched comparison of a market run. */
export interface MarketComparison {
  /** Arms in the order given. */
  arms: string[];
  /** Tasks every arm finished (the comparison's tasks), in run order. */
  matchedTasks: string[];
  /** Tasks at least one arm has not finished (budget, stop, harness failure). */
  unmatchedTasks: string[];
  /** Per arm, on the matched tasks. */
  summaries: ArmSummary[];
  /** Every pair of arms, in the order given. */
  pairs: ArmPair[];
}

/**
 * Compares the arms on the tasks every arm finished (a task an arm did not finish — its budget
 * share ran out, the run was stopped — is left out for all arms, so the comparison stays paired):
 * solved per arm, exact McNemar between every pair, cost and tokens per solve (attempts plus the
 * cost of allocating: the arm's share of the bids, or the router's calls), welfare at that actual
 * cost when V is given, and how often each
 * worker won (was assigned) and converted (resolved) under each arm.
 */
export function compareArms(input: {
  arms: readonly string[];
  taskIds: readonly string[];
  workerIds: readonly string[];
  units: readonly UnitResult[];
  /** V, USD per solved task (the market's bounty in USD); without it welfare is null. */
  valueUsd?: number;
}): MarketComparison {
  const byArm = new Map<string, Map<string, UnitResult>>();
  for (const arm of input.arms) byArm.set(arm, new Map());
  for (const unit of input.units) byArm.get(unit.arm)?.set(unit.taskId, unit);
  const matchedTasks = input.taskIds.filter((taskId) => input.arms.every((arm) => byArm.get(arm)?.has(taskId)));
  const matched = new Set(matchedTasks);
  const unmatchedTasks = input.taskIds.filter((taskId) => !matched.has(taskId));
  const summaries = input.arms.map((arm) => {
    const units = matchedTasks.map((taskId) => byArm.get(arm)?.get(taskId) as UnitResult);
    const wins = new Map(input.workerIds.map((workerId) => [workerId, { workerId, won: 0, converted: 0 }]));
    let solved = 0;
    let attempts = 0;
    let attemptCostUsd = 0;
    let overheadCostUsd = 0;
    let tokens = 0;
    let fallbackBids = 0;
    let routerFallbacks = 0;
    let abstentions = 0;
    for (const unit of units) {
      if (unit.solved) solved++;
      attempts += unit.attempts.length;
      attemptCostUsd += unit.attemptCostUsd;
      overheadCostUsd += unit.overheadCostUsd;
      tokens += unit.attemptTokens + unit.overheadTokens;
      for (const round of unit.rounds) {
        fallbackBids += round.fallbackBids;
        if (round.routerFallback) routerFallbacks++;
        if (round.workerIds.length === 0) abstentions++;
      }
      for (const attempt of unit.attempts) {
        const entry = wins.get(attempt.workerId) ?? { workerId: attempt.workerId, won: 0, converted: 0 };
        entry.won++;
        if (attempt.resolved) entry.converted++;
        wins.set(attempt.workerId, entry);
      }
    }
    const totalCostUsd = attemptCostUsd + overheadCostUsd;
    return {
      arm,
      solved,
      n: units.length,
      rate: units.length === 0 ? Number.NaN : solved / units.length,
      attempts,
      attemptCostUsd,
      overheadCostUsd,
      totalCostUsd,
      costPerSolve: solved === 0 ? null : totalCostUsd / solved,
      welfare: input.valueUsd === undefined ? null : input.valueUsd * solved - totalCostUsd,
      tokens,
      tokensPerSolve: solved === 0 ? null : tokens / solved,
      fallbackBids,
      routerFallbacks,
      abstentions,
      workers: [...wins.values()],
    } satisfies ArmSummary;
  });
  const solvedBy = (arm: string, taskId: string) => byArm.get(arm)?.get(taskId)?.solved === true;
  const pairs: ArmPair[] = [];
  for (let i = 0; i < input.arms.length; i++) {
    for (let j = i + 1; j < input.arms.length; j++) {
      const a = input.arms[i] as string;
      const b = input.arms[j] as string;
      let onlyA = 0;
      let onlyB = 0;
      for (const taskId of matchedTasks) {
        const sa = solvedBy(a, taskId);
        const sb = solvedBy(b, taskId);
        if (sa && !sb) onlyA++;
        if (sb && !sa) onlyB++;
      }
      pairs.push({ a, b, onlyA, onlyB, pValue: exactMcNemar({ b: onlyA, c: onlyB }).pValue });
    }
  }
  return { arms: [...input.arms], matchedTasks, unmatchedTasks, summaries, pairs };
}
