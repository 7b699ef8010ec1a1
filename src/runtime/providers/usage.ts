import type { LanguageModelUsage } from 'ai';
import { costOf, type Pricing } from '../../core/pricing.js';

/** Tokens a provider reported for one call. */
export interface CallUsage {
  /** Input tokens including cached ones. */
  inputTokens: number;
  /** Output tokens including reasoning tokens. */
  outputTokens: number;
  /** The part of the input read from the provider's prompt cache. */
  cachedInputTokens: number;
}

/** The SDK's usage as `CallUsage`; undefined when the provider did not report input and output tokens. */
export function usageFromSdk(usage: LanguageModelUsage | undefined): CallUsage | undefined {
  if (!usage || usage.inputTokens === undefined || usage.outputTokens === undefined) return undefined;
  const cached = usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens ?? 0;
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedInputTokens: cached };
}

/** Cost in USD of reported usage at the given prices (cached input at the cached price). */
export function usageCost(usage: CallUsage, pricing: Pricing): number {
  return costOf(usage, pricing);
}

/** Tokens added per message for the chat template (role markers, separators): generous. */
const TEMPLATE_TOKENS_PER_MESSAGE = 32;

/**
 * An upper bound on the input tokens of a prompt: its UTF-8 byte count (a byte-level BPE token
 * holds at least one byte) plus `TEMPLATE_TOKENS_PER_MESSAGE` per message. Pessimistic on
 * purpose: budgets reserve this before a call.
 */
export function inputTokensUpperBound(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8') + TEMPLATE_TOKENS_PER_MESSAGE, 0);
}

/** The pessimistic cost of one try: upper-bound input at the input price + the output cap at the output price. */
export function pessimisticCost(input: { inputTokens: number; maxOutputTokens: number; pricing: Pricing }): number {
  return input.inputTokens * input.pricing.inputPerToken + input.maxOutputTokens * input.pricing.outputPerToken;
}
