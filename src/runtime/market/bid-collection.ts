import { z } from 'zod';
import type { Forecast } from '../../core/forecast.js';
import type { Task } from '../../core/task.js';
import { parseForecastReply } from '../elicit/parse-forecast.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import { jobKey } from '../store/job-key.js';
import { type BidPromptWorker, buildMarketBidPrompt, marketBidJsonSchema } from './bid-prompt.js';
import { type CollectedForecastCall, collectForecastCalls, ForecastCallPayloadSchema, forecastCallJob } from './forecast-call-job.js';
import type { MarketCallContext } from './market-calls.js';
import { type BidReply, BidReplySchema } from '../../market/bid-reply.js';
import type { MarketSettings } from '../../market/settings.js';
import type { JobFunction } from '../jobs/job.js';
import type { JobEngine } from '../jobs/job-engine.js';
import type { SpendGate } from '../jobs/spend-gate.js';
import { type ForecastRecords, forecastJobKind } from '../elicit/forecast-job.js';

/** One worker's bid step on one task. */
export type CollectedBid = CollectedForecastCall<BidReply>;

/** Ledger key of a worker's bid on a task in a run. */
export function bidJobKey(input: { runId: string; taskId: string; workerId: string }): string {
  return jobKey({ run: input.runId, task: input.taskId, worker: input.workerId, treatment: 'bid', repeat: 0 });
}

/** Everything a bid job needs, as plain data (the prompt is built by the coordinator). */
export const BidPayloadSchema = ForecastCallPayloadSchema.extend({
  /** Always `bid`. */
  treatment: z.literal('bid'),
  /** The market's currency (names the ask's unit in the JSON schema). */
  currency: z.enum(['credits', 'usd']),
});

/** A bid job's payload. */
export type BidPayload = z.infer<typeof BidPayloadSchema>;

/** The bid job kind: one model call, one `forecasts` row with treatment `bid`. */
export const BID_JOB = forecastJobKind({ kind: 'bid', payload: BidPayloadSchema, result: BidReplySchema });

/**
 * The bid job's function: asks the worker's model for its bid (the `bid` treatment with the
 * market's terms); see `forecastCallJob` for what is final and what is tried again on resume.
 */
export function bidFunction(calls: Omit<MarketCallContext, 'signal'>): JobFunction<BidPayload, BidReply, ForecastRecords> {
  return forecastCallJob({
    calls,
    treatment: 'bid',
    asked: 'bid',
    jsonSchema: (payload: BidPayload) => marketBidJsonSchema({ currency: payload.currency }),
    parse: (text) => parseForecastReply(text, 'bid'),
    reply: ({ forecast, timedOut, tokens }) => ({ ...pickReply(forecast), timedOut, tokens }),
  });
}

/**
 * Asks every worker for its bid on the task at once, each a `bid` job through the engine,
 * reserving from `gate` (the bid arms' budgets, split evenly). Bids done earlier come back from the
 * store; a bid another arm's unit is collecting right now is joined, not asked twice.
 */
export async function collectBids(options: {
  /** The run's engine. */
  engine: JobEngine;
  /** The task. */
  task: Task;
  /** The bidders, with what the prompt tells each about itself (their models are `models` by worker id). */
  workers: readonly (BidPromptWorker & { model: string })[];
  /** Resolved models by worker id (to price the first try). */
  models: ReadonlyMap<string, ResolvedModel>;
  /** Market settings (terms, timeout, output cap). */
  settings: MarketSettings;
  /** Budget the bid calls reserve from. */
  gate: SpendGate;
  /** Share of each bid's cost charged to each arm. */
  charges: Record<string, number>;
}): Promise<CollectedBid[]> {
  const { engine, task, settings } = options;
  const runId = engine.runId;
  return collectForecastCalls({
    ...options,
    kind: BID_JOB,
    job: (worker) => {
      const prompt = buildMarketBidPrompt({ task, worker, settings });
      return {
        key: bidJobKey({ runId, taskId: task.id, workerId: worker.id }),
        payload: {
          runId,
          taskId: task.id,
          workerId: worker.id,
          model: worker.model,
          treatment: 'bid',
          system: prompt.system,
          prompt: prompt.prompt,
          maxOutputTokens: settings.bidMaxOutputTokens,
          temperature: settings.temperature,
          structured: settings.structured,
          currency: settings.currency,
          timeoutSeconds: settings.bidTimeoutSeconds,
        },
        label: `bid ${worker.id} ${task.id}`,
      };
    },
  });
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
