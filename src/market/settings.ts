import { z } from 'zod';
import { DEFAULTS } from '../core/defaults.js';
import { MAX_PLANS_PER_MENU, PlanCapsSchema } from '../core/plan.js';

/**
 * Settings of a live market run (the `market:` and `router:` sections of a market file, or CLI
 * flags). Money: the bounty B, asks and the operator's expected cost e are in the market's
 * currency (`credits` by default, as in the paper, or `usd`); token costs are converted with
 * `creditsPerUsd`. The reserve-price arm works in USD (its F and R are USD, DESIGN §5).
 */
export const MarketSettingsSchema = z
  .object({
    /** Bounty B of a solved task, in the market's currency (paper: 90 credits). */
    bounty: z.number().positive().default(DEFAULTS.bountyCredits),
    /** Currency of B, asks and e: `credits` (paper) or `usd`. */
    currency: z.enum(['credits', 'usd']).default('credits'),
    /**
     * Credits per USD, to turn token costs (USD) into credits. The paper does not state a credit's
     * dollar value; 10 makes its recorded e of gpt-5.2 (8.48 credits) about 108k tokens at that
     * model's blended price, the order of its recorded patch tokens. Ignored for `usd`.
     */
    creditsPerUsd: z.number().positive().default(DEFAULTS.creditsPerUsd),
    /** Rate in the failure penalty φ = rate·B·(0.5 + p) of the scoring auction. */
    penaltyRate: z.number().nonnegative().default(DEFAULTS.penaltyRate),
    /** Most rounds per task; a worker that failed is excluded from the later rounds. */
    maxAttempts: z.number().int().positive().default(DEFAULTS.maxAttempts),
    /** Give a worker without a valid bid in time the fallback bid a = 0.4·B, p = 0.5. */
    forceBids: z.boolean().default(true),
    /** Seconds a worker has to bid; a later reply counts as no bid. */
    bidTimeoutSeconds: z.number().positive().default(120),
    /** Output cap of a bid call. */
    bidMaxOutputTokens: z.number().int().positive().default(1200),
    /** Sampling temperature of bid calls. */
    temperature: z.number().min(0).max(2).default(0),
    /** Request JSON structured output for bids and router calls (replies are parsed tolerantly either way). */
    structured: z.boolean().default(true),
    /** Recent attempts per worker averaged for e (the operator's expected execution cost). */
    historyWindow: z.number().int().positive().default(20),
    /** Failure penalty F (USD) of the reserve-price arm. */
    reservePenaltyUsd: z.number().nonnegative().default(2),
    /** Upper end R (USD) of the reserve-price arm's reserve r ~ U[0, R]. */
    reserveMaxUsd: z.number().positive().default(1),
    /**
     * Budgets the plan arms (`scoring:plans`, `reputation:plans`) offer: each worker states a menu
     * of p and tokens at these budgets, and the winning plan's caps bind its attempt. USD budgets
     * rising, each with an optional step cap.
     */
    planBudgets: z
      .array(PlanCapsSchema.extend({ budgetUsd: z.number().positive() }))
      .min(1)
      .max(MAX_PLANS_PER_MENU)
      .refine((budgets) => budgets.every((budget, index) => index === 0 || budget.budgetUsd > (budgets[index - 1]?.budgetUsd ?? 0)), {
        message: 'plan budgets must rise in budgetUsd',
      })
      .default(() => DEFAULTS.planBudgets.map((budget) => ({ ...budget }))),
  })
  .strict();

/** Settings of a live market run (defaults filled in). */
export type MarketSettings = z.infer<typeof MarketSettingsSchema>;
/** Settings of a live market run as written (defaults not yet applied). */
export type MarketSettingsInput = z.input<typeof MarketSettingsSchema>;

/** The central router: one structured LLM call per task and round that names a worker. */
export const RouterSettingsSchema = z
  .object({
    /** Model reference of the router, e.g. `openai:gpt-5.2-pro`. */
    model: z.string().regex(/^[^:\s]+:\S+$/, 'a model reference like openai:gpt-5.2-pro'),
    /** Show the router each worker's record from the store's other runs (pass rate, cost, tokens). */
    withHistory: z.boolean().default(false),
    /** Output cap of a router call. */
    maxOutputTokens: z.number().int().positive().default(1000),
    /** Sampling temperature of router calls. */
    temperature: z.number().min(0).max(2).default(0),
  })
  .strict();

/** The central router's settings (defaults filled in). */
export type RouterSettings = z.infer<typeof RouterSettingsSchema>;

/** Default market settings (the paper's live market). */
export const DEFAULT_MARKET_SETTINGS: MarketSettings = MarketSettingsSchema.parse({});

/** Converts a USD amount into the market's currency. */
export function usdToMarket(usd: number, settings: Pick<MarketSettings, 'currency' | 'creditsPerUsd'>): number {
  return settings.currency === 'usd' ? usd : usd * settings.creditsPerUsd;
}

/** Converts an amount in the market's currency (an ask, a bounty) into USD. */
export function marketToUsd(amount: number, settings: Pick<MarketSettings, 'currency' | 'creditsPerUsd'>): number {
  return settings.currency === 'usd' ? amount : amount / settings.creditsPerUsd;
}

/**
 * The bounty in USD. The market uses it as V, the value of a solved task: welfare = V·solved −
 * actual cost, and the mechanisms' scores take it as the value.
 */
export function bountyUsd(settings: Pick<MarketSettings, 'bounty' | 'currency' | 'creditsPerUsd'>): number {
  return marketToUsd(settings.bounty, settings);
}

/** Short name of the market's currency for prompts and tables (`credits` or `USD`). */
export function currencyLabel(settings: Pick<MarketSettings, 'currency'>): string {
  return settings.currency === 'usd' ? 'USD' : 'credits';
}
