import { MarketBenchError, type MarketBenchErrorOptions } from '../../core/errors.js';

/** One message of an agent conversation. */
export interface ChatMessage {
  /** Who speaks. */
  role: 'system' | 'user' | 'assistant';
  /** The text. */
  content: string;
}

/** Token counts of one model reply. */
export interface AgentUsage {
  /** Input tokens, cached ones included. */
  inputTokens: number;
  /** Output tokens, reasoning included. */
  outputTokens: number;
  /** The part of the input served from a cache. */
  cachedInputTokens: number;
}

/** One model reply with what it cost. */
export interface AgentReply {
  /** Reply text. */
  text: string;
  /** Tokens of this call. */
  usage: AgentUsage;
  /** USD this step of the work cost (retried tries included); on a reply replayed from the cache, what the original call cost. */
  costUsd: number;
  /** USD charged now: `costUsd`, or 0 for a reply replayed from the cache (default `costUsd`). */
  spentUsd?: number;
  /** True when the reply was replayed from the response cache (nothing was asked or paid). */
  cached?: boolean;
}

/** The one thing a scaffold needs from a language model. */
export interface AgentModel {
  /** Answers a conversation (the first message may be the system prompt). */
  query(messages: readonly ChatMessage[]): Promise<AgentReply>;
}

/** Why a model call failed for good. */
export type AgentModelFailure = 'budget' | 'aborted' | 'error';

/** A model call that failed for good; a scaffold ends the attempt with it (money spent is kept). */
export class AgentModelError extends MarketBenchError {
  override name = 'AgentModelError';
  /** Why. */
  readonly reason: AgentModelFailure;
  /** USD charged by the failed call's tries. */
  readonly spentUsd: number;

  constructor(input: { reason: AgentModelFailure; message: string; spentUsd?: number }, options: MarketBenchErrorOptions = {}) {
    super(input.message, options);
    this.reason = input.reason;
    this.spentUsd = input.spentUsd ?? 0;
  }

  static override isInstance(error: unknown): error is AgentModelError {
    return MarketBenchError.isInstance(error) && error.name === 'AgentModelError';
  }
}

/** Zero usage. */
export function emptyUsage(): AgentUsage {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
}

/** Adds `more` into `total` in place. */
export function addUsage(total: AgentUsage, more: AgentUsage): void {
  total.inputTokens += more.inputTokens;
  total.outputTokens += more.outputTokens;
  total.cachedInputTokens += more.cachedInputTokens;
}
