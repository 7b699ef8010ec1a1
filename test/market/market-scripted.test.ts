import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPricingFile } from '../../src/runtime/providers/pricing.js';
import { loadMarketFile } from '../../src/runtime/market/market-file.js';
import { type RunMarketOptions, runMarket } from '../../src/runtime/market/run-market.js';
import { Store } from '../../src/runtime/store/index.js';
import { scriptedSuite, scriptedTask } from '../support/scripted-sandbox.js';
import { scriptedMarketScript, useMarketWorkspace } from './market-fixtures.js';

// The market end to end on an in-memory sandbox and suite (no bubblewrap, no Docker): the real
// bid, router and attempt jobs, the real agent loop and the real clearing, over a fake provider.
const TASKS = [scriptedTask('alpha', 'forty-two'), scriptedTask('beta', 'seven')];
// bold bids p 0.95 and submits nothing; careful bids p 0.6 and writes the answer; the router picks bold, then careful.
const workspace = useMarketWorkspace({ prefix: 'mb-market-scripted-', script: scriptedMarketScript(TASKS) });

function options(store: Store, extra: Partial<RunMarketOptions> = {}): RunMarketOptions {
  const file = loadMarketFile(join(workspace.dir, 'market.yaml'));
  return {
    store,
    suite: scriptedSuite(TASKS),
    suiteSource: 'scripted',
    workers: file.workers,
    arms: ['scoring', 'router', 'solo:careful'],
    settings: file.market ?? {},
    router: { ...file.router, model: 'openai-chat:router' },
    concurrency: 1,
    env: { OPENAI_API_KEY: 'test-key' },
    baseUrl: workspace.server.baseUrl('openai-chat'),
    pricingTable: loadPricingFile(join(workspace.dir, 'pricing.yaml')),
    trajectoryDir: join(workspace.dir, 'trajectories'),
    retry: { maxRetries: 0 },
    ...extra,
  };
}

/** What a market run stored, timestamps aside (DESIGN §9 "equality after faults"). */
function snapshot(file: string) {
  const store = Store.open(file);
  try {
    const runId = store.listRuns()[0]?.id as string;
    return {
      status: store.getRun(runId)?.status,
      allocations: store.getAllocations({ runId }).map(({ taskId, mechanism, round, workerIds, payments, detail }) => ({ taskId, mechanism, round, workerIds, payments, detail })),
      attempts: store.getAttempts({ runId }).map(({ jobKey, taskId, workerId, round, outcome }) => ({ jobKey, taskId, workerId, round, resolved: outcome.resolved, costUsd: outcome.costUsd })),
      forecasts: store.getForecasts({ runId }).map(({ jobKey, taskId, workerId, pSuccess, ask, valid }) => ({ jobKey, taskId, workerId, pSuccess, ask, valid })),
      tasks: store.listJobs({ runId, status: 'done' }).filter((job) => job.kind === 'market-task').map((job) => job.result),
      spendUsd: store.jobSpendUsd(runId),
    };
  } finally {
    store.close();
  }
}

describe('market on a scripted in-memory sandbox (no bubblewrap)', () => {
  it('the overconfident worker wins round 1, fails and is excluded; the careful one wins round 2; money per arm worked out by hand', async () => {
    const store = Store.open(join(workspace.dir, 'one.db'));
    const result = await runMarket(options(store));
    store.close();
    expect(result.stopped).toEqual({});
    const byArm = Object.fromEntries(result.comparison.summaries.map((summary) => [summary.arm, summary]));
    expect(byArm.scoring?.solved).toBe(2);
    expect(byArm.router?.solved).toBe(2);
    expect(byArm['solo:careful']?.solved).toBe(2);
    const stored = snapshot(join(workspace.dir, 'one.db'));
    expect(stored.status).toBe('done');
    for (const task of TASKS) {
      const rounds = (mechanism: string) => stored.allocations.filter((row) => row.taskId === task.id && row.mechanism === mechanism).map((row) => [row.round, row.workerIds]);
      expect(rounds('scoring')).toEqual([[1, ['bold']], [2, ['careful']]]);
      expect(rounds('central')).toEqual([[1, ['bold']], [2, ['careful']]]);
      expect(rounds('solo:careful')).toEqual([[1, ['careful']]]);
    }
    // Attempts: scoring 2 + router 2 + solo 1 per task.
    expect(stored.attempts).toHaveLength(10);
    // Per task: bids 550 × 1e-6 + 550 × 5e-7 = 0.000825; bold attempt 1100 × 1e-6 = 0.0011; careful attempt
    // 2 × 1100 × 5e-7 = 0.0011; router 820 × 2e-6 = 0.00164 per call. Scoring 0.000825 + 0.0022, router
    // 2 × 0.00164 + 0.0022, solo 0.0011 → 0.009605 per task, 0.01921 for two.
    expect(stored.spendUsd).toBeCloseTo(0.01921, 12);
  });

  it('every paid step run by a fresh engine (one job per session, rerun until done) stores what one session stores', async () => {
    const store = Store.open(join(workspace.dir, 'one.db'));
    await runMarket(options(store));
    store.close();
    const oneSession = snapshot(join(workspace.dir, 'one.db'));
    const calls = workspace.server.requests.length;
    workspace.server.clear();

    let sessions = 0;
    for (;;) {
      const stepStore = Store.open(join(workspace.dir, 'steps.db'));
      try {
        await runMarket(options(stepStore, { maxJobs: 1 }));
        sessions++;
        if (stepStore.listRuns()[0]?.status === 'done') break;
      } finally {
        stepStore.close();
      }
      if (sessions > 60) throw new Error('the stepped run does not finish');
    }
    // Paid jobs: 4 bids, 4 router calls (two rounds on each task), 10 attempts (scoring and router
    // 2 per task, solo 1) = 18, one per session (the last one's session also finishes its unit).
    expect(sessions).toBe(18);
    expect(workspace.server.requests.length).toBe(calls);
    expect(snapshot(join(workspace.dir, 'steps.db'))).toEqual(oneSession);
  });

  it('shared attempts: one attempt per (task, worker) serves every arm; each arm is still charged its cost', async () => {
    const store = Store.open(join(workspace.dir, 'shared.db'));
    const result = await runMarket(options(store, { shareAttempts: true }));
    store.close();
    const stored = snapshot(join(workspace.dir, 'shared.db'));
    // bold and careful once per task, whichever arms assigned them.
    expect(stored.attempts.map((attempt) => `${attempt.taskId}/${attempt.workerId}`).sort()).toEqual(['alpha/bold', 'alpha/careful', 'beta/bold', 'beta/careful']);
    // Paid once: bids 0.000825 + bold 0.0011 + careful 0.0011 + router 2 × 0.00164 = 0.006305 per task.
    expect(stored.spendUsd).toBeCloseTo(0.01261, 12);
    // Charged per arm as if unshared: scoring 0.003025 per task, router 0.00548, solo 0.0011.
    const units = (arm: string) => result.units.filter((unit) => unit.arm === arm).reduce((sum, unit) => sum + unit.accountedUsd, 0);
    expect(units('scoring')).toBeCloseTo(2 * 0.003025, 12);
    expect(units('router')).toBeCloseTo(2 * 0.00548, 12);
    expect(units('solo:careful')).toBeCloseTo(2 * 0.0011, 12);
  });

  it('a budget split over the arms stops the arm that runs out, not the others', async () => {
    // $0.009 over 3 arms = $0.003 each. The router arm needs 0.00548 per task, so it stops before
    // finishing the first; solo (0.0011 per task) finishes both.
    const store = Store.open(join(workspace.dir, 'budget.db'));
    const result = await runMarket(options(store, { budgetUsd: 0.009 }));
    store.close();
    expect(result.stopped.router).toBe('budget');
    expect(result.units.filter((unit) => unit.arm === 'solo:careful')).toHaveLength(2);
    const spentByArm = (arm: string) => result.units.filter((unit) => unit.arm === arm).reduce((sum, unit) => sum + unit.accountedUsd, 0);
    for (const arm of ['scoring', 'router', 'solo:careful']) expect(spentByArm(arm)).toBeLessThanOrEqual(0.003 + 1e-12);
  });
});
