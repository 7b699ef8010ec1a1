import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

function contents(file: string) {
  const store = Store.open(file);
  try {
    return {
      runs: store.listRuns().map(({ createdAt: _createdAt, ...run }) => run),
      tasks: store.getTasks(),
      workers: store.getWorkers(),
      forecasts: store.getForecasts(),
      attempts: store.getAttempts(),
    };
  } finally {
    store.close();
  }
}

describe('marketbench simulate', () => {
  const dir = tempDir('mb-simulate-');

  it('writes a simulate run with a forecast and an attempt per task × worker and prints aggregates', async () => {
    const db = join(dir, 'a.db');
    const result = await runCli(['simulate', '--preset', 'paper', '--tasks', '40', '--seed', '1', '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const stored = contents(db);
    expect(stored.runs).toHaveLength(1);
    expect(stored.runs[0]).toMatchObject({ kind: 'simulate', status: 'done', seed: 1 });
    expect(stored.tasks).toHaveLength(40);
    expect(stored.workers).toHaveLength(6);
    expect(stored.forecasts).toHaveLength(240);
    expect(stored.attempts).toHaveLength(240);
    expect(new Set(stored.forecasts.map((f) => f.treatment))).toEqual(new Set(['direct']));
    // The printed pass rate of each worker equals resolved ÷ 40 counted from the stored attempts.
    for (const worker of stored.workers) {
      const resolved = stored.attempts.filter((a) => a.workerId === worker.id && a.outcome.resolved).length;
      const line = result.stdout.split('\n').find((row) => row.startsWith(`| ${worker.id} `))!;
      expect(line.split('|')[3]!.trim()).toBe((resolved / 40).toFixed(3));
    }
  });

  it('same seed gives the same store contents (timestamps aside); another seed does not', async () => {
    const args = ['simulate', '--tasks', '30', '--format', 'json'];
    expect((await runCli([...args, '--seed', '5', '--db', join(dir, 'b.db')])).code).toBe(0);
    expect((await runCli([...args, '--seed', '5', '--db', join(dir, 'c.db')])).code).toBe(0);
    expect((await runCli([...args, '--seed', '6', '--db', join(dir, 'd.db')])).code).toBe(0);
    const b = contents(join(dir, 'b.db'));
    expect(contents(join(dir, 'c.db'))).toEqual(b);
    const d = contents(join(dir, 'd.db'));
    expect(d.attempts.map((a) => a.outcome)).not.toEqual(b.attempts.map((a) => a.outcome));
  });

  it('rerunning into the same store rewrites rather than duplicates', async () => {
    const db = join(dir, 'e.db');
    await runCli(['simulate', '--tasks', '20', '--db', db]);
    await runCli(['simulate', '--tasks', '20', '--db', db]);
    const stored = contents(db);
    expect(stored.runs).toHaveLength(1);
    expect(stored.attempts).toHaveLength(120);
  });

  it('names the flag on bad input', async () => {
    const result = await runCli(['simulate', '--tasks', 'zero', '--db', join(dir, 'f.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--tasks is '[^']*'; expected a whole number/);
    const unknown = await runCli(['simulate', '--preset', 'nope', '--db', join(dir, 'f.db')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown preset 'nope'; known: paper/);
  });
});
