import type { JSONSchema7 } from 'ai';
import type { PlanCaps } from '../../core/plan.js';

/** One budget as a prompt line states it, e.g. `at most $0.5000 and at most 5 steps (model calls)`. */
export function describeBudget(budget: PlanCaps): string {
  const parts: string[] = [];
  if (budget.budgetUsd !== undefined) parts.push(`at most $${budget.budgetUsd.toFixed(4)}`);
  if (budget.budgetTokens !== undefined) parts.push(`at most ${Math.round(budget.budgetTokens)} tokens`);
  if (budget.maxSteps !== undefined) parts.push(`at most ${budget.maxSteps} steps (model calls)`);
  return parts.join(' and ');
}

/**
 * The part of a `plans` prompt that offers the budgets: the attempt is stopped at its budget and
 * judged on the changes made by then, so the worker states p and tokens for each budget.
 */
export function planBudgetLines(budgets: readonly PlanCaps[]): string[] {
  return [
    `The principal can run your attempt under one of ${budgets.length} budgets. An attempt that reaches its budget is ` +
      'stopped and judged on the changes it has made by then. For each budget, state your probability of solving the ' +
      'task within it and the tokens you would use. More budget can only help, so your probability must not fall as the budget rises.',
    ...budgets.map((budget, index) => `Budget ${index + 1}: ${describeBudget(budget)}`),
  ];
}

/** The reply format lines of a `plans` prompt. */
export function planReplyLines(count: number): string[] {
  return [
    'Reply with one JSON object:',
    `- "plans": a list of exactly ${count} objects, one per budget in the order above, each with`,
    '  "budget" (the budget number, 1 to ' + count + '), "p_success" (a number from 0 to 1, not a percentage) and "expected_tokens" (a whole number)',
    '- "rationale": optional, at most two short sentences',
  ];
}

/** The JSON schema a `plans` forecast requests through structured output (every field required). */
export function plansJsonSchema(): JSONSchema7 {
  const plan: JSONSchema7 = {
    type: 'object',
    properties: {
      budget: { type: 'number', description: 'the budget number, from 1' },
      p_success: { type: 'number', description: 'probability of success within this budget, 0 to 1' },
      expected_tokens: { type: 'number', description: 'tokens the attempt would use within this budget' },
    },
    required: ['budget', 'p_success', 'expected_tokens'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { plans: { type: 'array', items: plan }, rationale: { type: 'string', description: 'at most two short sentences' } },
    required: ['plans', 'rationale'],
    additionalProperties: false,
  };
}
