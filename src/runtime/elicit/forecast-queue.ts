import { z } from 'zod';
import { type Pricing, PricingSchema } from '../../core/pricing.js';
import type { ExecutorJob } from '../jobs/queue/queue-executor.js';
import type { QueueJobHandler } from '../jobs/queue/queue-worker.js';
import { ProviderLimiters } from '../providers/provider-limiter.js';
import { parseProviderRef } from '../providers/provider-ref.js';
import type { ResponseCache } from '../providers/response-cache.js';
import { type ResolvedModel, resolveModel } from '../providers/resolve-model.js';
import type { RetryPolicy } from '../providers/retry-policy.js';
import { makeElicitExecutor } from './elicit-executor.js';
import { type ElicitPayload, ElicitPayloadSchema } from './forecast-job.js';

/** What a forecast job needs on a worker besides its payload: the coordinator's prices and call settings. */
export const ForecastQueueSettingsSchema = z.object({
  /** Prices of the job's model (the coordinator's table, `--pricing` included). */
  pricing: PricingSchema.optional(),
  /** The coordinator's base URL (a worker's own `--base-url` wins). */
  baseUrl: z.string().optional(),
  /** Retry policy overrides. */
  retry: z.object({ maxRetries: z.number().int().nonnegative().optional(), timeoutMs: z.number().positive().optional() }).optional(),
});

/** The provider queue of a forecast job: its model's prefix. */
export function forecastQueueRoute(job: ExecutorJob): string {
  return parseProviderRef((job.payload as ElicitPayload).workerId).prefix;
}

/** The settings sent with each forecast job (never a key). */
export function forecastQueueSettings(input: { pricing: ReadonlyMap<string, Pricing>; baseUrl?: string; retry?: Partial<RetryPolicy> }): (job: ExecutorJob) => Record<string, unknown> {
  return (job) => {
    const workerId = (job.payload as ElicitPayload).workerId;
    const pricing = input.pricing.get(workerId);
    const retry = input.retry && { maxRetries: input.retry.maxRetries, timeoutMs: input.retry.timeoutMs };
    return { ...(pricing && { pricing }), ...(input.baseUrl && { baseUrl: input.baseUrl }), ...(retry && { retry }) };
  };
}

/**
 * The forecast job function on a worker: resolves the job's model with this machine's key (at
 * the coordinator's prices) and runs the same function a single-process run uses.
 */
export function forecastWorkerHandler(input: {
  env: Record<string, string | undefined>;
  baseUrl?: string;
  /** The response cache of a job's enqueueing (shared by the workers), so a retried job does not pay again for a call made before. */
  cacheFor?: (scope: string) => ResponseCache;
}): QueueJobHandler {
  const limiters = new ProviderLimiters();
  const models = new Map<string, ResolvedModel>();
  return {
    payloadSchema: ElicitPayloadSchema,
    run: async (job, context) => {
      const settings = ForecastQueueSettingsSchema.parse(job.settings);
      const payload = job.payload as ElicitPayload;
      const baseUrl = input.baseUrl ?? settings.baseUrl;
      const cacheKey = JSON.stringify([payload.workerId, settings.pricing ?? null, baseUrl ?? null]);
      let model = models.get(cacheKey);
      if (!model) {
        const pricingTable = { version: 'coordinator', models: settings.pricing ? { [payload.workerId]: settings.pricing } : {} };
        model = resolveModel(payload.workerId, { env: input.env, baseUrl, pricingTable });
        models.set(cacheKey, model);
      }
      const run = makeElicitExecutor({ models: new Map([[payload.workerId, model]]), limiters, retry: settings.retry, cache: input.cacheFor?.(`${job.runId}:${job.enqueueId}`) });
      return run({ key: job.key, kind: job.kind, runId: job.runId, payload }, context);
    },
  };
}
