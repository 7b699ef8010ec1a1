import { z } from 'zod';

/** Per-token prices of a model in USD. */
export const PricingSchema = z.object({
  /** USD per input (prompt) token. */
  inputPerToken: z.number().nonnegative(),
  /** USD per output (completion) token. */
  outputPerToken: z.number().nonnegative(),
  /** USD per cached input token; defaults to the input price. */
  cachedInputPerToken: z.number().nonnegative().optional(),
});

/** Per-token prices of a model in USD. */
export type Pricing = z.infer<typeof PricingSchema>;

/** Token counts of one or more model calls. */
export interface TokenUsage {
  /** Input tokens, including cached ones. */
  inputTokens: number;
  /** Output tokens, including reasoning tokens. */
  outputTokens: number;
  /** The part of the input tokens served from the provider's cache. */
  cachedInputTokens?: number;
}

/** The paper's blended price π: the mean of the input and output per-token prices. */
export function blendedPrice(pricing: Pricing): number {
  return (pricing.inputPerToken + pricing.outputPerToken) / 2;
}

/** Cost in USD of the given usage at the given prices. */
export function costOf(usage: TokenUsage, pricing: Pricing): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const cachedPrice = pricing.cachedInputPerToken ?? pricing.inputPerToken;
  return (
    (usage.inputTokens - cached) * pricing.inputPerToken +
    cached * cachedPrice +
    usage.outputTokens * pricing.outputPerToken
  );
}
