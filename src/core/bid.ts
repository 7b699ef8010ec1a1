import { z } from 'zod';
import { MAX_PLANS_PER_MENU, PricedPlanSchema } from './plan.js';

/** What a mechanism consumes from one worker for one task. */
export const BidSchema = z.object({
  /** The bidding worker. */
  workerId: z.string().min(1),
  /** The task bid on. */
  taskId: z.string().min(1),
  /** Price asked for the work (USD or bounty credits, per mechanism). */
  ask: z.number().nonnegative(),
  /** Stated probability of success. */
  pSuccess: z.number().min(0).max(1),
  /** Expected execution cost of the attempt (tokens × price), USD or credits. */
  expectedCost: z.number().nonnegative(),
  /** Stated expected tokens, if given. */
  expectedTokens: z.number().nonnegative().optional(),
  /** Optional estimated time to completion, seconds. */
  etaSeconds: z.number().nonnegative().optional(),
  /** True when the bid was filled in by the operator because the worker did not bid in time. */
  fallback: z.boolean().default(false),
  /**
   * A menu of production plans (issue #17), priced in the mechanism's currency. Absent for a
   * single-point bid, which plan mechanisms read as a menu of one (see `bidPlanMenu`). Mechanisms
   * that do not know plans keep reading the single-point fields above.
   */
  plans: z.array(PricedPlanSchema).min(1).max(MAX_PLANS_PER_MENU).optional(),
});

/** What a mechanism consumes from one worker for one task. */
export type Bid = z.infer<typeof BidSchema>;
/** Input shape of a bid (defaults not yet applied). */
export type BidInput = z.input<typeof BidSchema>;
