import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';
import { marketScript, PRICING_YAML, requestKind, requestTask, routerRound, TASK_IDS, WORKERS_YAML } from './market-fixtures.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping market end-to-end tests: ${availability.reason}`);

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script: marketScript() });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clear();
  server.setScript(marketScript());
  dir = mkdtempSync(join(tmpdir(), 'mb-market-'));
  writeFileSync(join(dir, 'market.yaml'), WORKERS_YAML);
  writeFileSync(join(dir, 'pricing.yaml'), PRICING_YAML);
  return () => rmSync(dir, { recursive: true, force: true });
});

function market(extra: string[]) {
  return runCli(
    ['market', '--suite', 'builtin', '--task-ids', TASK_IDS.join(','), '--workers', 'market.yaml', '--pricing', 'pricing.yaml', '--base-url', server.baseUrl('openai-chat'), ...extra],
    { cwd: dir, env: { OPENAI_API_KEY: 'test-key' } },
  );
}

function withStore<T>(file: string, read: (store: Store) => T): T {
  const store = Store.open(join(dir, file));
  try {
    return read(store);
  } finally {
    store.close();
  }
}

describe.skipIf(!availability.ok)('marketbench market (scripted models over HTTP, real sandbox, real tests)', () => {
  it('the overconfident worker wins round 1, fails, is excluded, and loses round 2 to the careful one; router and solo on the same tasks', async () => {
    const result = await market(['--arms', 'scoring,router,solo:careful', '--db', 'm.db', '--concurrency', '1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\| scoring\s+\|\s+2\/2 \|/);
    expect(result.stdout).toMatch(/\| router\s+\|\s+2\/2 \|/);
    expect(result.stdout).toMatch(/\| solo:careful\s+\|\s+2\/2 \|/);

    const requests = server.requests;
    // The router is called exactly once per task and round: bold in round 1, careful in round 2.
    const routerCalls = requests.filter((request) => requestKind(request) === 'router').map((request) => `${requestTask(request)}#${routerRound(request)}`);
    expect(routerCalls.sort()).toEqual(['paginate-first-page#1', 'paginate-first-page#2', 'slugify-spaces#1', 'slugify-spaces#2']);
    // Bids once per task and worker (only the scoring arm uses them).
    expect(requests.filter((request) => requestKind(request) === 'bid')).toHaveLength(4);
    // Agent calls per task: scoring bold 1 + careful 2, router the same, solo careful 2 = 8.
    expect(requests.filter((request) => requestKind(request) === 'agent')).toHaveLength(16);

    withStore('m.db', (store) => {
      const run = store.listRuns()[0];
      expect(run?.kind).toBe('market');
      expect(run?.status).toBe('done');
      const runId = run?.id as string;
      for (const taskId of TASK_IDS) {
        const scoring = store.getAllocations({ runId, mechanism: 'scoring' }).filter((row) => row.taskId === taskId);
        expect(scoring.map((row) => [row.round, row.workerIds])).toEqual([
          [1, ['bold']],
          [2, ['careful']],
        ]);
        // Scores by hand (B = 90 credits, 10 credits per USD, e = 1000 tokens × blended price × 10):
        // bold: e = 1000 × 1e-6 × 10 = 0.01, φ = 0.1·90·1.45 = 13.05, 0.95·90 − 10 − 0.01 − 0.05·13.05 = 74.8375;
        // careful: e = 0.005, φ = 9.9, 0.6·90 − 10 − 0.005 − 0.4·9.9 = 40.035.
        const first = scoring[0]?.detail as { scores: Record<string, number>; bids: { workerId: string; e: number; phi: number; fallback: boolean }[]; attempts: { resolved: boolean }[] };
        expect(first.scores.bold).toBeCloseTo(74.8375, 9);
        expect(first.scores.careful).toBeCloseTo(40.035, 9);
        expect(first.bids.map((bid) => [bid.workerId, bid.fallback])).toEqual([
          ['bold', false],
          ['careful', false],
        ]);
        expect(first.bids[0]?.phi).toBeCloseTo(13.05, 9);
        expect(first.attempts.map((attempt) => attempt.resolved)).toEqual([false]);
        // Round 2 clears on the careful worker's bid alone; the evaluator judged its attempt resolved.
        const second = scoring[1]?.detail as { scores: Record<string, number>; attempts: { workerId: string; resolved: boolean }[] };
        expect(Object.keys(second.scores)).toEqual(['careful']);
        expect(second.attempts).toEqual([expect.objectContaining({ workerId: 'careful', resolved: true })]);
        // The router arm is stored as `central` (what replay reads), one row per round.
        const central = store.getAllocations({ runId, mechanism: 'central' }).filter((row) => row.taskId === taskId);
        expect(central.map((row) => [row.round, row.workerIds])).toEqual([
          [1, ['bold']],
          [2, ['careful']],
        ]);
        expect((central[0]?.detail as { router?: unknown } | undefined)?.router).toMatchObject({ valid: true, model: 'openai-chat:router' });
        const solo = store.getAllocations({ runId, mechanism: 'solo:careful' }).filter((row) => row.taskId === taskId);
        expect(solo.map((row) => [row.round, row.workerIds])).toEqual([[1, ['careful']]]);
      }
      // Bids are forecasts with treatment `bid`, raw request and response kept.
      const bids = store.db.prepare("SELECT worker_id, p_success, ask, request, response FROM forecasts WHERE treatment = 'bid' ORDER BY task_id, worker_id").all() as Record<string, unknown>[];
      expect(bids.map((row) => [row.worker_id, row.p_success, row.ask])).toEqual([
        ['bold', 0.95, 10],
        ['careful', 0.6, 10],
        ['bold', 0.95, 10],
        ['careful', 0.6, 10],
      ]);
      for (const row of bids) {
        expect(row.request).not.toBeNull();
        expect(row.response).not.toBeNull();
      }
      // Attempts: scoring 2 + router 2 + solo 1 per task, round 2 stored as such.
      const attempts = store.getAttempts({ runId });
      expect(attempts).toHaveLength(10);
      expect(attempts.filter((attempt) => attempt.round === 2).map((attempt) => [attempt.workerId, attempt.outcome.resolved])).toEqual([
        ['careful', true],
        ['careful', true],
        ['careful', true],
        ['careful', true],
      ]);
      // Real money (usage × price), per task: bids 550 × 1e-6 + 550 × 5e-7 = 0.000825; a bold attempt 1100 × 1e-6 = 0.0011;
      // a careful attempt 2 × 1100 × 5e-7 = 0.0011; a router call 820 × 2e-6 = 0.00164.
      // Scoring 0.000825 + 0.0022, router 2 × 0.00164 + 0.0022, solo 0.0011 → 2 tasks: 0.01921.
      expect(store.jobSpendUsd(runId)).toBeCloseTo(0.01921, 12);
    });
    // Cost per solve on the table: scoring (0.0044 + 0.00165) / 2 = 0.003025; router (0.0044 + 0.00656) / 2 = 0.00548.
    expect(result.stdout).toMatch(/\| scoring .*\$0\.0030 \|/);
    expect(result.stdout).toMatch(/\| router .*\$0\.0055 \|/);
  });
});
