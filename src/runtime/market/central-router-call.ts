import type { Task } from '../../core/task.js';
import { callModel, reservationFor } from '../providers/call-model.js';
import { ProviderCallError } from '../providers/errors.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import type { SpendGate } from '../providers/spend-gate.js';
import { jobKey } from '../store/job-key.js';
import type { Store } from '../store/store.js';
import { type MarketCallContext, ROUTER_MODEL_KEY } from './market-calls.js';
import type { RouterSettings } from './market-settings.js';
import { type PaidStepResult, runPaidStep } from './paid-step.js';
import { buildRouterPrompt, parseRouterReply, type RouterRosterEntry, routerJsonSchema } from './router-prompt.js';

/** The central router's decision for one round of one task, as the ledger keeps it. */
export interface RouterDecision {
  /** The worker assigned: the router's valid choice, else the fallback. */
  choice: string;
  /** Whether the router's reply named an eligible worker. */
  valid: boolean;
  /** Why the reply was not used (unknown or excluded worker, malformed JSON, failed call); null when valid. */
  invalidReason: string | null;
  /** True when `choice` is the fallback (the cheapest eligible worker). */
  fallback: boolean;
  /** What the reply named, as written. */
  named: string | null;
  /** The router's reason. */
  reason: string | null;
  /** The raw reply text (null when the call failed). */
  rawText: string | null;
  /** The router's model. */
  model: string;
  /** The round decided. */
  round: number;
  /** Workers excluded this round (they failed the task earlier). */
  excluded: string[];
  /** Input tokens of the call. */
  inputTokens: number;
  /** Output tokens of the call. */
  outputTokens: number;
  /** Raw request body (redacted). */
  request: unknown;
  /** Raw response (redacted) or the error. */
  response: unknown;
}

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
 * One central-router decision: a single structured call (JSON schema with the eligible names as an
 * enum where the provider supports it; the reply parsed tolerantly either way) through the job
 * ledger. A reply that names an unknown or excluded worker, is not JSON, or a call that fails for
 * good is recorded with its reason and falls back to `routerFallback` — never an exception. Only a
 * budget or stop signal leaves the step `failed` (tried again on resume).
 */
export async function routeTask(options: {
  /** The store. */
  store: Store;
  /** The run. */
  runId: string;
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
  /** Request structured output. */
  structured: boolean;
  /** Budget to reserve from (the router arm's). */
  gate: SpendGate;
  /** Share of the cost charged to each arm. */
  charges: Record<string, number>;
  /** Models, limiters, cache, retries, stop signal. */
  calls: MarketCallContext;
}): Promise<PaidStepResult<RouterDecision>> {
  const { store, runId, task, round, router, calls } = options;
  const excluded = [...options.excluded];
  const ids = options.roster.map((entry) => entry.id);
  const eligible = ids.filter((id) => !excluded.includes(id));
  const model = calls.models.get(ROUTER_MODEL_KEY) as ResolvedModel;
  const prompt = buildRouterPrompt({ task, roster: options.roster, excluded, round });
  const key = routerJobKey({ runId, taskId: task.id, round });
  const base = { model: router.model, round, excluded };
  return runPaidStep<RouterDecision>({
    store,
    runId,
    key,
    kind: 'router',
    job: { runId, taskId: task.id, round, excluded, model: router.model },
    charges: options.charges,
    reserveUsd: reservationFor({ model, system: prompt.system, prompt: prompt.prompt, maxOutputTokens: router.maxOutputTokens }),
    gate: options.gate,
    execute: async (reservation) => {
      try {
        const result = await callModel({
          model,
          system: prompt.system,
          prompt: prompt.prompt,
          maxOutputTokens: router.maxOutputTokens,
          temperature: router.temperature,
          ...(options.structured && { jsonSchema: routerJsonSchema(eligible) }),
          abortSignal: calls.signal,
          reservation,
          budget: options.gate,
          limiter: calls.limiters.get(model.prefix, model.provider),
          cache: calls.cache,
          retry: calls.retry,
        });
        const parsed = parseRouterReply({ text: result.text, roster: ids, excluded });
        const decision: RouterDecision = {
          ...base,
          choice: parsed.choice ?? routerFallback(options.roster, excluded),
          valid: parsed.choice !== null,
          invalidReason: parsed.invalidReason,
          fallback: parsed.choice === null,
          named: parsed.named,
          reason: parsed.reason,
          rawText: result.text,
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          request: result.request,
          response: { ...(result.response as Record<string, unknown>), finishReason: result.finishReason },
        };
        return { status: 'done', spentUsd: result.spentUsd, result: decision };
      } catch (error) {
        const failure = ProviderCallError.isInstance(error) ? error : undefined;
        const spentUsd = failure?.spentUsd ?? 0;
        const message = model.redact(error instanceof Error ? error.message : String(error));
        if (calls.signal.aborted) return { status: 'failed', spentUsd, result: undefined as never, error: `aborted: ${message}`, stop: 'signal' };
        if (failure?.reason === 'budget') return { status: 'failed', spentUsd, result: undefined as never, error: message, stop: 'budget' };
        const reason = `call failed (${failure?.reason ?? 'error'}): ${message}`;
        const decision: RouterDecision = {
          ...base,
          choice: routerFallback(options.roster, excluded),
          valid: false,
          invalidReason: reason,
          fallback: true,
          named: null,
          reason: null,
          rawText: null,
          inputTokens: 0,
          outputTokens: 0,
          request: null,
          response: { error: reason, tries: failure?.tries.map(({ attempt, outcome, status }) => ({ attempt, outcome, status })) ?? [] },
        };
        return { status: 'done', spentUsd, result: decision };
      }
    },
  });
}
