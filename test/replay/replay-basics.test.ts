import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/index.js';
import { costSolveFrontier, runReplay } from '../../src/replay/index.js';
import { gridMatrix, no, ok } from './matrix-fixture.js';

// Three workers, four tasks. Costs are chosen so every total is easy to add by hand.
//            a            b            c
// t1   ok  $1       ok  $10      no  $100
// t2   no  $2       ok  $20      no  $200
// t3   no  $3       no  $30      ok  $300
// t4   no  $4       no  $40      no  $400
const matrix = gridMatrix({
  tasks: ['t1', 't2', 't3', 't4'],
  workers: ['a', 'b', 'c'],
  grid: [
    [ok(1, 0.9), ok(10, 0.9), no(100, 0.9)],
    [no(2, 0.9), ok(20, 0.9), no(200, 0.9)],
    [no(3, 0.9), no(30, 0.9), ok(300, 0.9)],
    [no(4, 0.9), no(40, 0.9), no(400, 0.9)],
  ],
});

describe('runReplay on a hand-built matrix', () => {
  const report = runReplay({
    matrix,
    mechanisms: ['solo:a', 'parallel-all', 'cascade:a>b>c', 'oracle'],
    value: 1000,
    maxAttempts: 3,
    resamples: 200,
  });

  it('solo pays every attempt of its one worker and solves what it solves', () => {
    const solo = report.mechanisms['solo:a']!;
    expect(solo.solved).toBe(1);
    expect(solo.spendUsd).toBeCloseTo(1 + 2 + 3 + 4, 10);
    expect(solo.attempts).toBe(4);
    expect(solo.surplus).toBeCloseTo(1000 * 1 - 10, 10);
  });

  it('parallel-all solves the union (t1, t2, t3) at the summed cost of every cell', () => {
    const all = report.mechanisms['parallel-all']!;
    expect(all.solved).toBe(3);
    // Σ of the grid: (1+2+3+4) + (10+20+30+40) + (100+200+300+400) = 1110.
    expect(all.spendUsd).toBeCloseTo(1110, 10);
    expect(all.attempts).toBe(12);
  });

  it('a fixed cascade never reassigns a worker that failed, and stops at the first success', () => {
    const cascade = report.mechanisms['cascade:a>b>c']!;
    for (const task of cascade.perTask) {
      const workers = task.attempts.map((attempt) => attempt.workerId);
      expect(new Set(workers).size).toBe(workers.length);
      expect(task.attempts.slice(0, -1).every((attempt) => !attempt.resolved)).toBe(true);
    }
    // t1: a ($1); t2: a, b ($22); t3: a, b, c ($333); t4: a, b, c fail ($444).
    expect(cascade.perTask.map((task) => task.spendUsd)).toEqual([1, 22, 333, 444]);
    expect(cascade.solved).toBe(3);
  });

  it('the oracle takes the cheapest solver and abstains on t4', () => {
    const oracle = report.mechanisms.oracle!;
    expect(oracle.perTask.map((task) => task.attempts.map((attempt) => attempt.workerId))).toEqual([['a'], ['b'], ['c'], []]);
    expect(oracle.spendUsd).toBeCloseTo(1 + 20 + 300, 10);
    expect(oracle.winShare).toEqual({ a: 1 / 3, b: 1 / 3, c: 1 / 3 });
    expect(oracle.conversion).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('reports conversion and win shares from the attempts', () => {
    const cascade = report.mechanisms['cascade:a>b>c']!;
    // attempts: a 4 (1 resolved), b 3 (1 resolved), c 2 (1 resolved) → 9 attempts.
    expect(cascade.winShare).toEqual({ a: 4 / 9, b: 3 / 9, c: 2 / 9 });
    expect(cascade.conversion).toEqual({ a: 1 / 4, b: 1 / 3, c: 1 / 2 });
  });

  it('compares every pair once with exact McNemar p-values', () => {
    expect(report.comparisons).toHaveLength(6);
    const soloVsAll = report.comparisons.find((pair) => pair.a === 'solo:a' && pair.b === 'parallel-all')!;
    // Discordant: parallel-all alone solves t2, t3 → b = 0, c = 2; p = min(1, 2·P(X ≤ 0 | n=2)) = 2·¼ = ½.
    expect(soloVsAll.onlyA).toBe(0);
    expect(soloVsAll.onlyB).toBe(2);
    expect(soloVsAll.mcnemarP).toBeCloseTo(0.5, 12);
    expect(soloVsAll.solvedDiff).toBe(-2);
    expect(soloVsAll.solvedDiffCi[0]).toBeLessThanOrEqual(-2);
    expect(soloVsAll.solvedDiffCi[1]).toBeLessThanOrEqual(0);
  });

  it('is deterministic for a seed', () => {
    const again = runReplay({
      matrix,
      mechanisms: ['solo:a', 'parallel-all', 'cascade:a>b>c', 'oracle'],
      value: 1000,
      maxAttempts: 3,
      resamples: 200,
    });
    expect(again).toEqual(report);
  });
});

describe('maxAttempts and exclusion', () => {
  it('with maxAttempts 1 the cascade stops after its first worker', () => {
    const report = runReplay({ matrix, mechanisms: ['cascade:a>b>c'], maxAttempts: 1, resamples: 0 });
    expect(report.mechanisms['cascade:a>b>c']!.solved).toBe(1);
    expect(report.mechanisms['cascade:a>b>c']!.attempts).toBe(4);
  });

  it('solo abstains after its worker failed instead of trying it again', () => {
    const report = runReplay({ matrix, mechanisms: ['solo:b'], maxAttempts: 5, resamples: 0 });
    expect(report.mechanisms['solo:b']!.attempts).toBe(4);
  });
});

describe('exact McNemar against hand-computed binomial tails', () => {
  // Mechanism x = solo:x solves tasks 0..(b−1) only; y = solo:y solves the next c tasks only.
  function pair(b: number, c: number): number {
    const n = b + c + 1;
    const tasks = Array.from({ length: n }, (_, i) => `t${i}`);
    const grid = tasks.map((_, i) => [i < b ? ok(1) : no(1), i >= b && i < b + c ? ok(1) : no(1)]);
    const report = runReplay({ matrix: gridMatrix({ tasks, workers: ['x', 'y'], grid }), mechanisms: ['solo:x', 'solo:y'], resamples: 0 });
    return report.comparisons[0]!.mcnemarP;
  }
  it('b = 5, c = 0: 2·(½)^5 = 0.0625', () => expect(pair(5, 0)).toBeCloseTo(0.0625, 12));
  it('b = 3, c = 1: 2·(1 + 4)/16 = 0.625', () => expect(pair(3, 1)).toBeCloseTo(0.625, 12));
  it('b = 8, c = 2: 2·(1 + 10 + 45)/1024 = 0.109375', () => expect(pair(8, 2)).toBeCloseTo(112 / 1024, 12));
  it('b = c: p = 1', () => expect(pair(4, 4)).toBe(1));
});

describe('cost–solve frontier', () => {
  it('keeps the non-dominated points and integrates the step curve by hand', () => {
    // A ($0, 1), B ($10, 5), C ($20, 4) dominated by B, D ($40, 8); n = 10, S = $40.
    // Area = 1·10 + 5·30 + 8·0 = 160; AUF = 160 / (40·10) = 0.4.
    const frontier = costSolveFrontier({
      points: [
        { name: 'A', actualCostUsd: 0, solved: 1 },
        { name: 'B', actualCostUsd: 10, solved: 5 },
        { name: 'C', actualCostUsd: 20, solved: 4 },
        { name: 'D', actualCostUsd: 40, solved: 8 },
      ],
      n: 10,
    });
    expect(frontier.points.map((point) => point.name)).toEqual(['A', 'B', 'D']);
    expect(frontier.auf).toBeCloseTo(0.4, 12);
    expect(frontier.costMax).toBe(40);
  });
});

describe('bad input', () => {
  it('names a missing cell', () => {
    const broken = gridMatrix({ tasks: ['t1', 't2'], workers: ['a', 'b'], grid: [[ok(1), ok(1)], [ok(1), ok(1)]] });
    broken.cells.delete('t2\u0000b');
    expect(() => runReplay({ matrix: broken, mechanisms: ['oracle'] })).toThrow(/missing 1 cell.*\(t2, b\)/);
  });

  it('names an unknown worker in a mechanism spec and lists the known ones', () => {
    let error: unknown;
    try {
      runReplay({ matrix, mechanisms: ['solo:zed'] });
    } catch (caught) {
      error = caught;
    }
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/unknown worker 'zed' in mechanism 'solo:zed'.*a, b, c/);
    expect(() => runReplay({ matrix, mechanisms: ['cascade:a>nobody'] })).toThrow(/unknown worker 'nobody'/);
    expect(() => runReplay({ matrix, mechanisms: ['solo'] })).toThrow("mechanism 'solo' needs a worker: solo:ID, with ID one of a, b, c");
    expect(() => runReplay({ matrix, mechanisms: ['auction-of-dreams'] })).toThrow(/unknown mechanism 'auction-of-dreams'/);
  });

  it('rejects a mechanism listed twice', () => {
    expect(() => runReplay({ matrix, mechanisms: ['oracle', 'oracle'] })).toThrow(/listed twice/);
  });
});

describe('welfare first', () => {
  // Worker a solves every task for $1, worker b solves none and costs $0.25; V = $5, 8 tasks.
  const tasks = Array.from({ length: 8 }, (_, i) => `t${i}`);
  const matrix = gridMatrix({ tasks, workers: ['a', 'b'], grid: tasks.map(() => [ok(1, 0.9), no(0.25, 0.9)]) });

  it('welfare = V·solved − actual cost; paired CIs of welfare and cost differences are exact when every task is alike', () => {
    const report = runReplay({ matrix, mechanisms: ['solo:a', 'solo:b'], value: 5, maxAttempts: 1, resamples: 200 });
    const a = report.mechanisms['solo:a']!;
    expect(a.actualCostUsd).toBe(8);
    expect(a.welfare).toBe(5 * 8 - 8);
    expect(report.mechanisms['solo:b']!.welfare).toBe(-2);
    const pair = report.comparisons[0]!;
    // Every resample holds 8 tasks, each with the same differences: +1 solved, +$0.75 cost, +$4.25 welfare.
    expect(pair.welfareDiff).toBe(34);
    expect(pair.welfareDiffCi).toEqual([expect.closeTo(34, 9), expect.closeTo(34, 9)]);
    expect(pair.costDiffCi).toEqual([expect.closeTo(6, 9), expect.closeTo(6, 9)]);
    expect(pair.mcnemarPHolm).toBe(pair.mcnemarP);
  });

  it('refuses workers with no price and no recorded cost unless zero prices are allowed', () => {
    const free = gridMatrix({ tasks: ['t1'], workers: ['a', 'z'], grid: [[ok(1), ok(0)]] });
    free.blendedPrice.z = 0;
    expect(() => runReplay({ matrix: free, mechanisms: ['solo:z'], resamples: 0 })).toThrow(/no price and no recorded cost for 'z'/);
    expect(runReplay({ matrix: free, mechanisms: ['solo:z'], resamples: 0, allowZeroPrices: true }).mechanisms['solo:z']!.actualCostUsd).toBe(0);
  });
});
