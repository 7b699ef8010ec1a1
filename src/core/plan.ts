import { z } from 'zod';

/** Most plans in one menu (issue #17: a bid is a menu of 1–5 plans). */
export const MAX_PLANS_PER_MENU = 5;

/**
 * The caps a plan puts on its attempt, which the market enforces on the scaffold: a budget in USD
 * and/or tokens, and a step cap. All optional here; a stated plan must name a budget
 * (see `PlanSchema`), while a single-point bid turned into a menu of one has no cap.
 */
export const PlanCapsSchema = z.object({
  /** Most the attempt may cost, USD. */
  budgetUsd: z.number().positive().optional(),
  /** Most tokens (input + output) the attempt may use. */
  budgetTokens: z.number().positive().optional(),
  /** Most agent steps the attempt may take. */
  maxSteps: z.number().int().positive().optional(),
});

/** The caps a plan puts on its attempt (budget in USD and/or tokens, steps). */
export type PlanCaps = z.infer<typeof PlanCapsSchema>;

const statedFields = {
  /** Stated probability of solving the task within the plan's caps. */
  pSuccess: z.number().min(0).max(1),
  /** Stated tokens the attempt will use under the plan. */
  expectedTokens: z.number().nonnegative(),
};

/**
 * One production plan as a worker states it: "with at most this budget (and these steps) I solve
 * the task with probability p, using about this many tokens". At least one budget is required.
 */
export const PlanSchema = PlanCapsSchema.extend(statedFields).refine(
  (plan) => plan.budgetUsd !== undefined || plan.budgetTokens !== undefined,
  { message: 'a plan needs a budget: budgetUsd and/or budgetTokens' },
);

/** One production plan as a worker states it (a budget cap, an optional step cap, p, tokens). */
export type Plan = z.infer<typeof PlanSchema>;

/**
 * A plan as a mechanism consumes it: the stated p and tokens, the caps to enforce (none for a
 * single-point bid), and, in the mechanism's currency, the ask and the expected execution cost
 * (expected tokens × price, capped by the budget; see `pricePlanMenu`).
 */
export const PricedPlanSchema = PlanCapsSchema.extend({
  ...statedFields,
  /** Price asked for the work under this plan (USD or credits, per mechanism). */
  ask: z.number().nonnegative(),
  /** Expected execution cost under this plan, capped by its budget (USD or credits). */
  expectedCost: z.number().nonnegative(),
});

/** A plan as a mechanism consumes it: stated p and tokens, caps, ask and capped expected cost. */
export type PricedPlan = z.infer<typeof PricedPlanSchema>;

/** The result of checking a stated menu: sorted by budget, or the reason it is invalid. */
export type PlanMenuCheck =
  | {
      /** The menu is valid. */
      ok: true;
      /** Its plans sorted by rising budget. */
      menu: Plan[];
    }
  | {
      /** The menu is invalid. */
      ok: false;
      /** One line naming what is wrong (which plan, which field, what was expected). */
      reason: string;
    };

/**
 * The budget axis a menu is ordered on: USD when every plan states `budgetUsd`, else tokens when
 * every plan states `budgetTokens`; null when the plans mix units (they cannot be ordered).
 */
export function menuBudgetAxis(menu: readonly Plan[]): 'budgetUsd' | 'budgetTokens' | null {
  if (menu.every((plan) => plan.budgetUsd !== undefined)) return 'budgetUsd';
  if (menu.every((plan) => plan.budgetTokens !== undefined)) return 'budgetTokens';
  return null;
}

/**
 * Checks a stated menu (any input, e.g. a parsed model reply): 1–5 valid plans on one budget
 * axis, no two with the same budget, and stated p non-decreasing as the budget rises (more money
 * can only help). Returns the plans sorted by budget, or the first problem found.
 */
export function checkPlanMenu(input: unknown): PlanMenuCheck {
  if (!Array.isArray(input)) return { ok: false, reason: `a menu must be a list of plans, got ${describe(input)}` };
  if (input.length === 0) return { ok: false, reason: 'the menu is empty; it needs 1 to 5 plans' };
  if (input.length > MAX_PLANS_PER_MENU) {
    return { ok: false, reason: `the menu has ${input.length} plans; at most ${MAX_PLANS_PER_MENU} are allowed` };
  }
  const plans: Plan[] = [];
  for (const [index, raw] of input.entries()) {
    const problem = planProblem(raw);
    if (problem) return { ok: false, reason: `plan ${index + 1}: ${problem}` };
    plans.push(PlanSchema.parse(raw));
  }
  const axis = menuBudgetAxis(plans);
  if (axis === null) {
    return { ok: false, reason: 'the plans mix budget units; state budgetUsd on every plan or budgetTokens on every plan' };
  }
  const sorted = plans.slice().sort((a, b) => (a[axis] as number) - (b[axis] as number));
  for (let i = 1; i < sorted.length; i += 1) {
    const lower = sorted[i - 1] as Plan;
    const upper = sorted[i] as Plan;
    if (lower[axis] === upper[axis]) return { ok: false, reason: `two plans have the same ${axis} ${upper[axis]}` };
    if (upper.pSuccess < lower.pSuccess) {
      return {
        ok: false,
        reason: `pSuccess falls as the budget rises: ${lower.pSuccess} at ${axis} ${lower[axis]} but ${upper.pSuccess} at ${upper[axis]}`,
      };
    }
  }
  return { ok: true, menu: sorted };
}

/** One line on what is wrong with a stated plan, or null when it is valid. */
function planProblem(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `expected an object, got ${describe(raw)}`;
  const record = raw as Record<string, unknown>;
  const p = record.pSuccess;
  if (typeof p === 'number' && Number.isFinite(p) && (p < 0 || p > 1)) return `pSuccess ${p} is outside [0, 1]`;
  const parsed = PlanSchema.safeParse(raw);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${field}${issue?.message ?? 'invalid plan'}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

/**
 * Prices a checked menu for a mechanism: each plan's expected cost is its expected tokens × the
 * worker's price per token, capped by its budget (USD, or tokens × price), times `scale` (1 for
 * USD, credits per USD for credits); the ask defaults to that cost (a worker asking to be
 * reimbursed, as replay does for single-point bids).
 */
export function pricePlanMenu(options: {
  /** A checked menu (see `checkPlanMenu`). */
  menu: readonly Plan[];
  /** The worker's blended USD price per token. */
  pricePerToken: number;
  /** Currency units per USD (default 1: USD). */
  scale?: number;
  /** Ask per plan, same order as `menu`, in the scaled currency; default each plan's cost. */
  asks?: readonly number[];
}): PricedPlan[] {
  const scale = options.scale ?? 1;
  return options.menu.map((plan, index) => {
    const expectedCost = scale * planCostUsd({ plan, pricePerToken: options.pricePerToken });
    return { ...plan, ask: options.asks?.[index] ?? expectedCost, expectedCost };
  });
}

/** A plan's expected cost in USD: expected tokens × price, capped by its budget in USD and in tokens. */
export function planCostUsd(options: {
  /** The plan (stated or priced; its caps apply). */
  plan: PlanCaps & { expectedTokens: number };
  /** The worker's blended USD price per token. */
  pricePerToken: number;
}): number {
  const { plan, pricePerToken } = options;
  let cost = plan.expectedTokens * pricePerToken;
  if (plan.budgetUsd !== undefined) cost = Math.min(cost, plan.budgetUsd);
  if (plan.budgetTokens !== undefined) cost = Math.min(cost, plan.budgetTokens * pricePerToken);
  return cost;
}
