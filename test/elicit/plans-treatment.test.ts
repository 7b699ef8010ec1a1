import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/index.js';
import { runElicitation } from '../../src/runtime/elicit/index.js';
import { parsePlansReply } from '../../src/runtime/elicit/parse-plans.js';
import type { PricingTable } from '../../src/runtime/providers/index.js';
import { Store } from '../../src/runtime/store/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';
import { queryStore } from '../support/query-store.js';

const PRICE = { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 };
const MODELS = ['openai-chat:planner', 'anthropic:claude-planner'];
const table: PricingTable = { version: 'test', models: Object.fromEntries(MODELS.map((model) => [model, PRICE])) };
const KEYS = { OPENAI_API_KEY: 'sk-openai-SECRET-1', ANTHROPIC_API_KEY: 'sk-ant-SECRET-2' };
const BUDGETS = [
  { budgetUsd: 0.2, maxSteps: 4 },
  { budgetUsd: 1, maxSteps: 10 },
  { budgetUsd: 3, maxSteps: 30 },
];

const tasks: Task[] = ['good', 'falling', 'outside', 'short', 'prose'].map((name) => ({
  id: `t-${name}`,
  suite: 'custom',
  title: name,
  statement: `Fix the ${name} bug.`,
  tests: { failToPass: [], passToPass: [] },
  features: {},
  metadata: {},
}));

const plan = (budget: number, p: unknown, tokens = 1000 * budget) => ({ budget, p_success: p, expected_tokens: tokens });
/** The reply per task: one valid menu and four kinds of invalid or untidy ones. */
const REPLIES: Record<string, string> = {
  't-good': JSON.stringify({ plans: [plan(1, 0.3), plan(2, 0.55), plan(3, 0.7)], rationale: 'more steps help' }),
  't-falling': JSON.stringify({ plans: [plan(1, 0.6), plan(2, 0.4), plan(3, 0.7)], rationale: '' }),
  't-outside': JSON.stringify({ plans: [plan(1, 0.3), plan(2, 1.4), plan(3, 0.7)] }),
  't-short': JSON.stringify({ plans: [plan(1, 0.3), plan(2, 0.5)] }),
  // Out of order, in a code fence with prose around it: read by budget number, valid.
  't-prose': `Here is my menu:\n\`\`\`json\n${JSON.stringify({ plans: [plan(3, '80%'), plan(1, 0.2), plan(2, 0.5)] })}\n\`\`\``,
};

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script: (request) => REPLIES[/Task id: (\S+)/.exec(request.prompt)?.[1] ?? ''] ?? '{}' });
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  dir = mkdtempSync(join(tmpdir(), 'mb-plans-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the plans treatment over real HTTP', () => {
  it('stores every menu, valid or invalid with its reason, with the request that produced it; a rerun asks nothing', async () => {
    const store = Store.open(join(dir, 'plans.db'));
    const options = {
      store,
      tasks,
      tasksSource: 'inline',
      models: MODELS,
      treatments: ['plans' as const],
      planBudgets: BUDGETS,
      env: KEYS,
      baseUrl: server.baseUrl('openai-chat'),
      pricingTable: table,
    };
    const result = await runElicitation(options);
    expect(result.summary?.done).toBe(10);
    const forecasts = store.getForecasts({ runId: result.runId, treatment: 'plans' });
    expect(forecasts).toHaveLength(10);
    for (const model of MODELS) {
      const byTask = new Map(forecasts.filter((f) => f.workerId === model).map((f) => [f.taskId, f]));
      const good = byTask.get('t-good');
      expect(good?.valid).toBe(true);
      expect(good?.menu).toEqual([
        { budgetUsd: 0.2, maxSteps: 4, pSuccess: 0.3, expectedTokens: 1000 },
        { budgetUsd: 1, maxSteps: 10, pSuccess: 0.55, expectedTokens: 2000 },
        { budgetUsd: 3, maxSteps: 30, pSuccess: 0.7, expectedTokens: 3000 },
      ]);
      // The row's single point is the largest budget's plan.
      expect(good?.pSuccess).toBe(0.7);
      expect(good?.expectedTokens).toBe(3000);
      expect(good?.rationale).toBe('more steps help');
      expect(byTask.get('t-prose')?.menu?.map((entry) => entry.pSuccess)).toEqual([0.2, 0.5, 0.8]);
      const falling = byTask.get('t-falling');
      expect(falling?.valid).toBe(false);
      expect(falling?.invalidReason).toMatch(/pSuccess falls as the budget rises: 0\.6 at budgetUsd 0\.2 but 0\.4 at 1/);
      expect(falling?.menu).toBeUndefined();
      expect(falling?.rawText).toBe(REPLIES['t-falling']);
      expect(byTask.get('t-outside')?.invalidReason).toMatch(/budget 2: p_success 1\.4 is outside \[0, 1\]/);
      expect(byTask.get('t-short')?.invalidReason).toBe('the reply states 2 plans; 3 budgets were offered');
    }
    // The prompt offered the three budgets, and the stored request is what the server received.
    const prompts = server.requests.map((request) => request.prompt);
    expect(prompts.every((prompt) => prompt.includes('Budget 2: at most $1.0000 and at most 10 steps (model calls)'))).toBe(true);
    const rows = queryStore(join(dir, 'plans.db'), "select request, menu from forecasts where task_id = 't-good'") as { request: string; menu: string }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.request).toContain('Budget 3: at most $3.0000 and at most 30 steps');
      expect(JSON.parse(row.menu)).toHaveLength(3);
    }
    const requests = server.requests.length;
    const again = await runElicitation(options);
    expect(again.runId).toBe(result.runId);
    expect(again.skippedDone).toBe(10);
    expect(server.requests.length).toBe(requests);
    store.close();
  });

  it('parsePlansReply: budgets named twice or out of range, missing tokens, and no JSON are invalid with a reason', () => {
    expect(parsePlansReply(JSON.stringify({ plans: [plan(1, 0.2), plan(1, 0.3), plan(3, 0.4)] }), BUDGETS).invalidReason).toBe('budget 1 is stated twice');
    expect(parsePlansReply(JSON.stringify({ plans: [plan(1, 0.2), plan(2, 0.3), plan(7, 0.4)] }), BUDGETS).invalidReason).toBe('plan 3 names budget 7; expected 1 to 3');
    expect(parsePlansReply(JSON.stringify({ plans: [plan(1, 0.2), plan(2, 0.3), { budget: 3, p_success: 0.4 }] }), BUDGETS).invalidReason).toBe('budget 3: missing expected_tokens');
    expect(parsePlansReply('I would rather not say.', BUDGETS)).toMatchObject({ valid: false, invalidReason: 'no JSON object found in the reply', menu: null });
    // Equal p at a higher budget is allowed (non-decreasing).
    expect(parsePlansReply(JSON.stringify({ plans: [plan(1, 0.5), plan(2, 0.5), plan(3, 0.5)] }), BUDGETS).valid).toBe(true);
  });
});
