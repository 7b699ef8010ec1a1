import { describe, expect, it } from 'vitest';
import { replayJson, runReplay, summarizeRuns } from '../../src/replay/index.js';
import { gridMatrix, no, ok } from './matrix-fixture.js';

// The replay keeps per-task results in typed-array columns and builds `perTask` only when it is
// read. Its JSON must be what it always was: every figure below is worked out by hand from the
// grid, in the documented key order, and compared as serialized text.
//            a            b            c
// t1   ok  $1       ok  $10      no  $100
// t2   no  $2       ok  $20      no  $200
// t3   no  $3       no  $30      ok  $300
// t4   no  $4       no  $40      no  $400
// Price $0.5 per token, so every attempt's tokens are exactly 2 × its cost.
const matrix = gridMatrix({
  tasks: ['t1', 't2', 't3', 't4'],
  workers: ['a', 'b', 'c'],
  price: 0.5,
  grid: [
    [ok(1, 0.9), ok(10, 0.9), no(100, 0.9)],
    [no(2, 0.9), ok(20, 0.9), no(200, 0.9)],
    [no(3, 0.9), no(30, 0.9), ok(300, 0.9)],
    [no(4, 0.9), no(40, 0.9), no(400, 0.9)],
  ],
});
const V = 1000;
const mechanisms = ['solo:a', 'parallel-all', 'cascade:a>b>c', 'oracle'];

type Attempt = [workerId: string, resolved: boolean, costUsd: number];

/** The documented per-mechanism JSON from a hand-written list of each task's attempts (cost reimbursed). */
function expected(parameters: Record<string, unknown>, tasks: Attempt[][]) {
  const perTask = tasks.map((attempts, index) => ({
    taskId: `t${index + 1}`,
    solved: attempts.some(([, resolved]) => resolved),
    spendUsd: attempts.reduce((sum, [, , cost]) => sum + cost, 0),
    attempts: attempts.map(([workerId, resolved, costUsd]) => ({ workerId, resolved, costUsd })),
  }));
  return { parameters, perTask };
}

const soloA = expected({ worker: 'a' }, [[['a', true, 1]], [['a', false, 2]], [['a', false, 3]], [['a', false, 4]]]);
const parallel = expected({}, [
  [['a', true, 1], ['b', true, 10], ['c', false, 100]],
  [['a', false, 2], ['b', true, 20], ['c', false, 200]],
  [['a', false, 3], ['b', false, 30], ['c', true, 300]],
  [['a', false, 4], ['b', false, 40], ['c', false, 400]],
]);
const cascade = expected({ order: ['a', 'b', 'c'] }, [
  [['a', true, 1]],
  [['a', false, 2], ['b', true, 20]],
  [['a', false, 3], ['b', false, 30], ['c', true, 300]],
  [['a', false, 4], ['b', false, 40], ['c', false, 400]],
]);
const oracle = expected({}, [[['a', true, 1]], [['b', true, 20]], [['c', true, 300]], []]);

/** The documented closed-form 95% welfare interval: Σw ± 1.96·√n·sd(w) over per-task welfare w = V·solved − cost. */
function welfareCi(perTaskWelfare: number[]): [number, number] {
  const n = perTaskWelfare.length;
  let sum = 0;
  for (const w of perTaskWelfare) sum += w;
  const mean = sum / n;
  let squares = 0;
  for (const w of perTaskWelfare) squares += (w - mean) ** 2;
  const half = 1.96 * Math.sqrt(n) * Math.sqrt(squares / (n - 1));
  return [sum - half, sum + half];
}

// Totals by hand (solved, cost = spend, tokens = 2 × cost, attempts, win shares, conversion), and
// per-task welfare at V = 1000 for the interval.
const want = {
  'solo:a': {
    parameters: soloA.parameters, solved: 1, n: 4, solveRate: 0.25, spendUsd: 10, actualCostUsd: 10, welfare: V - 10,
    costPerSolve: 10, spendPerSolve: 10, surplus: V - 10, workerRentUsd: 0, tokensPerSolve: 20, attempts: 4,
    winShare: { a: 1 }, conversion: { a: 0.25 }, perTask: soloA.perTask, welfareCi: welfareCi([999, -2, -3, -4]),
  },
  'parallel-all': {
    parameters: parallel.parameters, solved: 3, n: 4, solveRate: 0.75, spendUsd: 1110, actualCostUsd: 1110, welfare: 3 * V - 1110,
    costPerSolve: 370, spendPerSolve: 370, surplus: 3 * V - 1110, workerRentUsd: 0, tokensPerSolve: 740, attempts: 12,
    winShare: { a: 4 / 12, b: 4 / 12, c: 4 / 12 }, conversion: { a: 1 / 4, b: 2 / 4, c: 1 / 4 }, perTask: parallel.perTask,
    welfareCi: welfareCi([889, 778, 667, -444]),
  },
  'cascade:a>b>c': {
    parameters: cascade.parameters, solved: 3, n: 4, solveRate: 0.75, spendUsd: 800, actualCostUsd: 800, welfare: 3 * V - 800,
    costPerSolve: 800 / 3, spendPerSolve: 800 / 3, surplus: 3 * V - 800, workerRentUsd: 0, tokensPerSolve: 1600 / 3, attempts: 9,
    winShare: { a: 4 / 9, b: 3 / 9, c: 2 / 9 }, conversion: { a: 1 / 4, b: 1 / 3, c: 1 / 2 }, perTask: cascade.perTask,
    welfareCi: welfareCi([999, 978, 667, -444]),
  },
  oracle: {
    parameters: oracle.parameters, solved: 3, n: 4, solveRate: 0.75, spendUsd: 321, actualCostUsd: 321, welfare: 3 * V - 321,
    costPerSolve: 107, spendPerSolve: 107, surplus: 3 * V - 321, workerRentUsd: 0, tokensPerSolve: 214, attempts: 3,
    winShare: { a: 1 / 3, b: 1 / 3, c: 1 / 3 }, conversion: { a: 1, b: 1, c: 1 }, perTask: oracle.perTask,
    welfareCi: welfareCi([999, 980, 700, 0]),
  },
};
const withoutPerTask = Object.fromEntries(Object.entries(want).map(([name, { perTask: _perTask, ...totals }]) => [name, totals]));

describe('replay JSON with column-stored per-task results', () => {
  for (const feedback of ['full', 'bandit'] as const) {
    it(`equals the hand-worked document, perTask included, under ${feedback} feedback`, () => {
      const report = runReplay({ matrix, mechanisms, value: V, maxAttempts: 3, resamples: 0, feedback });
      const json = replayJson(report, { perTask: true }) as { mechanisms: unknown };
      expect(JSON.stringify(json.mechanisms)).toBe(JSON.stringify(want));
    });
  }

  it('leaves perTask out of the JSON without --per-task, and builds it only when read', () => {
    const report = runReplay({ matrix, mechanisms, value: V, maxAttempts: 3, resamples: 0 });
    const json = replayJson(report) as { mechanisms: unknown };
    expect(JSON.stringify(json.mechanisms)).toBe(JSON.stringify(withoutPerTask));
    const result = report.mechanisms['cascade:a>b>c']!;
    expect(typeof Object.getOwnPropertyDescriptor(result, 'perTask')?.get).toBe('function');
    const first = result.perTask;
    expect(first).toEqual(want['cascade:a>b>c'].perTask);
    // Built once, then an ordinary value: the same array on every read, and assignable.
    expect(result.perTask).toBe(first);
    expect(Object.getOwnPropertyDescriptor(result, 'perTask')?.value).toBe(first);
    result.perTask = [];
    expect(result.perTask).toEqual([]);
  });

  it('summarizeRuns (the exported form over task runs) gives the same document', () => {
    const report = runReplay({ matrix, mechanisms: ['cascade:a>b>c'], value: V, maxAttempts: 3, resamples: 0 });
    const runs = report.mechanisms['cascade:a>b>c']!.perTask.map((task) => ({
      taskId: task.taskId,
      solved: task.solved,
      spendUsd: task.spendUsd,
      costUsd: task.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0),
      tokens: task.attempts.reduce((sum, attempt) => sum + 2 * attempt.costUsd, 0),
      attempts: task.attempts.map((attempt, round) => ({ ...attempt, tokens: 2 * attempt.costUsd, round: round + 1 })),
      payments: [],
      allocations: [],
    }));
    const summary = summarizeRuns({ runs, value: V, parameters: { order: ['a', 'b', 'c'] } });
    const { welfareCi: _welfareCi, ...summarized } = want['cascade:a>b>c'];
    expect(JSON.stringify(summary)).toBe(JSON.stringify(summarized));
  });
});
