import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elicit } from '../../src/index.js';
import { loadPricingFile } from '../../src/runtime/providers/pricing.js';
import { Store } from '../../src/runtime/store/index.js';
import { type FakeLlmServer, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';

// $1 per million input tokens and $4 per million output tokens; every reply reports 1,000 in and 100 out,
// so each forecast costs 1,000 × 1e-6 + 100 × 4e-6 = $0.0014.
const PRICING_YAML = ['version: lib-test', 'models:', ...['openai-chat:alpha', 'anthropic:claude-beta'].flatMap((model) => [`  "${model}":`, '    inputPerToken: 0.000001', '    outputPerToken: 0.000004'])].join('\n');
const KEYS = { OPENAI_API_KEY: 'sk-test-lib', ANTHROPIC_API_KEY: 'sk-ant-test-lib' };

/** The forecast each (model, task) states, written out by hand. */
const STATED: Record<string, Record<string, { p: number; tokens: number }>> = {
  alpha: { 'lib-1': { p: 0.25, tokens: 4000 }, 'lib-2': { p: 0.8, tokens: 12000 } },
  'claude-beta': { 'lib-1': { p: 0.6, tokens: 7000 }, 'lib-2': { p: 0.05, tokens: 30000 } },
};

function reply(request: FakeRequest) {
  const task = /Task id: (\S+)/.exec(request.prompt)?.[1] ?? 'unknown';
  const stated = STATED[request.model]?.[task];
  if (!stated) return { text: 'no idea' };
  return { text: JSON.stringify({ p_success: stated.p, expected_tokens: stated.tokens }), usage: { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0 } };
}

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  server = await startFakeLlmServer({ script: reply });
  dir = mkdtempSync(join(tmpdir(), 'mb-elicit-lib-'));
  writeFileSync(join(dir, 'tasks.jsonl'), ['lib-1', 'lib-2'].map((id) => `${JSON.stringify({ id, statement: `Fix ${id}.` })}\n`).join(''));
  writeFileSync(join(dir, 'pricing.yaml'), `${PRICING_YAML}\n`);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('elicit through the library API', () => {
  const base = () => ({
    db: 'lib.db',
    cwd: dir,
    tasks: 'tasks.jsonl',
    models: ['openai-chat:alpha', 'anthropic:claude-beta'],
    env: KEYS,
    baseUrl: server.baseUrl('openai-chat'),
    retry: { maxRetries: 0 },
    pricingTable: loadPricingFile(join(dir, 'pricing.yaml')),
  });

  it('a dry run plans four calls and creates no store', async () => {
    const result = await elicit({ ...base(), dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.plan.reduce((sum, row) => sum + row.calls, 0)).toBe(4);
    expect(existsSync(join(dir, 'lib.db'))).toBe(false);
    expect(server.requests.length).toBe(0);
  });

  it('stores exactly the stated forecasts, charges $0.0014 per call, and a second call pays nothing', async () => {
    const first = await elicit(base());
    expect(first.summary?.done).toBe(4);
    expect(first.summary?.failed).toBe(0);
    expect(first.summary?.sessionSpendUsd).toBeCloseTo(4 * 0.0014, 10);
    expect(first.recalibrated).toEqual([]);
    expect(first.queueLosses).toBeUndefined();

    const store = Store.open(join(dir, 'lib.db'));
    try {
      const stored = store.getForecasts({ runId: first.runId }).map((f) => ({ task: f.taskId, worker: f.workerId, p: f.pSuccess, tokens: f.expectedTokens, valid: f.valid }));
      expect(stored).toEqual([
        { task: 'lib-1', worker: 'anthropic:claude-beta', p: 0.6, tokens: 7000, valid: true },
        { task: 'lib-1', worker: 'openai-chat:alpha', p: 0.25, tokens: 4000, valid: true },
        { task: 'lib-2', worker: 'anthropic:claude-beta', p: 0.05, tokens: 30000, valid: true },
        { task: 'lib-2', worker: 'openai-chat:alpha', p: 0.8, tokens: 12000, valid: true },
      ]);
    } finally {
      store.close();
    }
    const requestsBefore = server.requests.length;
    const second = await elicit(base());
    expect(second.runId).toBe(first.runId);
    expect(second.summary?.skipped).toBe(4);
    expect(second.summary?.sessionSpendUsd).toBe(0);
    expect(server.requests.length).toBe(requestsBefore);
  });
});
