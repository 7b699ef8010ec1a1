import type { ModelMessage } from 'ai';
import { callModel, reservationFor } from '../providers/call-model.js';
import { ProviderCallError } from '../providers/errors.js';
import type { ProviderLimiter } from '../providers/provider-limiter.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import type { ResponseCache } from '../providers/response-cache.js';
import type { RetryPolicy } from '../providers/retry-policy.js';
import type { SpendGate, SpendReservation } from '../jobs/spend-gate.js';
import { type AgentModel, AgentModelError, type AgentReply, type ChatMessage } from './agent-model.js';

/** Options of `providerAgentModel`. */
export interface ProviderAgentModelOptions {
  /** The resolved model. */
  model: ResolvedModel;
  /** Output cap per call (also sizes each call's budget reservation). */
  maxOutputTokens: number;
  /** Sampling temperature (provider default when omitted). */
  temperature?: number;
  /** Money already reserved by the job runner for the first call. */
  reservation?: SpendReservation;
  /** The run's budget: every later call (and every retry) reserves its pessimistic cost here. */
  budget?: SpendGate;
  /** The provider's limiter. */
  limiter?: ProviderLimiter;
  /** Cancels calls. */
  signal?: AbortSignal;
  /** Retry policy overrides. */
  retry?: Partial<RetryPolicy>;
  /** Response cache: a step whose conversation was answered before is replayed for free. */
  cache?: ResponseCache | undefined;
  /** Scopes the cache to one piece of work (the attempt's job key), so only its own resumes replay its steps. */
  cacheSalt?: string;
}

/**
 * The response cache as agent steps use it: a step keeps its reply, usage, cost and finish
 * reason, not the raw request and response bodies. A step's request is the whole conversation so
 * far, so keeping it would make an attempt's cache rows grow with the square of its steps; the
 * agent reads only the reply.
 */
export function agentStepCache(cache: ResponseCache): ResponseCache {
  return {
    get: (key) => cache.get(key),
    put: (input) => cache.put({ ...input, entry: { ...input.entry, request: null, response: null } }),
  };
}

/** Splits system text from the conversation, as the AI SDK wants it. */
function toSdk(messages: readonly ChatMessage[]): { system: string | undefined; messages: ModelMessage[] } {
  const system = messages.filter((message) => message.role === 'system').map((message) => message.content);
  const rest = messages
    .filter((message) => message.role !== 'system')
    .map((message) => ({ role: message.role as 'user' | 'assistant', content: message.content }));
  return { system: system.length > 0 ? system.join('\n\n') : undefined, messages: rest };
}

/** Pessimistic USD of the first call of a conversation (what a job reserves up front). */
export function firstCallReserveUsd(input: { model: ResolvedModel; messages: readonly ChatMessage[]; maxOutputTokens: number }): number {
  const { system, messages } = toSdk(input.messages);
  return reservationFor({ model: input.model, system, messages, maxOutputTokens: input.maxOutputTokens });
}

/**
 * The bridge from the scaffold's `AgentModel` to `callModel`: metered calls with retries, the
 * first paid from the job's reservation and the rest reserved from the run's budget, so an agent
 * can never spend past the budget. With a cache, a conversation answered before (same model,
 * messages, parameters and salt) is replayed without a request or a charge, so a resumed attempt
 * pays only from the first step whose prompt differs. A call that fails for good becomes an
 * `AgentModelError`.
 */
export function providerAgentModel(options: ProviderAgentModelOptions): AgentModel {
  let reservation = options.reservation;
  const cache = options.cache && agentStepCache(options.cache);
  return {
    async query(messages): Promise<AgentReply> {
      const sdk = toSdk(messages);
      const first = reservation;
      reservation = undefined;
      try {
        const result = await callModel({
          model: options.model,
          system: sdk.system,
          messages: sdk.messages,
          maxOutputTokens: options.maxOutputTokens,
          ...(options.temperature !== undefined && { temperature: options.temperature }),
          reservation: first,
          budget: options.budget,
          limiter: options.limiter,
          abortSignal: options.signal,
          retry: options.retry,
          ...(cache && { cache }),
          ...(options.cacheSalt !== undefined && { cacheSalt: options.cacheSalt }),
        });
        return {
          text: result.text,
          usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, cachedInputTokens: result.usage.cachedInputTokens },
          // A replayed step still cost what it cost: the attempt's outcome counts it, the budget does not.
          costUsd: result.cacheHit ? (result.costUsd ?? 0) : result.spentUsd,
          spentUsd: result.spentUsd,
          cached: result.cacheHit,
        };
      } catch (error) {
        first?.settle(0);
        if (!ProviderCallError.isInstance(error)) throw error;
        const reason = error.reason === 'budget' ? 'budget' : error.reason === 'aborted' ? 'aborted' : 'error';
        throw new AgentModelError({ reason, message: options.model.redact(error.message), spentUsd: error.spentUsd }, { cause: error });
      }
    },
  };
}
