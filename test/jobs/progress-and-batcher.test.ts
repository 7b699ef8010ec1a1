import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressObserver } from '../../src/cli/progress.js';
import { type RunSummary, WriteBatcher } from '../../src/runtime/jobs/index.js';
import { Store } from '../../src/runtime/store/index.js';

const summary: RunSummary = { total: 4, skipped: 1, done: 2, failed: 1, notStarted: 0, sessionSpendUsd: 0.3, totalSpendUsd: 0.5, budgetUsd: 1 };

function feed(observer: ReturnType<typeof progressObserver>, clock: { t: number }): void {
  observer.onEvent({ type: 'run-start', runId: 'r', total: 4, skipped: 1, budgetUsd: 1, priorSpendUsd: 0.2 });
  for (const [i, status] of (['done', 'failed', 'done'] as const).entries()) {
    clock.t += 1000;
    observer.onEvent({ type: 'job-start', runId: 'r', key: `k${i}`, label: `job ${i}`, reservedUsd: 0.1 });
    observer.onEvent({ type: 'job-end', runId: 'r', key: `k${i}`, label: `job ${i}`, status, spentUsd: 0.1, error: status === 'failed' ? 'HTTP 500' : undefined, note: i === 2 ? 'invalid: missing p_success' : undefined });
  }
  observer.onEvent({ type: 'run-end', runId: 'r', status: 'done', stopReason: undefined, summary });
}

describe('progressObserver', () => {
  it('plain lines: start, failures, progress with spend against the budget and ETA, end', () => {
    const lines: string[] = [];
    const clock = { t: 0 };
    feed(progressObserver({ write: (text) => lines.push(text), isTty: false, intervalMs: 1500, now: () => clock.t }), clock);
    const text = lines.join('');
    expect(text).toContain('run r: 3 calls to make, 1 done earlier, budget $1.00 ($0.2000 spent before)');
    expect(text).toContain('failed job 1: HTTP 500');
    // After 3 of 3 jobs at 1 s each: spend 0.2 + 0.3 = 0.5, one error, one invalid, nothing left.
    expect(text).toContain('[3/3] spend $0.5000 of $1.00  errors 1  invalid 1  eta 0s');
    expect(text).toContain('run r done: 2 done, 1 failed, 0 not started, 1 done earlier; spent $0.3000 this session, $0.5000 in all');
  });

  it('on a terminal, draws a cli-progress bar', () => {
    const chunks: string[] = [];
    const clock = { t: 0 };
    feed(progressObserver({ write: (text) => chunks.push(text), isTty: true, now: () => clock.t }), clock);
    const text = chunks.join('');
    expect(text).toContain('3/3');
    expect(text).toContain('errors 1');
    expect(text).toMatch(/\u001b\[/);
  });
});

describe('WriteBatcher', () => {
  it('commits writes queued in one turn together, and a failing write fails only its caller', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-batch-'));
    const store = Store.open(join(dir, 'b.db'));
    try {
      const writer = new WriteBatcher(store);
      const results = await Promise.allSettled([
        writer.run(() => store.createRun({ kind: 'elicit', id: 'a' })),
        writer.run(() => {
          throw new Error('bad write');
        }),
        writer.run(() => store.createRun({ kind: 'elicit', id: 'b' })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(store.listRuns().map((run) => run.id)).toEqual(['a', 'b']);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
