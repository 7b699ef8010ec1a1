import { type MockPolicy, statedProbability, successWithinSteps } from './mock-policy.js';

/** Tokens (input + output) the mock assumes one step of its agent uses, to turn a USD or token budget into steps. */
export const MOCK_TOKENS_PER_STEP = 1000;

/** Steps the mock agent's script needs to finish with every try (read twice, three tries of two steps, submit). */
const FULL_SCRIPT_STEPS = 9;

/** Tokens a full attempt states, by style (as in single-point forecasts). */
const STATED_TOKENS = { calibrated: 5000, overconfident: 3000, underconfident: 8000 } as const;

/** One budget line of a `plans` prompt, read back: `Budget 2: at most $0.5000 and at most 5 steps (model calls)`. */
interface OfferedBudget {
  number: number;
  budgetUsd?: number;
  budgetTokens?: number;
  maxSteps?: number;
}

/** The budgets a `plans` prompt offers, in order. */
export function offeredBudgets(prompt: string): OfferedBudget[] {
  const budgets: OfferedBudget[] = [];
  for (const match of prompt.matchAll(/^Budget (\d+): (.+)$/gm)) {
    const text = match[2] as string;
    const usd = /at most \$([0-9.]+)/.exec(text)?.[1];
    const tokens = /at most ([0-9]+) tokens/.exec(text)?.[1];
    const steps = /at most ([0-9]+) steps/.exec(text)?.[1];
    budgets.push({
      number: Number(match[1]),
      ...(usd !== undefined && { budgetUsd: Number(usd) }),
      ...(tokens !== undefined && { budgetTokens: Number(tokens) }),
      ...(steps !== undefined && { maxSteps: Number(steps) }),
    });
  }
  return budgets;
}

/**
 * Steps the mock expects a budget to allow: its step cap, and the steps its USD or token budget
 * buys at `MOCK_TOKENS_PER_STEP` tokens a step at the policy's input price (the mock's own rough
 * estimate, which is part of what a plan's calibration measures).
 */
export function stepsWithinBudget(policy: MockPolicy, budget: Omit<OfferedBudget, 'number'>): number {
  let steps = budget.maxSteps ?? Number.POSITIVE_INFINITY;
  if (budget.budgetTokens !== undefined) steps = Math.min(steps, Math.floor(budget.budgetTokens / MOCK_TOKENS_PER_STEP));
  const usdPerStep = MOCK_TOKENS_PER_STEP * policy.pricing.inputPerToken;
  if (budget.budgetUsd !== undefined && usdPerStep > 0) steps = Math.min(steps, Math.floor(budget.budgetUsd / usdPerStep));
  return Number.isFinite(steps) ? steps : FULL_SCRIPT_STEPS;
}

/**
 * A mock worker's menu for a `plans` prompt: for each budget, its true chance of solving the task
 * within the steps that budget allows (`successWithinSteps`), distorted by its style exactly as
 * its single-point forecasts are, and tokens in proportion to the steps it would take.
 */
export function mockPlansReply(policy: MockPolicy, prompt: string): string {
  const statement = /Problem statement:\n<<<\n([\s\S]*?)\n>>>/.exec(prompt)?.[1] ?? prompt;
  const plans = offeredBudgets(prompt).map((budget) => {
    const steps = stepsWithinBudget(policy, budget);
    const p = statedProbability(policy, successWithinSteps(policy, statement, steps));
    return {
      budget: budget.number,
      p_success: Number(p.toFixed(3)),
      expected_tokens: Math.round((STATED_TOKENS[policy.style] * Math.min(steps, FULL_SCRIPT_STEPS)) / FULL_SCRIPT_STEPS),
    };
  });
  return JSON.stringify({ plans, rationale: `[mock ${policy.style} planner, skill ${policy.skill}] synthetic menu, not a model's judgement.` });
}
