import { generateText, type JSONSchema7, type ModelMessage, type ToolSet } from 'ai';
import { InvalidInputError } from '../../core/errors.js';
import { type CallFailureReason, ProviderCallError, type TryRecord } from './errors.js';
import { rawJsonOutput } from './json-output.js';
import { loadLanguageModel } from './lazy-model.js';
import type { ProviderLimiter } from './provider-limiter.js';
import type { ResolvedModel } from './resolve-model.js';
import { type CachedCall, type ResponseCache, responseCacheKey } from './response-cache.js';
import { backoffMs, classifyFailure, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import type { SpendGate, SpendReservation } from '../jobs/spend-gate.js';
import { capReply, capStoredBody, replyCapBytes } from './reply-cap.js';
import { billedUsage, type CallUsage, inputTokensUpperBound, pessimisticCost, usageCost, usageFromSdk } from './usage.js';

/** Provider-specific options passed through to the SDK (`{ openai: {...}, anthropic: {...} }`). */
export type CallProviderOptions = Record<string, Record<string, unknown>>;

/** Options of `callModel`. */
export interface CallModelOptions {
  /** The model (from `resolveModel`). */
  model: ResolvedModel;
  /** System prompt. */
  system?: string;
  /** A single user message (or use `messages`). */
  prompt?: string;
  /** A conversation (agent loops). */
  messages?: ModelMessage[];
  /** Output cap in tokens; also sets the pessimistic reservation. */
  maxOutputTokens: number;
  /** Sampling temperature. */
  temperature?: number;
  /** Cancels the call (not retried). */
  abortSignal?: AbortSignal;
  /** Ask for JSON matching this schema via the provider's structured output; the reply text comes back unparsed. */
  jsonSchema?: JSONSchema7;
  /** Tools the model may call (no execute step is run: the caller handles tool calls). */
  tools?: ToolSet;
  /** Provider-specific options. */
  providerOptions?: CallProviderOptions;
  /** Retry policy overrides. */
  retry?: Partial<RetryPolicy>;
  /** The provider's limiter (concurrency, rate, Retry-After pause). */
  limiter?: ProviderLimiter;
  /** Budget to reserve each try from; a try that does not fit ends the call with reason `budget`. */
  budget?: SpendGate;
  /** Money already set aside by the caller for the first try (then `budget` is used for retries). */
  reservation?: SpendReservation;
  /** Response cache; hits cost nothing and make no request. */
  cache?: ResponseCache;
  /** Extra cache-key part (e.g. the repeat index) so deliberate repeats are not served from cache. */
  cacheSalt?: string | number;
  /** Called after every try with its metering record. */
  onTry?: (record: TryRecord) => void;
}

/** What a successful call returns. */
export interface CallResult {
  /** Reply text (cut at the reply-size cap, with a marker, when the reply was larger). */
  text: string;
  /** Billed usage: output tokens are the larger of the reported count and the local estimate from the bytes received. */
  usage: CallUsage;
  /** Whether the provider reported usage. */
  usageReported: boolean;
  /** Metered cost of the reply: billed usage × price (the reservation when usage was not reported); null when unpriced. */
  costUsd: number | null;
  /** USD charged over every try of this call (0 on a cache hit); what a budget counts. */
  spentUsd: number;
  /** The pessimistic cost reserved per try. */
  reserveUsd: number;
  /** Every try. */
  tries: TryRecord[];
  /** True when served from the cache. */
  cacheHit: boolean;
  /** Why generation stopped (`stop`, `length`, `tool-calls`, …). */
  finishReason: string;
  /** Tool calls in the reply. */
  toolCalls: { toolCallId: string; toolName: string; input: unknown }[];
  /** Raw request body sent (API key and credential headers redacted). */
  request: unknown;
  /** Raw response: id, model id and body (redacted). */
  response: unknown;
  /** The reply as messages to append to a conversation (empty on a cache hit). */
  responseMessages: ModelMessage[];
  /** Warnings of the SDK (unsupported settings dropped, …), as text. */
  warnings: string[];
  /** `request` and `response` together, as stored for every paid call. */
  raw: { request: unknown; response: unknown };
}

/** The texts a call sends: system prompt, prompt, and each message's content as JSON. */
function promptTexts(options: Pick<CallModelOptions, 'system' | 'prompt' | 'messages'>): string[] {
  return [
    ...(options.system ? [options.system] : []),
    ...(options.prompt !== undefined ? [options.prompt] : []),
    ...(options.messages ?? []).map((message) => JSON.stringify(message.content)),
  ];
}

/** The pessimistic cost of one try of these options (0 when the model is unpriced). */
export function reservationFor(options: Pick<CallModelOptions, 'model' | 'system' | 'prompt' | 'messages' | 'maxOutputTokens'>): number {
  if (!options.model.pricing) return 0;
  return pessimisticCost({
    inputTokens: inputTokensUpperBound(promptTexts(options)),
    maxOutputTokens: options.maxOutputTokens,
    pricing: options.model.pricing,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls a model once, with our own retries (the SDK's are off: `maxRetries: 0`), so that every
 * billed try is counted and Retry-After is honoured: each try reserves its pessimistic cost from
 * the budget, waits for the provider's limiter, runs under a timeout, and settles to the cost of
 * the usage the provider reported (0 for an HTTP error, the reservation when the provider may have
 * billed a reply we could not read). Successful replies are cached; errors never are. Throws
 * `ProviderCallError` when the call fails for good (reason `budget` when a try no longer fits).
 */
export async function callModel(options: CallModelOptions): Promise<CallResult> {
  const { model } = options;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  if (options.budget && Number.isFinite(options.budget.limitUsd) && !model.pricing) {
    throw new InvalidInputError(`no price for '${model.ref}': add it to a pricing file (--pricing FILE) to run under a budget`, {
      field: 'model',
    });
  }
  const reserveUsd = reservationFor(options);
  const inputBytes = promptTexts(options).reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  const capBytes = replyCapBytes(options.maxOutputTokens);
  const cacheParams = {
    maxOutputTokens: options.maxOutputTokens,
    temperature: options.temperature ?? null,
    jsonSchema: options.jsonSchema ?? null,
    tools: options.tools ? Object.keys(options.tools).sort() : null,
    providerOptions: options.providerOptions ?? null,
    salt: options.cacheSalt ?? null,
  };
  const cacheKey = options.cache
    ? responseCacheKey({ ref: model.ref, prompt: [options.system ?? null, options.prompt ?? null, options.messages ?? null], params: cacheParams })
    : undefined;
  const cached = cacheKey ? await options.cache?.get(cacheKey) : undefined;
  if (cached) {
    options.reservation?.settle(0);
    return {
      ...cached,
      spentUsd: 0,
      reserveUsd,
      tries: [],
      cacheHit: true,
      responseMessages: [],
      warnings: cached.warnings ?? [],
      raw: { request: cached.request, response: cached.response },
    };
  }

  await loadLanguageModel(model.model);
  const tries: TryRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    const reservation =
      attempt === 1 && options.reservation
        ? options.reservation
        : options.budget?.reserveWhenPossible
          ? await options.budget.reserveWhenPossible(reserveUsd)
          : options.budget?.tryReserve(reserveUsd);
    if (options.budget && !reservation) {
      throw new ProviderCallError({
        ref: model.ref,
        reason: 'budget',
        message: `budget of $${options.budget.limitUsd} cannot hold another try ($${reserveUsd.toFixed(6)} reserved per try)`,
        tries,
      });
    }
    const started = Date.now();
    // One controller per try, aborted by the timeout or the caller (cheaper than AbortSignal.any).
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => controller.abort(options.abortSignal?.reason);
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
    if (options.abortSignal?.aborted) onAbort();
    const signal = controller.signal;
    const limiter = options.limiter;
    try {
      // The timeout bounds the provider's answer only: it starts once the limiter lets the try go
      // and the SDK is loaded, so a wait for a slot or a Retry-After pause, or a slow import, is
      // never taken for a provider that did not answer (and charged as maybe billed).
      const run = () => {
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`timed out after ${policy.timeoutMs} ms`));
        }, policy.timeoutMs);
        return generateText({
          model: model.model,
          ...(options.system !== undefined && { system: options.system }),
          ...(options.messages ? { messages: options.messages } : { prompt: options.prompt ?? '' }),
          maxOutputTokens: options.maxOutputTokens,
          ...(options.temperature !== undefined && { temperature: options.temperature }),
          ...(options.jsonSchema && model.supportsStructuredOutput && { output: rawJsonOutput(options.jsonSchema, 'forecast') }),
          ...(options.tools && { tools: options.tools }),
          ...(options.providerOptions && { providerOptions: options.providerOptions as never }),
          maxRetries: 0,
          abortSignal: signal,
        });
      };
      const result = await (limiter ? limiter.schedule(run) : run()).finally(() => {
        clearTimeout(timer);
        options.abortSignal?.removeEventListener('abort', onAbort);
      });
      const reported = usageFromSdk(result.usage);
      const toolCalls = result.toolCalls.map((call) => ({ toolCallId: call.toolCallId, toolName: call.toolName, input: call.input }));
      const outputBytes =
        Buffer.byteLength(result.text, 'utf8') + Buffer.byteLength(result.reasoningText ?? '', 'utf8') + (toolCalls.length > 0 ? Buffer.byteLength(JSON.stringify(toolCalls), 'utf8') : 0);
      const billed = billedUsage({ reported, inputBytes, outputBytes });
      const usage = billed.usage;
      // Unreported usage is charged the pessimistic reservation, unless the bytes received cost more.
      const costUsd = model.pricing ? (reported ? usageCost(billed.usage, model.pricing) : Math.max(reserveUsd, usageCost(billed.usage, model.pricing))) : null;
      const reply = capReply(result.text, capBytes);
      reservation?.settle(costUsd ?? 0);
      const record: TryRecord = { attempt, outcome: 'ok', status: 200, error: undefined, costUsd: costUsd ?? 0, delayMs: 0, durationMs: Date.now() - started };
      tries.push(record);
      options.onTry?.(record);
      const warnings = (result.warnings ?? []).map((warning) => model.redact(JSON.stringify(warning)));
      const entry: CachedCall = {
        text: model.redact(reply.text),
        usage,
        usageReported: reported !== undefined,
        costUsd,
        finishReason: result.finishReason,
        toolCalls,
        request: model.redact(result.request.body ?? null),
        response: model.redact({ id: result.response.id, modelId: result.response.modelId, body: capStoredBody(result.response.body ?? null, capBytes) }),
        ...(warnings.length > 0 && { warnings }),
      };
      // Awaited so the reply is stored before the job can end (a retry elsewhere then finds it).
      if (cacheKey) await options.cache?.put({ key: cacheKey, model: model.ref, params: cacheParams, entry });
      return {
        ...entry,
        spentUsd: tries.reduce((sum, t) => sum + t.costUsd, 0),
        reserveUsd,
        tries,
        cacheHit: false,
        // A cut reply goes back into the conversation cut too (tool-call replies keep their structure).
        responseMessages: reply.truncated && toolCalls.length === 0 ? [{ role: 'assistant', content: entry.text }] : (result.response.messages as ModelMessage[]),
        warnings,
        raw: { request: entry.request, response: entry.response },
      };
    } catch (error) {
      const failure = classifyFailure(error, {
        timedOut: timedOut && !options.abortSignal?.aborted,
        aborted: options.abortSignal?.aborted === true,
        now: Date.now(),
      });
      const charge = failure.maybeBilled && model.pricing ? reserveUsd : 0;
      reservation?.settle(charge);
      let reason: CallFailureReason = failure.reason;
      let delayMs = 0;
      let final = !failure.retryable || attempt > policy.maxRetries;
      if (!final && failure.retryAfterMs !== undefined) {
        if (failure.retryAfterMs > policy.maxRetryAfterMs) {
          reason = 'retry-after-too-long';
          final = true;
        } else {
          delayMs = failure.retryAfterMs;
          limiter?.pauseFor(delayMs);
        }
      } else if (!final) {
        delayMs = backoffMs(policy, attempt);
      }
      const message = model.redact(failure.message);
      const record: TryRecord = { attempt, outcome: reason, status: failure.status, error: message, costUsd: charge, delayMs, durationMs: Date.now() - started };
      tries.push(record);
      options.onTry?.(record);
      if (final) {
        throw new ProviderCallError({
          ref: model.ref,
          reason,
          status: failure.status,
          message: `${message} (after ${attempt} ${attempt === 1 ? 'try' : 'tries'})`,
          tries,
          cause: error,
        });
      }
      try {
        await sleep(delayMs, options.abortSignal);
      } catch (abortError) {
        throw new ProviderCallError({ ref: model.ref, reason: 'aborted', message: 'aborted while waiting to retry', tries, cause: abortError });
      }
    }
  }
}
