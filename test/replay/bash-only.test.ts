import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../src/replay/index.js';
import { loadSwebenchBashOnlyMatrix } from '../../src/runtime/data/matrix-swebench-bash-only.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const dataDir = path.resolve(projectRoot, '../shared/data/swebench-verified-bash-only');
const file = path.join(dataDir, 'outcomes.json');
const present = existsSync(file);
if (!present) console.warn(`skipping the bash-only replay tests: ${file} not found`);

interface RawSubmission {
  model: string | null;
  resolved?: number[];
  cost_usd?: (number | null)[];
}

describe.skipIf(!present)('SWE-bench Verified bash-only matrix', () => {
  const raw = present
    ? (JSON.parse(readFileSync(file, 'utf8')) as { instances: string[]; submissions: RawSubmission[] })
    : { instances: [], submissions: [] };
  // Independent of the loader: the submissions with a cost for every instance.
  const costed = raw.submissions.filter(
    (s) => s.resolved?.length === raw.instances.length && s.cost_usd?.every((c) => typeof c === 'number'),
  );

  it('the oracle solves every task some costed worker solves (436), at the cheapest solver cost', () => {
    let solvable = 0;
    let cheapest = 0;
    raw.instances.forEach((_, i) => {
      const costs = costed.filter((s) => s.resolved![i] === 1).map((s) => s.cost_usd![i] as number);
      if (costs.length > 0) {
        solvable++;
        cheapest += Math.min(...costs);
      }
    });
    expect(costed).toHaveLength(25);
    expect(solvable).toBe(436);
    const { matrix } = loadSwebenchBashOnlyMatrix({ file });
    const report = runReplay({ matrix, mechanisms: ['oracle'], resamples: 0 });
    expect(report.mechanisms.oracle!.solved).toBe(solvable);
    expect(report.mechanisms.oracle!.spendUsd).toBeCloseTo(cheapest, 6);
  });

  it('learned mechanisms run cross-fitted from features and history with maxAttempts 2', () => {
    const { matrix } = loadSwebenchBashOnlyMatrix({ file });
    expect(Object.keys(matrix.taskFeatures)).toHaveLength(500);
    const best = 'claude-opus-4-5-20251101';
    const cheap = 'deepseek-v3.2-reasoner';
    const report = runReplay({
      matrix,
      // Fixed hyper-parameters keep this whole-matrix test quick; nested CV is tested on a small world.
      mechanisms: [`solo:${best}`, `solo:${cheap}`, 'cascade:learned:shrink=100', 'router:learned:ridge=100', 'reputation', 'oracle'],
      value: 5,
      maxAttempts: 2,
      resamples: 200,
    });
    const solo = report.mechanisms[`solo:${best}`]!;
    const sums = (model: string) => {
      const s = costed.find((x) => x.model === model)!;
      return { solved: s.resolved!.reduce((a, b) => a + b, 0), cost: s.cost_usd!.reduce((a, b) => (a as number) + (b as number), 0) as number };
    };
    expect(solo.solved).toBe(sums(best).solved);
    expect(solo.spendUsd).toBeCloseTo(sums(best).cost, 6);
    expect(report.mechanisms[`solo:${cheap}`]!.solved).toBe(sums(cheap).solved);
    for (const name of ['cascade:learned:shrink=100', 'router:learned:ridge=100']) {
      const result = report.mechanisms[name]!;
      expect(result.perTask.every((task) => task.attempts.length <= 2)).toBe(true);
      // Better than the cheapest worker alone, for less than half the best worker's spend.
      expect(result.solved).toBeGreaterThan(sums(cheap).solved);
      expect(result.spendUsd).toBeLessThan(sums(best).cost / 2);
    }
    expect(report.mechanisms.reputation!.perTask.every((task) => task.attempts.length <= 2)).toBe(true);
  });
});
