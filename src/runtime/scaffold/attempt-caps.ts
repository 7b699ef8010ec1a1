import { z } from 'zod';

/**
 * Caps a principal puts on one attempt (a production plan's budget): model calls, USD and tokens.
 * They come on top of the worker's own limits; the tighter one wins. Spend is checked before each
 * model call, so an attempt can pass a USD or token cap by at most its last call.
 */
export const AttemptCapsSchema = z.object({
  /** Model calls allowed (format errors count). */
  maxSteps: z.number().int().min(1).optional(),
  /** USD allowed for the attempt's model calls. */
  budgetUsd: z.number().nonnegative().optional(),
  /** Tokens (input + output over every call) allowed. */
  budgetTokens: z.number().nonnegative().optional(),
});

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
