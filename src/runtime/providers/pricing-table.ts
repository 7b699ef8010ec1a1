import type { Pricing } from '../../core/pricing.js';

/** A versioned table of per-token USD prices keyed by model reference (`provider:model`). */
export interface PricingTable {
  /** Date (or name) of the price list, recorded with every run that used it. */
  version: string;
  /** Prices by model reference without date suffix, e.g. `openai:gpt-5.2`. */
  models: Record<string, Pricing>;
}

/**
 * The built-in price list (USD per token, list prices). The paper's six models use the prices of
 * its `model_token_pricing.csv` (official pricing pages, 2026-03-02); cached-input prices are the
 * providers' prompt-cache read prices (OpenAI and Google 10% of input, Anthropic cache reads 10%;
 * gpt-5.2-pro has no cache discount). Override or extend with `--pricing FILE`.
 */
export const PRICING_TABLE: PricingTable = {
  version: '2026-11-27',
  models: {
    'openai:gpt-5.2': { inputPerToken: 1.75e-6, outputPerToken: 1.4e-5, cachedInputPerToken: 1.75e-7 },
    'openai:gpt-5.2-pro': { inputPerToken: 2.1e-5, outputPerToken: 1.68e-4, cachedInputPerToken: 2.1e-5 },
    'openai:gpt-5-mini': { inputPerToken: 2.5e-7, outputPerToken: 2e-6, cachedInputPerToken: 2.5e-8 },
    'anthropic:claude-opus-4-5': { inputPerToken: 5e-6, outputPerToken: 2.5e-5, cachedInputPerToken: 5e-7 },
    'anthropic:claude-sonnet-4-5': { inputPerToken: 3e-6, outputPerToken: 1.5e-5, cachedInputPerToken: 3e-7 },
    'google:gemini-3-pro-preview': { inputPerToken: 2e-6, outputPerToken: 1.2e-5, cachedInputPerToken: 2e-7 },
    'openai:gpt-5': { inputPerToken: 1.25e-6, outputPerToken: 1e-5, cachedInputPerToken: 1.25e-7 },
    'openai:gpt-5-nano': { inputPerToken: 5e-8, outputPerToken: 4e-7, cachedInputPerToken: 5e-9 },
    'openai:gpt-4.1': { inputPerToken: 2e-6, outputPerToken: 8e-6, cachedInputPerToken: 5e-7 },
    'openai:gpt-4o-mini': { inputPerToken: 1.5e-7, outputPerToken: 6e-7, cachedInputPerToken: 7.5e-8 },
    'anthropic:claude-haiku-4-5': { inputPerToken: 1e-6, outputPerToken: 5e-6, cachedInputPerToken: 1e-7 },
    'google:gemini-2.5-pro': { inputPerToken: 1.25e-6, outputPerToken: 1e-5, cachedInputPerToken: 3.125e-7 },
    'google:gemini-2.5-flash': { inputPerToken: 3e-7, outputPerToken: 2.5e-6, cachedInputPerToken: 7.5e-8 },
  },
};
