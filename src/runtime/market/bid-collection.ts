import type { Forecast } from '../../core/forecast.js';
import type { Task } from '../../core/task.js';
import { failedForecast, parseForecastReply } from '../elicit/parse-forecast.js';
import { callModel, reservationFor } from '../providers/call-model.js';
import { ProviderCallError } from '../providers/errors.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import type { SpendGate } from '../providers/spend-gate.js';
import { jobKey } from '../store/job-key.js';
import type { Store } from '../store/store.js';
import { type BidPromptWorker, buildMarketBidPrompt, marketBidJsonSchema } from './bid-prompt.js';
import { type MarketCallContext, withTimeout } from './market-calls.js';
import type { MarketSettings } from './market-settings.js';
import { type PaidStepResult, runPaidStep } from './paid-step.js';

/** A worker's bid reply as the ledger keeps it (what clearing needs; the raw text is in the forecasts row). */
export interface BidReply {
  /** Stated probability; null when invalid. */
  pSuccess: number | null;
  /** Stated tokens; null when missing. */
  expectedTokens: number | null;
  /** Ask in the market's currency; null when invalid. */
  ask: number | null;
  /** Whether the reply parsed into an in-range bid. */
  valid: boolean;
  /** Why not. */
  invalidReason: string | null;
  /** True when the worker did not answer within the bid timeout. */
  timedOut: boolean;
  /** Tokens of the bid call. */
  tokens: number;
}

/** One worker's bid step on one task. */
export interface CollectedBid {
  /** The worker. */
  workerId: string;
  /** Ledger key of the bid call. */
  jobKey: string;
  /** Pessimistic USD of the call's first try. */
  reserveUsd: number;
  /** The step's result (`failed` only when a budget or signal stopped it). */
  step: PaidStepResult<BidReply>;
}

/** Ledger key of a worker's bid on a task in a run. */
export function bidJobKey(input: { runId: string; taskId: string; workerId: string }): string {
  return jobKey({ run: input.runId, task: input.taskId, worker: input.workerId, treatment: 'bid', repeat: 0 });
}

/**
 * Asks every worker for its bid on the task at once (the `bid` treatment with the market's terms,
 * see `buildMarketBidPrompt`), each through the job ledger, reserving from `gate` (the bid arms'
 * budgets, split evenly). A reply is stored as a `forecasts` row with treatment `bid` and its raw
 * request and response, valid or not. A worker that does not answer within the timeout, or whose
 * call fails for good, gets an invalid row with the reason; that is final (the step is `done`), so
 * every arm and every later session clears on the same bids. Only a budget or a stop signal
 * leaves a step `failed` (tried again on resume).
 */
export async function collectBids(options: {
  /** The store. */
  store: Store;
  /** The run. */
  runId: string;
  /** The task. */
  task: Task;
  /** The bidders, with what the prompt tells each about itself (their models are `calls.models` by worker id). */
  workers: readonly (BidPromptWorker & { model: string })[];
  /** Market settings (terms, timeout, output cap). */
  settings: MarketSettings;
  /** Budget the bid calls reserve from. */
  gate: SpendGate;
  /** Share of each bid's cost charged to each arm. */
  charges: Record<string, number>;
  /** Models, limiters, cache, retries, stop signal. */
  calls: MarketCallContext;
}): Promise<CollectedBid[]> {
  const { store, runId, task, settings, calls } = options;
  return Promise.all(
    options.workers.map(async (worker) => {
      const key = bidJobKey({ runId, taskId: task.id, workerId: worker.id });
      const model = calls.models.get(worker.id) as ResolvedModel;
      const prompt = buildMarketBidPrompt({ task, worker, settings });
      const reserveUsd = reservationFor({ model, system: prompt.system, prompt: prompt.prompt, maxOutputTokens: settings.bidMaxOutputTokens });
      const step = await runPaidStep<BidReply>({
        store,
        runId,
        key,
        kind: 'bid',
        job: { runId, taskId: task.id, workerId: worker.id, model: worker.model, treatment: 'bid' },
        charges: options.charges,
        reserveUsd,
        gate: options.gate,
        execute: async (reservation) => {
          const base = { taskId: task.id, workerId: worker.id, treatment: 'bid' as const, repeat: 0 };
          const timer = withTimeout(calls.signal, settings.bidTimeoutSeconds * 1000);
          try {
            const result = await callModel({
              model,
              system: prompt.system,
              prompt: prompt.prompt,
              maxOutputTokens: settings.bidMaxOutputTokens,
              temperature: settings.temperature,
              ...(settings.structured && { jsonSchema: marketBidJsonSchema(settings) }),
              abortSignal: timer.signal,
              reservation,
              budget: options.gate,
              limiter: calls.limiters.get(model.prefix, model.provider),
              cache: calls.cache,
              retry: calls.retry,
            });
            const parsed = parseForecastReply(result.text, 'bid');
            const forecast: Forecast = { ...base, ...parsed, rawText: result.text };
            const tokens = result.usage.inputTokens + result.usage.outputTokens;
            return {
              status: 'done',
              spentUsd: result.spentUsd,
              result: { ...pickReply(forecast), timedOut: false, tokens },
              write: () =>
                store.putForecast({
                  runId,
                  jobKey: key,
                  forecast,
                  inputTokens: result.usage.inputTokens,
                  outputTokens: result.usage.outputTokens,
                  cachedTokens: result.usage.cachedInputTokens,
                  costUsd: result.costUsd ?? undefined,
                  request: result.request,
                  response: { ...(result.response as Record<string, unknown>), finishReason: result.finishReason },
                }),
            };
          } catch (error) {
            const failure = ProviderCallError.isInstance(error) ? error : undefined;
            const spentUsd = failure?.spentUsd ?? 0;
            const message = model.redact(error instanceof Error ? error.message : String(error));
            if (calls.signal.aborted) return { status: 'failed', spentUsd, result: undefined as never, error: `aborted: ${message}`, stop: 'signal' };
            if (failure?.reason === 'budget') return { status: 'failed', spentUsd, result: undefined as never, error: message, stop: 'budget' };
            const timedOut = timer.timedOut();
            const reason = timedOut ? `no bid within ${settings.bidTimeoutSeconds} s` : `call failed (${failure?.reason ?? 'error'}): ${message}`;
            const forecast = failedForecast(base, reason);
            return {
              status: 'done',
              spentUsd,
              result: { ...pickReply(forecast), timedOut, tokens: 0 },
              write: () =>
                store.putForecast({
                  runId,
                  jobKey: key,
                  forecast,
                  costUsd: spentUsd,
                  response: { error: reason, tries: failure?.tries.map(({ attempt, outcome, status }) => ({ attempt, outcome, status })) ?? [] },
                }),
            };
          } finally {
            timer.clear();
          }
        },
      });
      return { workerId: worker.id, jobKey: key, reserveUsd, step };
    }),
  );
}

function pickReply(forecast: Forecast): Omit<BidReply, 'timedOut' | 'tokens'> {
  return {
    pSuccess: forecast.pSuccess,
    expectedTokens: forecast.expectedTokens,
    ask: forecast.ask,
    valid: forecast.valid,
    invalidReason: forecast.invalidReason,
  };
}
