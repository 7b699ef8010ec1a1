import { describe, expect, it } from 'vitest';
import { BidSchema, bidPlanMenu, checkPlanMenu, planCostUsd, pricePlanMenu } from '../../src/core/index.js';

const plan = (budgetUsd: number, pSuccess: number, expectedTokens = 1000) => ({ budgetUsd, pSuccess, expectedTokens });

describe('checkPlanMenu', () => {
  it('accepts a valid menu and sorts it by budget', () => {
    const check = checkPlanMenu([plan(5, 0.85), plan(0.5, 0.55), plan(2, 0.75)]);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.menu.map((p) => p.budgetUsd)).toEqual([0.5, 2, 5]);
  });

  it('accepts equal p at higher budgets (non-decreasing) and token budgets', () => {
    expect(checkPlanMenu([plan(1, 0.6), plan(2, 0.6)]).ok).toBe(true);
    const tokens = checkPlanMenu([
      { budgetTokens: 200_000, pSuccess: 0.8, expectedTokens: 150_000, maxSteps: 40 },
      { budgetTokens: 50_000, pSuccess: 0.4, expectedTokens: 40_000, maxSteps: 10 },
    ]);
    expect(tokens.ok && tokens.menu.map((p) => p.maxSteps)).toEqual([10, 40]);
  });

  it('names what is wrong', () => {
    const reason = (input: unknown) => {
      const check = checkPlanMenu(input);
      return check.ok ? 'ok' : check.reason;
    };
    expect(reason([])).toMatch(/empty/);
    expect(reason([1, 2, 3, 4, 5, 6].map((b) => plan(b, 0.5)))).toMatch(/6 plans; at most 5/);
    expect(reason([plan(1, 0.5), plan(2, 1.3)])).toBe('plan 2: pSuccess 1.3 is outside [0, 1]');
    expect(reason([plan(1, -0.1)])).toBe('plan 1: pSuccess -0.1 is outside [0, 1]');
    expect(reason([plan(1, 0.7), plan(2, 0.5)])).toMatch(/pSuccess falls as the budget rises: 0.7 at budgetUsd 1 but 0.5 at 2/);
    expect(reason([plan(2, 0.5), plan(2, 0.6)])).toMatch(/same budgetUsd 2/);
    expect(reason([{ pSuccess: 0.5, expectedTokens: 10 }])).toMatch(/plan 1: .*needs a budget/);
    expect(reason([{ budgetUsd: 1, pSuccess: 0.5, expectedTokens: -1 }])).toMatch(/plan 1: expectedTokens/);
    expect(reason([plan(1, 0.5), { budgetTokens: 100, pSuccess: 0.6, expectedTokens: 10 }])).toMatch(/mix budget units/);
    expect(reason('x')).toMatch(/list of plans, got string/);
    expect(reason([null])).toMatch(/plan 1: expected an object, got null/);
  });
});

describe('plan costs', () => {
  it('caps expected tokens × price by the budget in USD and in tokens', () => {
    // 10,000 tokens × $1e-4 = $1; capped at $0.5, then at 2,000 tokens × $1e-4 = $0.2.
    expect(planCostUsd({ plan: { expectedTokens: 10_000 }, pricePerToken: 1e-4 })).toBeCloseTo(1, 12);
    expect(planCostUsd({ plan: { expectedTokens: 10_000, budgetUsd: 0.5 }, pricePerToken: 1e-4 })).toBeCloseTo(0.5, 12);
    expect(planCostUsd({ plan: { expectedTokens: 10_000, budgetUsd: 0.5, budgetTokens: 2000 }, pricePerToken: 1e-4 })).toBeCloseTo(0.2, 12);
  });

  it('prices a menu in credits with the ask defaulting to the cost', () => {
    const priced = pricePlanMenu({ menu: [plan(0.5, 0.5, 2000), plan(2, 0.8, 30_000)], pricePerToken: 1e-4, scale: 10 });
    // 2,000 × 1e-4 = $0.2 → 2 credits; 30,000 × 1e-4 = $3 capped at $2 → 20 credits.
    expect(priced.map((p) => p.expectedCost)).toEqual([expect.closeTo(2, 12), expect.closeTo(20, 12)]);
    expect(priced.map((p) => p.ask)).toEqual(priced.map((p) => p.expectedCost));
    expect(pricePlanMenu({ menu: [plan(1, 0.5)], pricePerToken: 0, asks: [7] })[0]?.ask).toBe(7);
  });
});

describe('bids as menus', () => {
  it('a single-point bid is a menu of one uncapped plan', () => {
    const bid = BidSchema.parse({ workerId: 'w', taskId: 't', ask: 3, pSuccess: 0.6, expectedCost: 2, expectedTokens: 500 });
    expect(bidPlanMenu(bid)).toEqual([{ pSuccess: 0.6, expectedTokens: 500, ask: 3, expectedCost: 2 }]);
  });

  it('a bid with plans keeps them; more than 5 or none are rejected', () => {
    const plans = [{ ...plan(1, 0.5), ask: 1, expectedCost: 1 }];
    const bid = BidSchema.parse({ workerId: 'w', taskId: 't', ask: 1, pSuccess: 0.5, expectedCost: 1, plans });
    expect(bidPlanMenu(bid)).toEqual(plans);
    expect(BidSchema.safeParse({ ...bid, plans: [] }).success).toBe(false);
    expect(BidSchema.safeParse({ ...bid, plans: Array(6).fill(plans[0]) }).success).toBe(false);
  });
});
