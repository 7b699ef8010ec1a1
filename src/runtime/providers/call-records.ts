import type { JSONSchema7 } from 'ai';
import type { JobContext } from '../jobs/job.js';
import type { CallModelOptions, CallResult } from './call-model.js';
import { ProviderCallError, type TryRecord } from './errors.js';
import type { ProviderLimiters } from './provider-limiter.js';
import type { ResolvedModel } from './resolve-model.js';
import type { ResponseCache } from './response-cache.js';
import type { RetryPolicy } from './retry-policy.js';

/** The messages and caps of a one-shot job call, as its payload carries them. */
export interface CallPayload {
  /** System message. */
  system: string;
  /** User message. */
  prompt: string;
  /** Output cap. */
  maxOutputTokens: number;
  /** Sampling temperature. */
  temperature: number;
}

/** What a job's executor shares across its calls: limiters, cache and retry policy. */
export interface JobCallServices {
  /** Per-provider limiters. */
  limiters: ProviderLimiters;
  /** Response cache (undefined: off). */
  cache?: ResponseCache | undefined;
  /** Retry policy overrides. */
  retry?: Partial<RetryPolicy> | undefined;
}

/**
 * The `callModel` options of a one-shot job call (forecast, bid, router): the payload's messages
 * and caps, the job's first-try reservation and budget, the provider's limiter, the cache and the
 * retry policy. `jsonSchema` is passed only when given (structured output asked for).
 */
export function jobCallOptions(input: {
  /** The model to call. */
  model: ResolvedModel;
  /** The job's payload. */
  payload: CallPayload;
  /** The job's context (reservation and budget). */
  context: Pick<JobContext, 'reservation' | 'budget'>;
  /** The executor's limiters, cache and retry policy. */
  services: JobCallServices;
  /** Cancels the call (the job's signal, or one with a timeout). */
  abortSignal: AbortSignal;
  /** Structured output schema, when asked for. */
  jsonSchema?: JSONSchema7 | undefined;
  /** Cache-key salt (the repeat index). */
  cacheSalt?: string | number;
}): CallModelOptions {
  const { model, payload, context, services } = input;
  return {
    model,
    system: payload.system,
    prompt: payload.prompt,
    maxOutputTokens: payload.maxOutputTokens,
    temperature: payload.temperature,
    ...(input.jsonSchema && { jsonSchema: input.jsonSchema }),
    abortSignal: input.abortSignal,
    reservation: context.reservation,
    budget: context.budget,
    limiter: services.limiters.get(model.prefix, model.provider),
    cache: services.cache,
    ...(input.cacheSalt !== undefined && { cacheSalt: input.cacheSalt }),
    retry: services.retry,
  };
}

/** What a stored row keeps of a successful call: tokens, cost, raw request and response. */
export interface CallRecords {
  /** Input tokens billed. */
  inputTokens: number;
  /** Output tokens billed. */
  outputTokens: number;
  /** Cached input tokens. */
  cachedTokens: number | undefined;
  /** Metered USD of the reply (undefined when unpriced). */
  costUsd: number | undefined;
  /** Raw request (redacted). */
  request: unknown;
  /** Raw response (redacted) with the finish reason, and the SDK's warnings when asked for and any. */
  response: Record<string, unknown>;
}

/** The token, cost, request and response records of a successful call. */
export function callRecords(result: CallResult, options: { withWarnings?: boolean } = {}): CallRecords {
  return {
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    cachedTokens: result.usage.cachedInputTokens,
    costUsd: result.costUsd ?? undefined,
    request: result.request,
    response: {
      ...(result.response as Record<string, unknown>),
      finishReason: result.finishReason,
      ...(options.withWarnings && result.warnings.length > 0 && { warnings: result.warnings }),
    },
  };
}

/** A try as a ledger result keeps it: number, outcome, HTTP status and cost. */
export function tryOutcomes(tries: readonly TryRecord[]): Pick<TryRecord, 'attempt' | 'outcome' | 'status' | 'costUsd'>[] {
  return tries.map(({ attempt, outcome, status, costUsd }) => ({ attempt, outcome, status, costUsd }));
}

/** What a job records of a call that threw. */
export interface CallFailure {
  /** The provider's error, when it was one (else an unexpected error). */
  failure: ProviderCallError | undefined;
  /** USD charged over the call's tries. */
  spentUsd: number;
  /** The error message, redacted. */
  message: string;
  /** `call failed (<reason>): <message>`, the line stored as the invalid reason. */
  reason: string;
}

/** Reads a call's error into what a job records of it (message redacted with the model's keys). */
export function callFailure(error: unknown, model: ResolvedModel): CallFailure {
  const failure = ProviderCallError.isInstance(error) ? error : undefined;
  const message = model.redact(error instanceof Error ? error.message : String(error));
  return { failure, spentUsd: failure?.spentUsd ?? 0, message, reason: `call failed (${failure?.reason ?? 'error'}): ${message}` };
}

/** The stored "response" of a failed call: the reason and each try's outcome and status. */
export function failedCallResponse(failure: ProviderCallError | undefined, reason: string): { error: string; tries: Pick<TryRecord, 'attempt' | 'outcome' | 'status'>[] } {
  return { error: reason, tries: failure?.tries.map(({ attempt, outcome, status }) => ({ attempt, outcome, status })) ?? [] };
}
