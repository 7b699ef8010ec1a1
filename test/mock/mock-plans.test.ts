import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMockModelId, trueSuccessProbability } from '../../src/runtime/providers/mock/mock-policy.js';
import { runCli } from '../support/capture-io.js';
import { queryStore } from '../support/query-store.js';
import { tempDir } from '../support/temp-dir.js';

describe('mock menus', () => {
  it('a mock states its budget curve p·(tries within the steps)/3, distorted by its style, through `elicit --treatment plans`', async () => {
    const dir = tempDir('mb-mock-plans-');
    const statements = ['Fix the parser.', 'Fix the cache.'];
    writeFileSync(join(dir, 'tasks.jsonl'), statements.map((statement, i) => JSON.stringify({ id: `t${i}`, statement })).join('\n'));
    const models = ['mock:calibrated?skill=0.6', 'mock:overconfident?skill=0.6', 'mock:underconfident?skill=0.6'];
    // Steps 3 → 1 try, 5 → 2 tries, 20 → all 3; $0.004 buys 4 steps of 1,000 tokens at $1/M input → 1 try.
    const result = await runCli(['elicit', '--tasks', 'tasks.jsonl', '--models', models.join(','), '--treatment', 'plans', '--plan-budgets', '0.004,0.1:5,2:20', '--db', 'p.db'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const rows = queryStore(join(dir, 'p.db'), "select task_id, worker_id, valid, menu, p_success from forecasts where treatment = 'plans'") as {
      task_id: string;
      worker_id: string;
      valid: number;
      menu: string;
      p_success: number;
    }[];
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.valid).toBe(1);
      const p = trueSuccessProbability(parseMockModelId(row.worker_id.slice(5)), statements[Number(row.task_id.slice(1))] as string);
      const curve = [p / 3, (2 * p) / 3, p];
      const stated = row.worker_id.includes('overconfident') ? curve.map((q) => 1 - (1 - q) * 0.4) : row.worker_id.includes('underconfident') ? curve.map((q) => q / 2) : curve;
      const menu = JSON.parse(row.menu) as { pSuccess: number; budgetUsd: number; maxSteps?: number }[];
      expect(menu.map((entry) => entry.budgetUsd)).toEqual([0.004, 0.1, 2]);
      expect(menu.map((entry) => entry.maxSteps)).toEqual([undefined, 5, 20]);
      for (const [index, entry] of menu.entries()) expect(entry.pSuccess).toBeCloseTo(stated[index] as number, 3);
      expect(row.p_success).toBeCloseTo(stated[2] as number, 3);
    }
  }, 60_000);

  it('--plan-budgets that do not rise, or are not USD[:STEPS], are one error line and no store', async () => {
    const dir = tempDir('mb-mock-plans-bad-');
    writeFileSync(join(dir, 'tasks.jsonl'), `${JSON.stringify({ id: 't0', statement: 'x' })}\n`);
    for (const [budgets, message] of [
      ['0.5:5,0.1:3', /--plan-budgets: budgets must rise; '0\.1:3' is not above '0\.5:5'/],
      ['0.1:0', /--plan-budgets: '0\.1:0' is not a budget; expected USD\[:STEPS\]/],
      ['1,2,3,4,5,6', /expected 1 to 5 budgets/],
    ] as const) {
      const result = await runCli(['elicit', '--tasks', 'tasks.jsonl', '--models', 'mock:calibrated', '--treatment', 'plans', '--plan-budgets', budgets, '--db', 'p.db'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'p.db'))).toBe(false);
  });
});
