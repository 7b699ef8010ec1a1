import type { JSONSchema7 } from 'ai';
import type { Task } from '../../core/task.js';
import { FORECAST_SYSTEM_PROMPT, taskLines } from '../elicit/forecast-prompt.js';
import { currencyLabel, type MarketSettings } from '../../market/settings.js';

/** Version of the market's bid prompt; recorded in the run config. */
export const MARKET_BID_PROMPT_VERSION = 'market-bid-v1';

/** What the bid prompt tells a worker about itself. */
export interface BidPromptWorker {
  /** Worker id. */
  id: string;
  /** Operator context or persona given to the worker, if any. */
  persona?: string | undefined;
  /** Blended price per token in the market's currency. */
  pricePerToken: number;
  /** The operator's e for this worker when it comes from its record (market currency); undefined when it will come from the bid's token forecast. */
  historicalCost?: number | undefined;
}

/**
 * The bid prompt of the live scoring market (treatment `bid`): the forecast questions of DESIGN §6
 * plus the auction's terms — score = p·B − a − e − (1 − p)·φ, φ = rate·B·(0.5 + p), highest
 * positive score wins and is paid its ask, a failed winner is excluded from the task's later
 * rounds — and the worker's token price in the market's currency. The task block is the forecast
 * prompt's own (`taskLines`).
 */
export function buildMarketBidPrompt(input: { task: Task; worker: BidPromptWorker; settings: MarketSettings }): { system: string; prompt: string } {
  const { task, worker, settings } = input;
  const unit = currencyLabel(settings);
  const b = settings.bounty;
  const perMillion = worker.pricePerToken * 1e6;
  const cost =
    worker.historicalCost === undefined
      ? `The operator takes e = your expected_tokens × that price.`
      : `From your recent attempts the operator puts your e at ${round(worker.historicalCost)} ${unit}.`;
  const lines = [
    'Estimate the probability that you will solve the task below correctly in one attempt (your patch makes the ' +
      'failing acceptance tests pass without breaking the others), and the total number of tokens (input plus ' +
      'output, over every step) a full attempt will use. Then bid for the task.',
    '',
    `You are bidding in a market run by an operator. Every worker bids; the operator scores each bid as ` +
      `score = p·B − ask − e − (1 − p)·φ, where B = ${round(b)} ${unit} is the bounty of a solved task, p your stated ` +
      `probability of success, ask the price you ask (in ${unit}), e the operator's estimate of your execution cost, and ` +
      `φ = ${settings.penaltyRate}·B·(0.5 + p) a failure penalty. Bids scoring 0 or less are dropped; the highest score ` +
      `wins the task and is paid its ask. A winner that fails is excluded from this task's later rounds ` +
      `(at most ${settings.maxAttempts} rounds).`,
    `Your tokens cost ${round(perMillion)} ${unit} per million (mean of input and output prices). ${cost}`,
    '',
    'Reply with one JSON object:',
    '- "p_success": probability of success in one attempt, a number from 0 to 1 (e.g. 0.35), not a percentage',
    '- "expected_tokens": total tokens of a full attempt, a whole number',
    `- "ask": your ask price in ${unit}, a number`,
    '- "rationale": optional, at most two short sentences',
    '',
    ...taskLines(task),
  ];
  const system = worker.persona ? `${FORECAST_SYSTEM_PROMPT}\n\nOperator context: ${worker.persona}` : FORECAST_SYSTEM_PROMPT;
  return { system, prompt: lines.join('\n') };
}

/** The JSON schema of a bid reply (strict-mode friendly: every field required). */
export function marketBidJsonSchema(settings: Pick<MarketSettings, 'currency'>): JSONSchema7 {
  const properties: Record<string, JSONSchema7> = {
    p_success: { type: 'number', description: 'probability of success in one attempt, 0 to 1' },
    expected_tokens: { type: 'number', description: 'total tokens of a full attempt' },
    ask: { type: 'number', description: `ask price in ${currencyLabel(settings)}` },
    rationale: { type: 'string', description: 'at most two short sentences' },
  };
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

function round(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
