import { z } from 'zod';
import { PlanCapsSchema, PlanSchema } from '../../core/plan.js';
import type { Task } from '../../core/task.js';
import type { MarketSettings } from '../../market/settings.js';
import { type ForecastRecords, forecastJobKind } from '../elicit/forecast-job.js';
import { buildForecastPrompt, FORECAST_SYSTEM_PROMPT } from '../elicit/forecast-prompt.js';
import { parsePlansReply } from '../elicit/parse-plans.js';
import { plansJsonSchema } from '../elicit/plans-prompt.js';
import type { JobFunction } from '../jobs/job.js';
import type { JobEngine } from '../jobs/job-engine.js';
import type { SpendGate } from '../jobs/spend-gate.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import { withOperatorContext } from '../scaffold/attempt-executor.js';
import { jobKey } from '../store/job-key.js';
import { type CollectedForecastCall, collectForecastCalls, ForecastCallPayloadSchema, forecastCallJob } from './forecast-call-job.js';
import type { MarketCallContext } from './market-calls.js';

/** Ledger key of a worker's menu on a task in a run (one per worker × task, shared by every plan arm). */
export function menuJobKey(input: { runId: string; taskId: string; workerId: string }): string {
  return jobKey({ run: input.runId, task: input.taskId, worker: input.workerId, treatment: 'plans', repeat: 0 });
}

/** Everything a menu job needs, as plain data (the prompt and the offered budgets travel with it). */
export const MenuPayloadSchema = ForecastCallPayloadSchema.extend({
  /** Always `plans`. */
  treatment: z.literal('plans'),
  /** The budgets offered; the reply is read against them. */
  planBudgets: z.array(PlanCapsSchema).min(1),
});

/** A menu job's payload. */
export type MenuPayload = z.infer<typeof MenuPayloadSchema>;

/** A worker's menu as the ledger keeps it (what clearing needs; the raw text is in the forecasts row). */
export const MenuReplySchema = z.object({
  /** The checked menu, sorted by budget; null when invalid. */
  menu: z.array(PlanSchema).nullable(),
  /** Whether the reply parsed into a valid menu. */
  valid: z.boolean(),
  /** Why not. */
  invalidReason: z.string().nullable(),
  /** True when the worker did not answer within the timeout. */
  timedOut: z.boolean(),
  /** Tokens of the call. */
  tokens: z.number(),
});

/** A worker's menu reply (see `MenuReplySchema`). */
export type MenuReply = z.infer<typeof MenuReplySchema>;

/** The menu job kind: one model call, one `forecasts` row with treatment `plans` and its menu. */
export const MENU_JOB = forecastJobKind({ kind: 'plan-bid', payload: MenuPayloadSchema, result: MenuReplySchema });

/**
 * The menu job's function: asks the worker's model for its menu at the market's plan budgets (the
 * `plans` treatment). As with bids (see `forecastCallJob`), a reply, a timeout or a call that failed
 * for good is final, so every plan arm and every later session clears on the same menus.
 */
export function menuFunction(calls: Omit<MarketCallContext, 'signal'>): JobFunction<MenuPayload, MenuReply, ForecastRecords> {
  return forecastCallJob({
    calls,
    treatment: 'plans',
    asked: 'menu',
    jsonSchema: () => plansJsonSchema(),
    parse: (text, payload: MenuPayload) => {
      const { menu, ...parsed } = parsePlansReply(text, payload.planBudgets);
      return { ...parsed, ...(menu && { menu }) };
    },
    reply: ({ forecast, timedOut, tokens }) => ({ menu: forecast.menu ?? null, valid: forecast.valid, invalidReason: forecast.invalidReason, timedOut, tokens }),
  });
}

/** One worker's menu step on one task. */
export type CollectedMenu = CollectedForecastCall<MenuReply>;

/**
 * Asks every worker for its menu on the task at once, each a `plan-bid` job through the engine,
 * reserving from `gate` (the plan arms' budgets, split evenly). Menus done earlier come back from
 * the store; one another plan arm is collecting right now is joined, not asked twice.
 */
export async function collectMenus(options: {
  /** The run's engine. */
  engine: JobEngine;
  /** The task. */
  task: Task;
  /** The bidders (their models are `models` by worker id). */
  workers: readonly { id: string; model: string; persona?: string | undefined }[];
  /** Resolved models by worker id (to price the first try). */
  models: ReadonlyMap<string, ResolvedModel>;
  /** Market settings (budgets, timeout, output cap). */
  settings: MarketSettings;
  /** Budget the calls reserve from. */
  gate: SpendGate;
  /** Share of each call's cost charged to each arm. */
  charges: Record<string, number>;
}): Promise<CollectedMenu[]> {
  const { engine, task, settings } = options;
  const runId = engine.runId;
  const built = buildForecastPrompt({ task, treatment: 'plans', plans: settings.planBudgets });
  return collectForecastCalls({
    ...options,
    kind: MENU_JOB,
    job: (worker) => ({
      key: menuJobKey({ runId, taskId: task.id, workerId: worker.id }),
      payload: {
        runId,
        taskId: task.id,
        workerId: worker.id,
        model: worker.model,
        treatment: 'plans' as const,
        system: FORECAST_SYSTEM_PROMPT,
        prompt: withOperatorContext(built.prompt, worker.persona),
        planBudgets: settings.planBudgets,
        maxOutputTokens: settings.bidMaxOutputTokens,
        temperature: settings.temperature,
        structured: settings.structured,
        timeoutSeconds: settings.bidTimeoutSeconds,
      },
      label: `menu ${worker.id} ${task.id}`,
    }),
  });
}
