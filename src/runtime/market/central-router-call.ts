import { z } from 'zod';
import type { Task } from '../../core/task.js';
import { callModel, reservationFor } from '../providers/call-model.js';
import { callFailure, callRecords, failedCallResponse, jobCallOptions } from '../providers/call-records.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import { defineJobKind, type JobFunction } from '../jobs/job.js';
import type { JobEngine, JobResult } from '../jobs/job-engine.js';
import type { SpendGate } from '../jobs/spend-gate.js';
import { jobKey } from '../store/job-key.js';
import { type MarketCallContext, MarketCallPayloadSchema, ROUTER_MODEL_KEY } from './market-calls.js';
import type { RouterSettings } from '../../market/settings.js';
import { buildRouterPrompt, parseRouterReply, type RouterRosterEntry, routerJsonSchema } from './router-prompt.js';

/** The central router's decision for one round of one task, as the ledger keeps it. */
export const RouterDecisionSchema = z.object({
  /** The worker assigned: the router's valid choice, else the fallback. */
  choice: z.string(),
  /** Whether the router's reply named an eligible worker. */
  valid: z.boolean(),
  /** Why the reply was not used (unknown or excluded worker, malformed JSON, failed call); null when valid. */
  invalidReason: z.string().nullable(),
  /** True when `choice` is the fallback (the cheapest eligible worker). */
  fallback: z.boolean(),
  /** What the reply named, as written. */
  named: z.string().nullable(),
  /** The router's reason. */
  reason: z.string().nullable(),
  /** The raw reply text (null when the call failed). */
  rawText: z.string().nullable(),
  /** The router's model. */
  model: z.string(),
  /** The round decided. */
  round: z.number().int().positive(),
  /** Workers excluded this round (they failed the task earlier). */
  excluded: z.array(z.string()),
  /** Input tokens of the call. */
  inputTokens: z.number(),
  /** Output tokens of the call. */
  outputTokens: z.number(),
  /** Raw request body (redacted). */
  request: z.unknown(),
  /** Raw response (redacted) or the error. */
  response: z.unknown(),
});

/** The central router's decision (see `RouterDecisionSchema`). */
export type RouterDecision = z.infer<typeof RouterDecisionSchema>;

/** Everything a router job needs, as plain data (the prompt is built by the coordinator). */
export const RouterPayloadSchema = MarketCallPayloadSchema.extend({
  /** The round decided. */
  round: z.number().int().positive(),
  /** Workers that already failed the task. */
  excluded: z.array(z.string()),
  /** The roster in order with blended prices (for reading the reply and for the fallback). */
  roster: z.array(z.object({ id: z.string(), blendedPrice: z.number() })),
});

/** A router job's payload. */
export type RouterPayload = z.infer<typeof RouterPayloadSchema>;

/** The router job kind: one call of the central router for one round of one task. */
export const ROUTER_JOB = defineJobKind({ kind: 'router', payload: RouterPayloadSchema, result: RouterDecisionSchema });

/** Ledger key of the router's call for a task and round. */
export function routerJobKey(input: { runId: string; taskId: string; round: number }): string {
  return jobKey({ run: input.runId, task: input.taskId, kind: 'router', round: input.round });
}

/**
 * The fallback when the router's reply cannot be used: the eligible worker with the lowest blended
 * price (ties: roster order). Cheap and predictable, so a broken router costs little and is easy to see.
 */
export function routerFallback(roster: readonly { id: string; blendedPrice: number }[], excluded: readonly string[]): string {
  const eligible = roster.filter((entry) => !excluded.includes(entry.id));
  let best = eligible[0];
  for (const entry of eligible) if (best === undefined || entry.blendedPrice < best.blendedPrice) best = entry;
  if (best === undefined) throw new Error('routerFallback: nobody is eligible');
  return best.id;
}

/**
 * The router job's function: a single structured call (JSON schema with the eligible names as an
 * enum where the provider supports it; the reply parsed tolerantly either way). A reply that names
 * an unknown or excluded worker, is not JSON, or a call that fails for good is recorded with its
 * reason and falls back to `routerFallback` — never an exception. Only a budget or stop signal
 * leaves the job `failed` (tried again on resume).
 */
export function routerFunction(calls: Omit<MarketCallContext, 'signal'>): JobFunction<RouterPayload, RouterDecision> {
  return async (job, context) => {
    const { payload } = job;
    const model = calls.models.get(ROUTER_MODEL_KEY) as ResolvedModel;
    const ids = payload.roster.map((entry) => entry.id);
    const excluded = payload.excluded;
    const eligible = ids.filter((id) => !excluded.includes(id));
    const base = { model: payload.model, round: payload.round, excluded };
    try {
      const result = await callModel(
        jobCallOptions({
          model,
          payload,
          context,
          services: calls,
          abortSignal: context.signal,
          jsonSchema: payload.structured ? routerJsonSchema(eligible) : undefined,
        }),
      );
      const { inputTokens, outputTokens, request, response } = callRecords(result);
      const parsed = parseRouterReply({ text: result.text, roster: ids, excluded });
      const decision: RouterDecision = {
        ...base,
        choice: parsed.choice ?? routerFallback(payload.roster, excluded),
        valid: parsed.choice !== null,
        invalidReason: parsed.invalidReason,
        fallback: parsed.choice === null,
        named: parsed.named,
        reason: parsed.reason,
        rawText: result.text,
        inputTokens,
        outputTokens,
        request,
        response,
      };
      return { status: 'done', spentUsd: result.spentUsd, result: decision };
    } catch (error) {
      const { failure, spentUsd, message, reason } = callFailure(error, model);
      if (context.signal.aborted) return { status: 'failed', spentUsd, error: `aborted: ${message}`, stop: 'signal' };
      if (failure?.reason === 'budget') return { status: 'failed', spentUsd, error: message, stop: 'budget' };
      const decision: RouterDecision = {
        ...base,
        choice: routerFallback(payload.roster, excluded),
        valid: false,
        invalidReason: reason,
        fallback: true,
        named: null,
        reason: null,
        rawText: null,
        inputTokens: 0,
        outputTokens: 0,
        request: null,
        response: failedCallResponse(failure, reason),
      };
      return { status: 'done', spentUsd, result: decision };
    }
  };
}

/** One central-router decision for a task and round: a `router` job through the engine. */
export async function routeTask(options: {
  /** The run's engine. */
  engine: JobEngine;
  /** The task. */
  task: Task;
  /** Every worker on the roster, in roster order, with blended prices for the fallback. */
  roster: readonly (RouterRosterEntry & { blendedPrice: number })[];
  /** Workers that already failed the task. */
  excluded: readonly string[];
  /** The round. */
  round: number;
  /** Router settings. */
  router: RouterSettings;
  /** The router's resolved model (to price the first try). */
  model: ResolvedModel;
  /** Request structured output. */
  structured: boolean;
  /** Budget to reserve from (the router arm's). */
  gate: SpendGate;
  /** Share of the cost charged to each arm. */
  charges: Record<string, number>;
}): Promise<JobResult<RouterDecision>> {
  const { engine, task, round, router, model } = options;
  const runId = engine.runId;
  const excluded = [...options.excluded];
  const prompt = buildRouterPrompt({ task, roster: options.roster, excluded, round });
  return engine.run({
    kind: ROUTER_JOB,
    key: routerJobKey({ runId, taskId: task.id, round }),
    payload: {
      runId,
      taskId: task.id,
      round,
      excluded,
      model: router.model,
      system: prompt.system,
      prompt: prompt.prompt,
      maxOutputTokens: router.maxOutputTokens,
      temperature: router.temperature,
      structured: options.structured,
      roster: options.roster.map((entry) => ({ id: entry.id, blendedPrice: entry.blendedPrice })),
    },
    charges: options.charges,
    reserveUsd: reservationFor({ model, system: prompt.system, prompt: prompt.prompt, maxOutputTokens: router.maxOutputTokens }),
    gate: options.gate,
    label: `router ${task.id} #${round}`,
  });
}
