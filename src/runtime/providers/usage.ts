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

/**
 * The SDK's usage as `CallUsage`; undefined when the provider did not report input and output
 * tokens, or reported a count that is not a non-negative finite number (a negative count would
 * price the call below zero, refunding the budget and undoing a plan's caps), so such a call is
 * charged as unreported.
 */
export function usageFromSdk(usage: LanguageModelUsage | undefined): CallUsage | undefined {
  if (!usage || usage.inputTokens === undefined || usage.outputTokens === undefined) return undefined;
  const cached = usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens ?? 0;
  const counts = [usage.inputTokens, usage.outputTokens, cached];
  if (!counts.every((count) => Number.isFinite(count) && count >= 0)) return undefined;
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

/**
 * Bytes per token assumed by the local estimate: a floor, not a typical value. Prose runs about 4
 * bytes per token and code fewer, and almost no token of a real tokenizer is longer than 16 bytes,
 * so an honest report is never overridden while gross under-reporting (a 3 MB reply said to be 10
 * tokens) is billed at least bytes / 16.
 */
export const ESTIMATE_BYTES_PER_TOKEN = 16;

/** The local token estimate of a number of bytes. */
export function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / ESTIMATE_BYTES_PER_TOKEN);
}

/** What a call is billed for, with whether the local estimate overrode the report. */
export interface BilledUsage {
  /** Tokens billed: output is the larger of the reported count and the local estimate from bytes received. */
  usage: CallUsage;
  /** True when an estimate was larger than (or stood in for) what the provider reported. */
  estimated: boolean;
}

/**
 * The usage a call is billed for: output tokens are the larger of what the provider reported and
 * a local estimate from the bytes received, so a provider (or a fake endpoint) that under-reports
 * cannot make a 3 MB reply cost 10 tokens. Input tokens are what the provider reported (we sent
 * that text ourselves and reserved its upper bound), or the estimate from the bytes sent when it
 * reported nothing.
 */
export function billedUsage(input: { reported: CallUsage | undefined; inputBytes: number; outputBytes: number }): BilledUsage {
  const reported = input.reported ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  const inputTokens = input.reported ? reported.inputTokens : estimateTokens(input.inputBytes);
  const outputTokens = Math.max(reported.outputTokens, estimateTokens(input.outputBytes));
  return {
    usage: { inputTokens, outputTokens, cachedInputTokens: Math.min(reported.cachedInputTokens, inputTokens) },
    estimated: input.reported === undefined || inputTokens > reported.inputTokens || outputTokens > reported.outputTokens,
  };
}
