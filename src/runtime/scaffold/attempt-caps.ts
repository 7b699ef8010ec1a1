import type { z } from 'zod';
import { PlanCapsSchema } from '../../core/plan.js';

/**
 * Caps a principal puts on one attempt (a production plan's budget): model calls, USD and tokens.
 * They come on top of the worker's own limits; the tighter one wins. Spend is checked before each
 * model call, so an attempt can pass a USD or token cap by at most its last call (retries
 * included); an external agent's report is checked at its end (`capPassed`).
 */
export const AttemptCapsSchema = PlanCapsSchema;

/** Caps on one attempt (see `AttemptCapsSchema`). */
export type AttemptCaps = z.infer<typeof AttemptCapsSchema>;

/** The exit reason of an attempt stopped by its plan's caps; the attempt is judged on its diff at that moment. */
export const BUDGET_EXHAUSTED = 'budget_exhausted';

/** Which cap an attempt's spend has reached, if any (checked before each model call). */
export function capReached(caps: AttemptCaps | undefined, spent: { steps: number; costUsd: number; tokens: number }): 'steps' | 'costUsd' | 'tokens' | undefined {
  if (!caps) return undefined;
  if (caps.maxSteps !== undefined && spent.steps >= caps.maxSteps) return 'steps';
  if (caps.budgetUsd !== undefined && spent.costUsd >= caps.budgetUsd) return 'costUsd';
  if (caps.budgetTokens !== undefined && spent.tokens >= caps.budgetTokens) return 'tokens';
  return undefined;
}

/**
 * Which cap a finished run's reported spend went past, if any (for agents the harness cannot stop
 * between calls: external agents report their usage only at the end). A run under caps that
 * reported no usage went past them, as far as anyone can tell.
 */
export function capPassed(caps: AttemptCaps | undefined, spent: { steps: number; costUsd: number; tokens: number } | undefined): 'steps' | 'costUsd' | 'tokens' | 'unreported' | undefined {
  if (!caps || Object.keys(caps).length === 0) return undefined;
  if (!spent) return 'unreported';
  if (caps.maxSteps !== undefined && spent.steps > caps.maxSteps) return 'steps';
  if (caps.budgetUsd !== undefined && spent.costUsd > caps.budgetUsd) return 'costUsd';
  if (caps.budgetTokens !== undefined && spent.tokens > caps.budgetTokens) return 'tokens';
  return undefined;
}
