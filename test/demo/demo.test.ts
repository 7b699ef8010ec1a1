import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellKey } from '../../src/core/index.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

/** The `solved` cell (`239/300`) of a mechanism's row in a markdown table. */
function solvedIn(markdown: string, mechanism: string): { solved: number; n: number } {
  const row = markdown.split('\n').find((line) => line.startsWith(`| ${mechanism} `));
  if (!row) throw new Error(`no row for ${mechanism}`);
  const [solved, n] = row.split('|')[2]!.trim().split('/').map(Number);
  return { solved: solved!, n: n! };
}

describe('marketbench demo', () => {
  const dir = tempDir('mb-demo-');
  const out = join(dir, 'demo');

  it('writes the store and summary.md, and the summary agrees with the stored matrix', async () => {
    const result = await runCli(['demo', '--out', out, '--seed', '2'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    // Not a terminal: progress comes as numbered lines on stderr.
    expect(result.stderr).toMatch(/^\[1\/3\] simulate the paper population \(300 tasks, seed 2\)/m);
    expect(result.stderr).toMatch(/^\[3\/3\] summary done in/m);
    expect(result.stdout).toContain('| oracle ');
    expect(result.stdout).toContain('summary: demo/summary.md');

    const dbPath = join(out, 'marketbench.db');
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(existsSync(dbPath)).toBe(true);
    expect(summary).toContain('## Markets against the router');
    expect(summary).toMatch(/^\| scoring vs router:learned +\| +[+-]?\d+ \| +\[-?\d/m);

    const store = Store.open(dbPath);
    try {
      const runs = store.listRuns();
      expect(runs.map((run) => run.kind).sort()).toEqual(['replay', 'simulate']);
      const simulateRun = runs.find((run) => run.kind === 'simulate')!;
      const matrix = store.matrix({ runId: simulateRun.id });
      expect(matrix.taskIds).toHaveLength(300);

      // Oracle: a task is solved when any worker resolves it.
      let anySolved = 0;
      for (const taskId of matrix.taskIds) {
        if (matrix.workerIds.some((workerId) => matrix.cells.get(cellKey(taskId, workerId))!.resolved)) anySolved++;
      }
      expect(solvedIn(summary, 'oracle')).toEqual({ solved: anySolved, n: 300 });

      // Solo: each worker solves exactly the tasks its own attempt resolved (one attempt, no retry).
      for (const workerId of matrix.workerIds) {
        let solved = 0;
        for (const taskId of matrix.taskIds) if (matrix.cells.get(cellKey(taskId, workerId))!.resolved) solved++;
        expect(solvedIn(summary, `solo:${workerId}`)).toEqual({ solved, n: 300 });
        expect(solvedIn(result.stdout, `solo:${workerId}`)).toEqual({ solved, n: 300 });
      }
    } finally {
      store.close();
    }
  });

  it('is deterministic: the same seed prints the same table', async () => {
    const again = await runCli(['demo', '--out', join(dir, 'again'), '--seed', '2', '--resamples', '500', '--tasks', '60'], { cwd: dir });
    const twice = await runCli(['demo', '--out', join(dir, 'twice'), '--seed', '2', '--resamples', '500', '--tasks', '60'], { cwd: dir });
    expect(again.code).toBe(0);
    const table = (text: string) => text.split('\n').filter((line) => line.startsWith('|')).join('\n');
    expect(table(twice.stdout)).toBe(table(again.stdout));
    expect(table(again.stdout).length).toBeGreaterThan(0);
  });
});
