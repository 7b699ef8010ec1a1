import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

describe('--format json prints one summary object', () => {
  it('elicit: 2 tasks × 2 mock models = 4 calls done, 0 failed', async () => {
    const dir = tempDir('mb-json-');
    writeFileSync(join(dir, 'tasks.jsonl'), ['a', 'b'].map((id) => JSON.stringify({ id, statement: `fix ${id}` })).join('\n'));
    const result = await runCli(['elicit', '--tasks', 'tasks.jsonl', '--models', 'mock:calibrated,mock:overconfident', '--db', 'e.db', '--format', 'json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { runId: string; summary: { done: number; failed: number }; plan: { model: string; calls: number }[] };
    expect(summary.runId).toMatch(/^elicit-/);
    expect(summary.summary.done).toBe(4);
    expect(summary.summary.failed).toBe(0);
    expect(summary.plan.map((entry) => entry.calls)).toEqual([2, 2]);
  });

  it('outcomes import: counts per worker, and the old --format <input> spelling still works with a warning', async () => {
    const dir = tempDir('mb-json-');
    const lines = [
      { task_id: 't1', worker: 'w1', resolved: true },
      { task_id: 't2', worker: 'w1', resolved: false },
      { task_id: 't1', worker: 'w2', resolved: 1 },
    ];
    writeFileSync(join(dir, 'outcomes.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n'));
    const result = await runCli(['outcomes', 'import', 'outcomes.jsonl', '--format', 'json', '--db', 'o.db'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { attempts: number; perWorker: Record<string, { attempts: number; resolved: number }> };
    expect(summary.attempts).toBe(3);
    expect(summary.perWorker).toEqual({ w1: { attempts: 2, resolved: 1 }, w2: { attempts: 1, resolved: 1 } });
    const old = await runCli(['outcomes', 'import', 'outcomes.jsonl', '--format', 'jsonl', '--db', 'o2.db'], { cwd: dir });
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toMatch(/write --format-in jsonl/);
    expect(old.stdout).toMatch(/imported 3 outcomes/);
  });

  it('every command help ends with examples', async () => {
    for (const command of ['init', 'view', 'elicit', 'attempt', 'market', 'outcomes import', 'demo', 'simulate', 'sweep', 'analyze', 'replay', 'report', 'retry', 'db info', 'db export', 'db import']) {
      const help = await runCli([...command.split(' '), '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout, command).toMatch(/Examples:\n( {2}\$ .+\n){2,3}$/);
    }
  });
});
