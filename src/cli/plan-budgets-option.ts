import { InvalidInputError } from '../core/errors.js';
import { MAX_PLANS_PER_MENU, type PlanCaps } from '../core/plan.js';

/**
 * Parses `--plan-budgets USD[:STEPS],…` (e.g. `0.1:3,0.5:5,2:20`): 1 to 5 budgets with rising USD
 * caps and optional step caps. Anything else is one error naming the flag, the item and what was expected.
 */
export function parsePlanBudgets(value: string, flag = '--plan-budgets'): PlanCaps[] {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0 || items.length > MAX_PLANS_PER_MENU) {
    throw new InvalidInputError(`${flag} is '${value}'; expected 1 to ${MAX_PLANS_PER_MENU} budgets USD[:STEPS], e.g. 0.1:3,0.5:5,2:20`, { field: flag });
  }
  const budgets = items.map((item) => {
    const match = /^([0-9]*\.?[0-9]+)(?::([0-9]+))?$/.exec(item);
    const usd = Number(match?.[1]);
    const steps = match?.[2] === undefined ? undefined : Number(match[2]);
    if (!match || !(usd > 0) || (steps !== undefined && steps < 1)) {
      throw new InvalidInputError(`${flag}: '${item}' is not a budget; expected USD[:STEPS] with USD > 0 and STEPS ≥ 1, e.g. 0.5:5`, { field: flag });
    }
    return { budgetUsd: usd, ...(steps !== undefined && { maxSteps: steps }) };
  });
  for (let i = 1; i < budgets.length; i++) {
    if ((budgets[i]?.budgetUsd ?? 0) <= (budgets[i - 1]?.budgetUsd ?? 0)) {
      throw new InvalidInputError(`${flag}: budgets must rise; '${items[i]}' is not above '${items[i - 1]}'`, { field: flag });
    }
  }
  return budgets;
}
