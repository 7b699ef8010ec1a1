import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Budget, collectEvents, type JobSpec, priorRunSpendUsd, runJobs } from '../../src/runtime/jobs/index.js';
import { jobKey, Store } from '../../src/runtime/store/index.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mb-jobs-'));
  store = Store.open(join(dir, 'test.db'));
  store.createRun({ kind: 'elicit', id: 'r1' });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function jobs(n: number, reserveUsd = 1): JobSpec<{ i: number }>[] {
  return Array.from({ length: n }, (_, i) => ({ key: jobKey({ run: 'r1', i }), kind: 'test', payload: { i }, reserveUsd, label: `job ${i}` }));
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe('Budget', () => {
  it('counts reservations in flight and settles to the actual cost', () => {
    const budget = new Budget({ limitUsd: 10, priorSpendUsd: 2 });
    const a = budget.tryReserve(5);
    expect(a).toBeDefined();
    // 2 spent + 5 reserved + 4 > 10
    expect(budget.tryReserve(4)).toBeUndefined();
    a?.settle(1);
    // 2 + 1 = 3 spent; 3 + 4 ≤ 10
    expect(budget.spentUsd).toBe(3);
    expect(budget.tryReserve(4)).toBeDefined();
    a?.settle(100);
    expect(budget.spentUsd).toBe(3);
  });
});

describe('runJobs', () => {
  it('never runs more than `concurrency` jobs at once and finishes every job', async () => {
    let running = 0;
    let peak = 0;
    const summary = await runJobs({
      store,
      runId: 'r1',
      jobs: jobs(20),
      concurrency: 3,
      budget: new Budget(),
      execute: async (_job, { reservation }) => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        running--;
        reservation.settle(0.5);
        return { status: 'done', spentUsd: 0.5 };
      },
    });
    expect(peak).toBe(3);
    expect(summary.done).toBe(20);
    expect(summary.sessionSpendUsd).toBe(10);
    expect(store.getRun('r1')?.status).toBe('done');
    expect(store.jobSpendUsd('r1')).toBe(10);
  });

  it('waits for jobs in flight before giving up on the budget, then stops cleanly', async () => {
    // Each job reserves $1 and really costs $0.25: with a $2 limit, two reservations fit at once;
    // once settled, spending grows by 0.25 per job. Job k starts only if spent + in-flight + 1 ≤ 2.
    // Sequentially that allows jobs while spent ≤ 1: 0, 0.25, 0.5, 0.75, 1.0 → 5 jobs can start
    // when run one at a time; the 6th would need 1.25 + 1 > 2.
    const observer = collectEvents();
    const summary = await runJobs({
      store,
      runId: 'r1',
      jobs: jobs(10),
      concurrency: 1,
      budget: new Budget({ limitUsd: 2 }),
      observer,
      execute: async (_job, { reservation }) => {
        await tick();
        reservation.settle(0.25);
        return { status: 'done', spentUsd: 0.25 };
      },
    });
    expect(summary.done).toBe(5);
    expect(summary.notStarted).toBe(5);
    expect(summary.stopReason).toBe('budget');
    expect(store.getRun('r1')?.status).toBe('stopped');
    const end = observer.events.at(-1);
    expect(end?.type === 'run-end' && end.status).toBe('stopped');
  });

  it('at concurrency 8 the settled total stays under the limit', async () => {
    let settled = 0;
    const summary = await runJobs({
      store,
      runId: 'r1',
      jobs: jobs(100, 0.3),
      concurrency: 8,
      budget: new Budget({ limitUsd: 3 }),
      execute: async (job, { reservation }) => {
        await tick();
        const cost = 0.1 + (job.payload.i % 3) * 0.1;
        reservation.settle(cost);
        settled += cost;
        return { status: 'done', spentUsd: cost };
      },
    });
    expect(settled).toBeLessThanOrEqual(3 + 1e-9);
    expect(summary.stopReason).toBe('budget');
  });

  it('a rerun skips done jobs, retries failed and interrupted ones, and carries their money', async () => {
    const all = jobs(4);
    // Session 1: job 0 done ($0.5), job 1 failed after $0.2, job 2 interrupted (left started).
    store.startJob({ key: all[0]!.key, runId: 'r1', kind: 'test', payload: { job: {}, reserveUsd: 1, carriedUsd: 0 } });
    store.finishJob({ key: all[0]!.key, status: 'done', costUsd: 0.5 });
    store.startJob({ key: all[1]!.key, runId: 'r1', kind: 'test', payload: { job: {}, reserveUsd: 1, carriedUsd: 0 } });
    store.finishJob({ key: all[1]!.key, status: 'failed', costUsd: 0.2 });
    store.startJob({ key: all[2]!.key, runId: 'r1', kind: 'test', payload: { job: {}, reserveUsd: 1, carriedUsd: 0 } });
    // Prior spend: 0.5 + 0.2 + the interrupted job's reservation 1 = 1.7
    expect(priorRunSpendUsd(store, 'r1')).toBeCloseTo(1.7, 12);
    const ran: number[] = [];
    const summary = await runJobs({
      store,
      runId: 'r1',
      jobs: all,
      concurrency: 2,
      budget: new Budget({ limitUsd: 100, priorSpendUsd: priorRunSpendUsd(store, 'r1') }),
      execute: async (job, { reservation }) => {
        ran.push(job.payload.i);
        reservation.settle(0.1);
        return { status: 'done', spentUsd: 0.1 };
      },
    });
    expect(ran.sort()).toEqual([1, 2, 3]);
    expect(summary.skipped).toBe(1);
    // Ledger: 0.5 + (0.1 + carried 0.2) + (0.1 + carried 1) + 0.1 = 2.0
    expect(store.jobSpendUsd('r1')).toBeCloseTo(2.0, 12);
    expect(store.getJob(all[2]!.key)?.tries).toBe(2);
  });

  it('a job killed on its retry still counts the money of its earlier failed try', async () => {
    const [job] = jobs(1);
    // Session 1: the job failed after $0.2.
    store.startJob({ key: job!.key, runId: 'r1', kind: 'test', payload: { job: {}, reserveUsd: 1, carriedUsd: 0 } });
    store.finishJob({ key: job!.key, status: 'failed', costUsd: 0.2 });
    // Session 2 starts it again (reserving $1, carrying the $0.2) and dies with it in flight.
    void runJobs({ store, runId: 'r1', jobs: [job!], concurrency: 1, budget: new Budget({ limitUsd: 100 }), execute: () => new Promise(() => {}) });
    while (store.getJob(job!.key)?.status !== 'started') await tick();
    // What session 3 counts: the interrupted try's reservation plus the failed try it carried.
    expect(priorRunSpendUsd(store, 'r1')).toBeCloseTo(1.2, 12);
    // Session 3 finishes it for $0.1: its recorded cost keeps all three tries, 0.2 + 1 + 0.1.
    const execute = async () => ({ status: 'done' as const, spentUsd: 0.1 });
    await runJobs({ store, runId: 'r1', jobs: [job!], concurrency: 1, budget: new Budget({ limitUsd: 100 }), execute });
    expect(store.getJob(job!.key)?.costUsd).toBeCloseTo(1.3, 12);
  });

  it('an executor that throws becomes a failed job, not a crash', async () => {
    const summary = await runJobs({
      store,
      runId: 'r1',
      jobs: jobs(3),
      concurrency: 2,
      budget: new Budget(),
      execute: async (job) => {
        if (job.payload.i === 1) throw new Error('boom');
        return { status: 'done', spentUsd: 0 };
      },
    });
    expect(summary.done).toBe(2);
    expect(summary.failed).toBe(1);
    expect(store.listJobs({ runId: 'r1', status: 'failed' })[0]?.error).toBe('boom');
  });

  it('an abort signal stops launching jobs and marks the run stopped', async () => {
    const controller = new AbortController();
    const summary = await runJobs({
      store,
      runId: 'r1',
      jobs: jobs(10),
      concurrency: 1,
      budget: new Budget(),
      signal: controller.signal,
      execute: async (job) => {
        if (job.payload.i === 2) controller.abort();
        return { status: 'done', spentUsd: 0 };
      },
    });
    expect(summary.done).toBe(3);
    expect(summary.stopReason).toBe('signal');
    expect(store.getRun('r1')?.status).toBe('stopped');
  });
});
