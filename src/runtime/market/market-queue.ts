import { z } from 'zod';
import { type Pricing, PricingSchema } from '../../core/pricing.js';
import type { QueueExecutorOptions } from '../jobs/queue/queue-executor.js';
import type { QueueDispatcher } from '../jobs/queue/queue-dispatcher.js';
import type { JobFunction } from '../jobs/job.js';
import type { QueueJobHandler } from '../jobs/queue/queue-worker.js';
import { ProviderLimiters } from '../providers/provider-limiter.js';
import { parseProviderRef } from '../providers/provider-ref.js';
import { type ResolvedModel, resolveModel } from '../providers/resolve-model.js';
import type { ResponseCache } from '../providers/response-cache.js';
import { type AttemptQueueContext, attemptQueueRoute, attemptQueueSettings, receiveAttemptOutcome } from '../scaffold/attempt-queue.js';
import { ATTEMPT_JOB } from '../scaffold/attempt-job.js';
import { BID_JOB, type BidPayload, BidPayloadSchema, bidFunction } from './bid-collection.js';
import { ROUTER_JOB, type RouterPayload, RouterPayloadSchema, routerFunction } from './central-router-call.js';
import { type MarketCallContext, ROUTER_MODEL_KEY } from './market-calls.js';
import { MENU_JOB, MenuPayloadSchema, menuFunction } from './menu-collection.js';

/** What a bid or router job needs on a worker besides its payload: its model's prices and call settings. */
export const MarketCallQueueSettingsSchema = z.object({
  /** Prices of the call's model (the coordinator's table, `--pricing` included). */
  pricing: PricingSchema.optional(),
  /** The coordinator's base URL (a worker's own `--base-url` wins). */
  baseUrl: z.string().optional(),
  /** Retry policy overrides. */
  retry: z.object({ maxRetries: z.number().int().nonnegative().optional(), timeoutMs: z.number().positive().optional() }).optional(),
});

/**
 * How a market run's paid jobs travel over the queue: bids and router calls go to the queue of
 * their model's provider with the model's prices; attempts to their bundle's provider with the
 * task, the bundle and the suite; a finished attempt's trajectory is written beside the store.
 * Whatever a job's payload holds (caps, plans, rounds) travels with it unchanged.
 */
export function marketQueueExecutorOptions(input: {
  /** The open queue. */
  dispatcher: QueueDispatcher;
  /** The coordinator's resolved models (each worker's by id, the router's under `ROUTER_MODEL_KEY`): their prices travel. */
  models: ReadonlyMap<string, ResolvedModel>;
  /** What attempt jobs need. */
  attempts: AttemptQueueContext;
  /** Where the coordinator keeps trajectory files. */
  trajectoryDir: string;
}): QueueExecutorOptions {
  const { attempts } = input;
  const retry = attempts.retry && { maxRetries: attempts.retry.maxRetries, timeoutMs: attempts.retry.timeoutMs };
  return {
    dispatcher: input.dispatcher,
    route: (job) => (job.kind === ATTEMPT_JOB.kind ? attemptQueueRoute(attempts, job) : parseProviderRef((job.payload as BidPayload | RouterPayload).model).prefix),
    settings: (job) => {
      if (job.kind === ATTEMPT_JOB.kind) return attemptQueueSettings(attempts, job);
      const key = job.kind === ROUTER_JOB.kind ? ROUTER_MODEL_KEY : (job.payload as BidPayload).workerId;
      const pricing: Pricing | undefined = input.models.get(key)?.pricing;
      return { ...(pricing && { pricing }), ...(attempts.baseUrl && { baseUrl: attempts.baseUrl }), ...(retry && { retry }) };
    },
    receive: (job, outcome) => (job.kind === ATTEMPT_JOB.kind ? receiveAttemptOutcome({ trajectoryDir: input.trajectoryDir, job, outcome }) : outcome),
  };
}

/** A model resolved on a worker with this machine's key at the coordinator's prices (cached per model, price and URL). */
function workerModels(input: { env: Record<string, string | undefined>; baseUrl?: string }) {
  const models = new Map<string, ResolvedModel>();
  return (ref: string, settings: z.infer<typeof MarketCallQueueSettingsSchema>): ResolvedModel => {
    const baseUrl = input.baseUrl ?? settings.baseUrl;
    const cacheKey = JSON.stringify([ref, settings.pricing ?? null, baseUrl ?? null]);
    let model = models.get(cacheKey);
    if (!model) {
      const resolved = resolveModel(ref, { env: input.env, baseUrl });
      model = settings.pricing ? { ...resolved, pricing: settings.pricing } : resolved;
      models.set(cacheKey, model);
    }
    return model;
  };
}

/**
 * The bid and router job functions on a worker: the same functions a single-process market runs,
 * with the job's model resolved on this machine and the run's shared response cache, if given.
 */
export function marketWorkerHandlers(input: {
  env: Record<string, string | undefined>;
  baseUrl?: string;
  /** The response cache of a job's enqueueing (shared by the workers), so a retried job does not pay again for a call made before. */
  cacheFor?: (scope: string) => ResponseCache;
}): [string, QueueJobHandler][] {
  const limiters = new ProviderLimiters();
  const model = workerModels(input);
  /** A handler for one market call job: the payload's model, under `modelKey` in the calls' map, run by the job's function. */
  const callHandler = <P extends { model: string }>(
    payloadSchema: z.ZodType<P>,
    modelKey: (payload: P) => string,
    jobFunction: (calls: Omit<MarketCallContext, 'signal'>) => JobFunction<P>,
  ): QueueJobHandler => ({
    payloadSchema,
    run: (job, context) => {
      const settings = MarketCallQueueSettingsSchema.parse(job.settings);
      const payload = job.payload as P;
      const calls = { models: new Map([[modelKey(payload), model(payload.model, settings)]]), limiters, cache: input.cacheFor?.(`${job.runId}:${job.enqueueId}`), retry: settings.retry };
      return jobFunction(calls)({ key: job.key, kind: job.kind, runId: job.runId, payload }, context);
    },
  });
  const bid = callHandler(BidPayloadSchema, (payload) => payload.workerId, bidFunction);
  // A plan arm's menu call: the same shape as a bid (one call for one worker's model).
  const menu = callHandler(MenuPayloadSchema, (payload) => payload.workerId, menuFunction);
  const router = callHandler(RouterPayloadSchema, () => ROUTER_MODEL_KEY, routerFunction);
  return [
    [BID_JOB.kind, bid],
    [MENU_JOB.kind, menu],
    [ROUTER_JOB.kind, router],
  ];
}
