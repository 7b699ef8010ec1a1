import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellKey } from '../../src/core/index.js';
import { loadReportInput } from '../../src/report/load-report-input.js';
import { completeBlock, Store } from '../../src/runtime/store/index.js';
import { sampleAttempt, sampleForecast, sampleTask, sampleWorker } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

// `report --db` on a market store: a market attempts only what its arms assign, so its cells are
// not a full task × worker matrix. Here, as in the offline market `init` writes: two workers have
// a solo arm (an attempt on every task), the third attempted one task, in round 2, after the
// first winner failed it. Every number below is worked out by hand from these rows.
const dir = tempDir('mb-market-replay-');

/** An attempt with its own cost and round. */
function attempt(taskId: string, workerId: string, resolved: boolean, costUsd: number, round = 1) {
  const base = sampleAttempt(taskId, workerId, resolved);
  return { ...base, round, outcome: { ...base.outcome, costUsd } };
}

function marketStore(file: string, settings: Record<string, unknown>): Store {
  const store = Store.open(join(dir, file));
  store.upsertTasks(['t1', 't2', 't3'].map((id) => sampleTask(id)));
  store.upsertWorkers(['a', 'b', 'c'].map((id) => sampleWorker(id)));
  store.createRun({ kind: 'market', id: 'm', config: { settings } });
  const rows: [string, string, boolean, number, number?][] = [
    ['t1', 'a', true, 0.02],
    ['t2', 'a', false, 0.03],
    ['t3', 'a', true, 0.01],
    ['t1', 'b', true, 0.01],
    ['t2', 'b', true, 0.05],
    ['t3', 'b', false, 0.02],
    ['t2', 'c', true, 0.04, 2],
  ];
  for (const [index, [taskId, workerId, resolved, costUsd, round]] of rows.entries()) {
    store.putAttempt({ runId: 'm', jobKey: `a${index}`, attempt: attempt(taskId, workerId, resolved, costUsd, round) });
  }
  // Every worker bid on every task (asks in the market's currency); a's menu on t1 states p 0.9 at its largest budget.
  for (const taskId of ['t1', 't2', 't3']) {
    for (const workerId of ['a', 'b', 'c']) {
      store.putForecast({ runId: 'm', jobKey: `plans-${taskId}-${workerId}`, forecast: { ...sampleForecast(taskId, workerId, 0.9), treatment: 'plans' } });
      store.putForecast({ runId: 'm', jobKey: `bid-${taskId}-${workerId}`, forecast: { ...sampleForecast(taskId, workerId, 0.6), treatment: 'bid', ask: 15 } });
    }
  }
  return store;
}

describe('the replay matrix of a market store', () => {
  it('keeps the workers that attempted every task instead of the one task every worker attempted', () => {
    const attempted = new Map([
      ['a', new Set(['t1', 't2', 't3'])],
      ['b', new Set(['t1', 't2', 't3'])],
      ['c', new Set(['t2'])],
    ]);
    // All three workers: 1 task (3 cells); without c: 3 tasks × 2 workers (6 cells).
    expect(completeBlock(attempted)).toEqual({ workerIds: ['a', 'b'], taskIds: ['t1', 't2', 't3'] });
    // A full matrix keeps everything; one missing cell drops its task, not its worker (8 cells against 6).
    const full = new Map(['a', 'b', 'c'].map((id) => [id, new Set(['t1', 't2', 't3', 't4'])]));
    expect(completeBlock(full).taskIds).toHaveLength(4);
    full.get('c')?.delete('t4');
    expect(completeBlock(full)).toEqual({ workerIds: ['a', 'b', 'c'], taskIds: ['t1', 't2', 't3'] });
  });

  it('takes bids before menus and turns asks in credits into USD', () => {
    const credits = marketStore('credits.db', { bounty: 90, currency: 'credits', creditsPerUsd: 10 });
    const matrix = credits.matrix();
    credits.close();
    expect(matrix.taskIds).toEqual(['t1', 't2', 't3']);
    expect(matrix.workerIds).toEqual(['a', 'b']);
    // 15 credits at 10 credits per USD.
    expect(matrix.cells.get(cellKey('t1', 'a'))).toMatchObject({ p: 0.6, ask: 1.5, resolved: true, costUsd: 0.02 });
    const usd = marketStore('usd.db', { bounty: 2, currency: 'usd' });
    expect(usd.matrix().cells.get(cellKey('t1', 'a'))?.ask).toBe(15);
    usd.close();
  });

  it('the report replays the block at the market’s V and says what it left out', () => {
    marketStore('report.db', { bounty: 90, currency: 'credits', creditsPerUsd: 10 }).close();
    const input = loadReportInput(
      { cwd: dir, dbFile: 'report.db', seed: 1, penalty: 2, maxReserve: 1, draws: 10, resamples: 100, maxAttempts: 2, foldSeeds: 1 },
      { versions: {}, generatedAt: '2026-01-01T00:00:00Z' },
    );
    const replay = input.replay;
    expect(replay?.settings).toMatchObject({ tasks: 3, workers: 2, value: 9 });
    // Oracle: t1 → b ($0.01), t2 → b ($0.05, a fails), t3 → a ($0.01): 3 solved for $0.07, welfare 3·9 − 0.07.
    expect(replay?.mechanisms.oracle).toMatchObject({ solved: 3, n: 3 });
    expect(replay?.mechanisms.oracle?.actualCostUsd).toBeCloseTo(0.07, 12);
    expect(replay?.mechanisms.oracle?.welfare).toBeCloseTo(26.93, 12);
    // Everyone on everything: 3 solved for 0.02 + 0.03 + 0.01 + 0.01 + 0.05 + 0.02 = $0.14.
    expect(replay?.mechanisms['parallel-all']?.actualCostUsd).toBeCloseTo(0.14, 12);
    // The best solo worker (2 solved, ties to lower cost): a, $0.06 against b's $0.08.
    expect(replay?.mechanisms['solo:a']).toMatchObject({ solved: 2 });
    expect(replay?.mechanisms['solo:a']?.actualCostUsd).toBeCloseTo(0.06, 12);
    expect(input.replayNotes).toEqual([
      expect.stringContaining('3 of 3 tasks × 2 of 3 workers; left out c (attempted 1 of 3 tasks)'),
      expect.stringContaining('V = $9, the bounty in USD of market run m'),
    ]);
    // An explicit --value wins, and then no V note is added.
    const atOne = loadReportInput(
      { cwd: dir, dbFile: 'report.db', seed: 1, penalty: 2, maxReserve: 1, draws: 10, resamples: 100, maxAttempts: 2, foldSeeds: 1, value: 1 },
      { versions: {}, generatedAt: '2026-01-01T00:00:00Z' },
    );
    expect(atOne.replay?.settings.value).toBe(1);
    expect(atOne.replayNotes).toHaveLength(1);
  });
});
