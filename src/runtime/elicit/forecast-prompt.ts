import type { JSONSchema7 } from 'ai';
import type { Task } from '../../core/task.js';
import type { Treatment } from '../../core/forecast.js';
import type { PlanCaps } from '../../core/plan.js';
import { planBudgetLines, planReplyLines, plansJsonSchema } from './plans-prompt.js';

/** Version of the prompt texts; recorded in every elicit run's config. */
export const FORECAST_PROMPT_VERSION = 'forecast-v1';

/** Output cap of a forecast call (§6: ~1,200 tokens). */
export const FORECAST_MAX_OUTPUT_TOKENS = 1200;

/** How many acceptance-test names are listed before the rest are counted. */
const MAX_TEST_NAMES = 40;

/** The terms of the auction a `bid` prompt describes. */
export interface BidTerms {
  /** Most the principal pays for a solved task (the reserve's upper end R), USD. */
  bountyUsd: number;
  /** Penalty the worker pays when it wins and fails, USD. */
  failurePenaltyUsd: number;
  /** The worker's blended USD price per token, to turn tokens into cost. */
  pricePerToken: number;
}

/** The system prompt: a careful estimate, strict JSON. */
export const FORECAST_SYSTEM_PROMPT =
  'You are an AI software engineering agent. Before you attempt a task you give a careful, honest ' +
  'estimate of your own chances and effort. Reply with strict JSON only: one object, no prose and no code fences.';

/** Everything needed to build one forecast prompt. */
export interface ForecastPromptInput {
  /** The task. */
  task: Task;
  /** The treatment. */
  treatment: Treatment;
  /** Self-knowledge card text (treatment `card`). */
  card?: string;
  /** Auction terms (treatment `bid`). */
  bid?: BidTerms;
  /** Budgets offered (treatment `plans`). */
  plans?: readonly PlanCaps[];
}

/** A built prompt. */
export interface ForecastPrompt {
  /** System message. */
  system: string;
  /** User message. */
  prompt: string;
}

/**
 * The forecast prompt of DESIGN §6. Task text is concatenated verbatim (no template engine), so
 * `{{ }}`, `{% %}` or `${}` in a problem statement reach the model unchanged.
 */
export function buildForecastPrompt(input: ForecastPromptInput): ForecastPrompt {
  const { task, treatment } = input;
  const lines: string[] = [
    'Estimate the probability that you will solve the task below correctly in one attempt (your patch makes the ' +
      'failing acceptance tests pass without breaking the others), and the total number of tokens (input plus ' +
      'output, over every step) a full attempt will use.',
    '',
  ];
  if (treatment === 'card' && input.card) lines.push(input.card, '');
  if (treatment === 'bid' && input.bid) lines.push(...bidLines(input.bid), '');
  if (treatment === 'plans' && input.plans) {
    lines.push(...planBudgetLines(input.plans), '', ...planReplyLines(input.plans.length), '', ...taskLines(task));
    return { system: FORECAST_SYSTEM_PROMPT, prompt: lines.join('\n') };
  }
  lines.push('Reply with one JSON object:');
  lines.push('- "p_success": probability of success in one attempt, a number from 0 to 1 (e.g. 0.35), not a percentage');
  lines.push('- "expected_tokens": total tokens of a full attempt, a whole number');
  if (treatment === 'bid') lines.push('- "ask": your ask price in USD, a number');
  lines.push('- "rationale": optional, at most two short sentences');
  lines.push('', ...taskLines(task));
  return { system: FORECAST_SYSTEM_PROMPT, prompt: lines.join('\n') };
}

function bidLines(bid: BidTerms): string[] {
  return [
    'You are bidding for this task in a procurement auction. The principal draws a secret reserve price ' +
      `uniformly between $0 and $${bid.bountyUsd.toFixed(2)}; you win when your ask is at or below it and are then ` +
      `paid the reserve. If you win and fail, you pay a penalty of $${bid.failurePenaltyUsd.toFixed(2)}. ` +
      `Your tokens cost $${bid.pricePerToken.toExponential(3)} each, so an attempt costs you about ĉ = expected_tokens × that price.`,
    'With success probability p, an ask breaks even at b* = (ĉ + F·(1 − p)) / p, where F is the failure penalty; ' +
      'asking less than b* loses money on average, asking more wins less often.',
  ];
}

/**
 * The task block of a forecast prompt (id, title, repository, base commit, problem statement and
 * acceptance-test names); exported so that the live market's bid and router prompts show a task
 * exactly as forecasts do.
 */
export function taskLines(task: Task): string[] {
  const lines = [`Task id: ${task.id}`];
  if (task.title && task.title !== task.id) lines.push(`Title: ${task.title}`);
  if (task.repo) lines.push(`Repository: ${task.repo}`);
  if (task.baseCommit) lines.push(`Base commit: ${task.baseCommit}`);
  lines.push('', 'Problem statement:', '<<<', task.statement, '>>>');
  const { failToPass, passToPass } = task.tests;
  if (failToPass.length > 0 || passToPass.length > 0) {
    lines.push('', 'Acceptance tests that must pass after your change:');
    for (const name of failToPass.slice(0, MAX_TEST_NAMES)) lines.push(`- ${name}`);
    if (failToPass.length > MAX_TEST_NAMES) lines.push(`- … and ${failToPass.length - MAX_TEST_NAMES} more`);
    if (passToPass.length > 0) lines.push(`Plus ${passToPass.length} existing tests that must keep passing.`);
  }
  return lines;
}

/** The JSON schema requested through structured output (strict-mode friendly: every field required). */
export function forecastJsonSchema(treatment: Treatment): JSONSchema7 {
  if (treatment === 'plans') return plansJsonSchema();
  const properties: Record<string, JSONSchema7> = {
    p_success: { type: 'number', description: 'probability of success in one attempt, 0 to 1' },
    expected_tokens: { type: 'number', description: 'total tokens of a full attempt' },
    rationale: { type: 'string', description: 'at most two short sentences' },
  };
  if (treatment === 'bid') properties.ask = { type: 'number', description: 'ask price in USD' };
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}
