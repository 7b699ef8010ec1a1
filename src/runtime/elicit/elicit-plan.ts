import type { Treatment } from '../../core/forecast.js';
import type { PlanCaps } from '../../core/plan.js';
import type { LabeledForecast } from '../../core/labeled-forecast.js';
import { blendedPrice, type Pricing } from '../../core/pricing.js';
import type { Task } from '../../core/task.js';
import type { JobSpec } from '../jobs/run-jobs.js';
import type { ElicitPayload } from './forecast-job.js';
import { inputTokensUpperBound, pessimisticCost } from '../providers/usage.js';
import { jobKey } from '../store/job-key.js';
import { historyOfWorker } from './card-history.js';
import { buildForecastPrompt } from './forecast-prompt.js';
import { cardStats, renderCard } from './self-knowledge-card.js';

/** One forecast call, as stored in the job ledger (serializable, no secrets). */
export type { ElicitPayload } from './forecast-job.js';

/** Auction terms of the `bid` treatment (the worker's token price is added per worker). */
export interface BidSettings {
  /** Upper end R of the uniform reserve, USD (default $1). */
  bountyUsd: number;
  /** Failure penalty F, USD (default $2). */
  failurePenaltyUsd: number;
}

/** Defaults of §5's reserve-price auction. */
export const DEFAULT_BID_SETTINGS: BidSettings = { bountyUsd: 1, failurePenaltyUsd: 2 };

/** Inputs of `planElicitation`. */
export interface PlanElicitationInput {
  /** The run id (part of every job key). */
  runId: string;
  /** Tasks to forecast. */
  tasks: readonly Task[];
  /** Model references (worker ids). */
  models: readonly string[];
  /** Treatments to elicit. */
  treatments: readonly Treatment[];
  /** Repeats per (task, model, treatment). */
  repeats: number;
  /** Prices of each model. */
  pricing: ReadonlyMap<string, Pricing>;
  /** Labeled history for `card` (all workers; each worker's own rows are picked). */
  cardHistory: readonly LabeledForecast[];
  /** Auction terms for `bid`. */
  bid: BidSettings;
  /** Budgets offered by `plans`. */
  planBudgets?: readonly PlanCaps[];
  /** Output cap per call. */
  maxOutputTokens: number;
  /** Temperature. */
  temperature: number;
  /** Request structured output. */
  structured: boolean;
}

/** A planned elicitation. */
export interface ElicitationPlan {
  /** Jobs in launch order (repeat → task → treatment → model, so providers interleave). */
  jobs: JobSpec<ElicitPayload>[];
  /** Things the user should know (e.g. a worker with no track record for `card`). */
  warnings: string[];
}

/** Builds every forecast job with its prompt, key and pessimistic first-try cost. */
export function planElicitation(input: PlanElicitationInput): ElicitationPlan {
  const jobs: JobSpec<ElicitPayload>[] = [];
  const warnings: string[] = [];
  const histories = new Map(input.models.map((model) => [model, historyOfWorker(input.cardHistory, model)]));
  if (input.treatments.includes('card')) {
    for (const [model, rows] of histories) {
      if (rows.length === 0) warnings.push(`no labeled history for ${model}: its card says it has no track record yet`);
    }
  }
  for (let repeat = 0; repeat < input.repeats; repeat++) {
    for (const task of input.tasks) {
      for (const treatment of input.treatments) {
        for (const model of input.models) {
          const pricing = input.pricing.get(model) as Pricing;
          let cardTasks: number | undefined;
          let card: string | undefined;
          if (treatment === 'card') {
            const stats = cardStats({ rows: histories.get(model) ?? [], taskId: task.id, repo: task.repo });
            cardTasks = stats?.tasks ?? 0;
            card = renderCard(stats);
          }
          const bid = treatment === 'bid' ? { ...input.bid, pricePerToken: blendedPrice(pricing) } : undefined;
          const planBudgets = treatment === 'plans' ? input.planBudgets : undefined;
          const { system, prompt } = buildForecastPrompt({ task, treatment, card, bid, plans: planBudgets });
          const reserveUsd = pessimisticCost({
            inputTokens: inputTokensUpperBound([system, prompt]),
            maxOutputTokens: input.maxOutputTokens,
            pricing,
          });
          jobs.push({
            key: jobKey({ run: input.runId, task: task.id, worker: model, treatment, repeat }),
            kind: 'forecast',
            reserveUsd,
            label: `${model} ${task.id} ${treatment}${input.repeats > 1 ? ` #${repeat}` : ''}`,
            payload: {
              runId: input.runId,
              taskId: task.id,
              workerId: model,
              treatment,
              repeat,
              system,
              prompt,
              maxOutputTokens: input.maxOutputTokens,
              temperature: input.temperature,
              structured: input.structured,
              ...(cardTasks !== undefined && { cardTasks }),
              ...(planBudgets && { planBudgets: [...planBudgets] }),
            },
          });
        }
      }
    }
  }
  return { jobs, warnings };
}
