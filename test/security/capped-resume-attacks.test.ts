/**
 * Third red-team round: a capped attempt resumed through the step cache. The worker's provider
 * cuts the attempt short (an HTTP 400 is an infrastructure failure, retried on the next run);
 * on the rerun its steps are replayed for free. The attack: use the free replays to get more
 * work under the plan's USD cap than an uninterrupted attempt, or to leave the ledger short of
 * what the attempt cost. The real attempt executor runs the real bash scaffold in the real
 * sandbox over real HTTP, with the store's real response cache, and the real judge grades.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { Budget } from '../../src/runtime/jobs/budget.js';
import { ProviderLimiters, resolveModel, storeResponseCache } from '../../src/runtime/providers/index.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import type { AttemptPayload } from '../../src/runtime/scaffold/attempt-job.js';
import { makeAttemptExecutor } from '../../src/runtime/scaffold/attempt-executor.js';
import { workersFromValue } from '../../src/runtime/scaffold/workers-file.js';
import { Store } from '../../src/runtime/store/index.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the capped-resume security suite: ${availability.reason}`);

// $1 per million input tokens, $4 per million output: a call of 1000 in and 10 out costs $0.00104.
const CALL_USD = 0.00104;
const bash = (command: string) => `THOUGHT: next.\n\n\`\`\`bash\n${command}\n\`\`\``;
const suite = builtinSuite();
const task = (await suite.loadTasks()).find((candidate) => candidate.id === 'slugify-spaces') as Task;
const [worker] = workersFromValue([
  { id: 'attacker', model: 'openai-chat:gpt-test', scaffold: { kind: 'bash-agent', options: { maxSteps: 30, maxOutputTokens: 100, maxCostUsd: 100 } }, pricing: { inputPerMillion: 1, outputPerMillion: 4 } },
]);

let server: FakeLlmServer;
let dir: string;
let store: Store;
/** The assistant turn from which the provider refuses every call (HTTP 400), if any. */
let refuseFrom: number | undefined;
beforeAll(async () => {
  server = await startFakeLlmServer({
    script: (request) => {
      const turn = request.messages.filter((message) => message.role === 'assistant').length;
      if (refuseFrom !== undefined && turn >= refuseFrom) return { fault: 'http', status: 400 };
      return { text: bash(`echo step-${turn}`), usage: { inputTokens: 1000, outputTokens: 10, cachedInputTokens: 0 } };
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'mb-capped-resume-'));
  store = Store.open(join(dir, 'a.db'));
});
afterAll(async () => {
  store.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One try of the job `key` under a $0.01 cap; the run's budget starts from the money earlier tries spent. */
async function tryJob(key: string, priorSpendUsd: number, previousResult: unknown = undefined) {
  const model = resolveModel(worker?.model as string, { env: { OPENAI_API_KEY: 'test-key' }, baseUrl: server.baseUrl('openai-chat'), pricingTable: { version: 'test', models: {} } });
  const executor = makeAttemptExecutor({
    suite,
    tasks: new Map([[task.id, task]]),
    workers: new Map([['attacker', worker as NonNullable<typeof worker>]]),
    models: new Map([['attacker', { ...model, pricing: worker?.pricing }]]),
    limiters: new ProviderLimiters(),
    trajectoryDir: join(dir, 'trajectories'),
    env: {},
    retry: { baseDelayMs: 5, maxDelayMs: 20, jitter: false, timeoutMs: 10_000 },
    cache: storeResponseCache(store),
  });
  const budget = new Budget({ limitUsd: 1, priorSpendUsd });
  const payload: AttemptPayload = { runId: 'r1', taskId: task.id, workerId: 'attacker', repeat: 0, caps: { budgetUsd: 0.01 } };
  server.clear();
  const outcome = await executor(
    { key, kind: 'attempt', runId: 'r1', payload },
    { reservation: budget.tryReserve(0.01) as NonNullable<ReturnType<Budget['tryReserve']>>, budget, signal: new AbortController().signal, previousResult },
  );
  return { outcome, budget, requests: server.requests.length };
}

describe.skipIf(!availability.ok)('a capped attempt resumed through the step cache', () => {
  it('control: uninterrupted, a $0.01 cap at $0.00104 a call stops after 10 calls ($0.00936 < $0.01 ≤ $0.0104), judged and stored', async () => {
    refuseFrom = undefined;
    const { outcome, budget, requests } = await tryJob('control', 0);
    expect(outcome.status).toBe('done');
    expect(requests).toBe(10);
    expect(outcome.records?.attempt.outcome.exitReason).toBe('budget_exhausted');
    expect(outcome.records?.attempt.outcome.costUsd).toBeCloseTo(10 * CALL_USD, 12);
    expect(outcome.spentUsd).toBeCloseTo(10 * CALL_USD, 12);
    expect(budget.spentUsd).toBeCloseTo(10 * CALL_USD, 12);
  }, 60_000);

  it('cut short after 3 paid calls and rerun, the attempt replays those 3 for free and stops where the uninterrupted one did; the two tries’ charges add up to its cost [own]', async () => {
    refuseFrom = 3;
    const first = await tryJob('resumed', 0);
    expect(first.outcome.status).toBe('failed');
    expect(first.outcome.error).toMatch(/infrastructure error/);
    expect(first.outcome.spentUsd).toBeCloseTo(3 * CALL_USD, 12);

    refuseFrom = undefined;
    const second = await tryJob('resumed', first.outcome.spentUsd, first.outcome.result);
    expect(second.outcome.status).toBe('done');
    // Only the 7 steps not made before were asked; the cap counted the 3 replayed ones too.
    expect(second.requests).toBe(7);
    const attempt = second.outcome.records?.attempt.outcome;
    expect(attempt?.exitReason).toBe('budget_exhausted');
    expect(attempt?.costUsd).toBeCloseTo(10 * CALL_USD, 12);
    expect(second.outcome.spentUsd).toBeCloseTo(7 * CALL_USD, 12);
    expect(first.outcome.spentUsd + second.outcome.spentUsd).toBeCloseTo(attempt?.costUsd ?? Number.NaN, 12);
    expect(second.budget.spentUsd).toBeCloseTo(10 * CALL_USD, 12);
    const steps = (second.outcome.records?.trajectory as { steps: { cached?: boolean }[] } | undefined)?.steps ?? [];
    expect(steps.map((step) => step.cached === true)).toEqual([true, true, true, false, false, false, false, false, false, false]);
  }, 60_000);
});
