import { z } from 'zod';

/** What happened when a worker attempted a task. */
export const OutcomeSchema = z.object({
  /** Whether the task's acceptance check passed. */
  resolved: z.boolean(),
  /** Input tokens spent, including cached ones. */
  inputTokens: z.number().nonnegative().default(0),
  /** Output tokens spent. */
  outputTokens: z.number().nonnegative().default(0),
  /** The part of the input tokens served from a cache. */
  cachedTokens: z.number().nonnegative().default(0),
  /** Total cost in USD. */
  costUsd: z.number().nonnegative(),
  /** Wall time of the attempt in milliseconds. */
  wallTimeMs: z.number().nonnegative().default(0),
  /** Where the trajectory is kept (a store key or a file path), if anywhere. */
  trajectoryRef: z.string().nullable().default(null),
  /** Why the attempt ended, e.g. `submitted`, `step-limit`, `cost-limit`, `error`. */
  exitReason: z.string().nullable().default(null),
});

/** What happened when a worker attempted a task. */
export type Outcome = z.infer<typeof OutcomeSchema>;
/** Input shape of an outcome (defaults not yet applied). */
export type OutcomeInput = z.input<typeof OutcomeSchema>;

/** Total tokens of an outcome (input + output). */
export function totalTokens(outcome: Pick<Outcome, 'inputTokens' | 'outputTokens'>): number {
  return outcome.inputTokens + outcome.outputTokens;
}
