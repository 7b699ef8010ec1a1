import { z } from 'zod';
import { PricedPlanSchema } from '../core/plan.js';

/** One attempt of a task under an arm, as the unit's result records it. */
export const UnitAttemptSchema = z.object({
  /** The worker. */
  workerId: z.string(),
  /** The round that assigned it. */
  round: z.number().int().positive(),
  /** Whether the suite's evaluator judged it resolved. */
  resolved: z.boolean(),
  /** Actual USD of the attempt (its recorded cost, earlier interrupted tries included). */
  costUsd: z.number(),
  /** Input + output tokens. */
  tokens: z.number(),
  /** Ledger key of the attempt (its `attempts` row). */
  jobKey: z.string(),
  /** True when the attempt is shared with other arms (`--share-attempts`). */
  shared: z.boolean(),
  /** The plan the worker won (plan arms): its caps bound the attempt, its p is what the worker stated for them. */
  plan: PricedPlanSchema.optional(),
  /** Why the agent stopped (`budget_exhausted` when the plan's caps stopped it). */
  exitReason: z.string().nullable().optional(),
});

/** One attempt of a task under an arm. */
export type UnitAttempt = z.infer<typeof UnitAttemptSchema>;

/** One round of a task under an arm. */
export const UnitRoundSchema = z.object({
  /** 1-based round. */
  round: z.number().int().positive(),
  /** Workers assigned (empty: the arm abstained and the task stopped). */
  workerIds: z.array(z.string()),
  /** Bids of this round that were operator fallbacks (bid arms). */
  fallbackBids: z.number().int().nonnegative(),
  /** Whether the router's reply was unusable and the fallback decided (router arm). */
  routerFallback: z.boolean(),
});

/** One round of a task under an arm. */
export type UnitRound = z.infer<typeof UnitRoundSchema>;

/** Everything that happened to one task under one arm (kept in the ledger's `market-task` row). */
export const UnitResultSchema = z.object({
  /** The arm's label. */
  arm: z.string(),
  /** The task. */
  taskId: z.string(),
  /** Whether any attempt resolved it. */
  solved: z.boolean(),
  /** Rounds in order. */
  rounds: z.array(UnitRoundSchema),
  /** Attempts in round order. */
  attempts: z.array(UnitAttemptSchema),
  /** USD of the attempts. */
  attemptCostUsd: z.number(),
  /** Tokens of the attempts. */
  attemptTokens: z.number(),
  /** USD of allocating: this arm's share of the task's bids, or the router calls. */
  overheadCostUsd: z.number(),
  /** Tokens of allocating (same shares). */
  overheadTokens: z.number(),
  /** USD charged to the arm's budget for the task: attempts + overhead. */
  accountedUsd: z.number(),
});

/** Everything that happened to one task under one arm. */
export type UnitResult = z.infer<typeof UnitResultSchema>;
