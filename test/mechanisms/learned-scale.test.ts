import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import {
  type AttemptRecord,
  cascade,
  fitLogistic,
  type History,
  historyGrid,
  historyWelfare,
  type Mechanism,
  neighbourSearch,
  oracle,
  parallelAll,
  runTaskRounds,
  subHistory,
} from '../../src/mechanisms/index.js';
import { asTermWeights, cosine, fitTfIdf, tfIdfVector } from '../support/tfidf-reference.js';
import { runReplay } from '../../src/replay/index.js';
import { type CellSpec, gridMatrix } from '../replay/matrix-fixture.js';

/**
 * Newton's method as first written (dense rows, every product summed): the reference the sparse
 * fit must reproduce to the last digit.
 */
function denseFit(x: number[][], y: number[], ridge: number): number[] {
  const n = x.length;
  const d = n > 0 ? (x[0] as number[]).length : 0;
  const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  let positives = 0;
  for (const v of y) positives += v;
  const rate = (positives + 1) / (n + 2);
  const beta = new Array<number>(d + 1).fill(0);
  beta[0] = Math.log(rate / (1 - rate));
  for (let iteration = 0; iteration < 25; iteration++) {
    const g = new Array<number>(d + 1).fill(0);
    const h = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let j = 1; j <= d; j++) {
      g[j] = 2 * ridge * (beta[j] as number);
      (h[j] as number[])[j] = 2 * ridge;
    }
    for (let i = 0; i < n; i++) {
      const row = x[i] as number[];
      let z = beta[0] as number;
      for (let j = 0; j < d; j++) z += (beta[j + 1] as number) * (row[j] as number);
      const q = sig(z);
      const r = q - (y[i] as number);
      const w = Math.max(q * (1 - q), 1e-9);
      g[0] = (g[0] as number) + r;
      for (let j = 0; j < d; j++) g[j + 1] = (g[j + 1] as number) + r * (row[j] as number);
      for (let j = 0; j <= d; j++) {
        const xj = j === 0 ? 1 : (row[j - 1] as number);
        for (let k = j; k <= d; k++) (h[j] as number[])[k] = ((h[j] as number[])[k] as number) + w * xj * (k === 0 ? 1 : (row[k - 1] as number));
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) (h[j] as number[])[k] = (h[k] as number[])[j] as number;
    (h[0] as number[])[0] = ((h[0] as number[])[0] as number) + 1e-6;
    // Gaussian elimination with partial pivoting, as the solver does.
    const a = h.map((row, i) => [...row, g[i] as number]);
    let singular = false;
    for (let col = 0; col <= d && !singular; col++) {
      let pivot = col;
      for (let row = col + 1; row <= d; row++) if (Math.abs((a[row] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = row;
      if (Math.abs((a[pivot] as number[])[col] as number) < 1e-12) singular = true;
      [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
      for (let row = col + 1; row <= d && !singular; row++) {
        const factor = ((a[row] as number[])[col] as number) / ((a[col] as number[])[col] as number);
        for (let k = col; k <= d + 1; k++) (a[row] as number[])[k] = ((a[row] as number[])[k] as number) - factor * ((a[col] as number[])[k] as number);
      }
    }
    if (singular) break;
    const step = new Array<number>(d + 1).fill(0);
    for (let row = d; row >= 0; row--) {
      let sum = (a[row] as number[])[d + 1] as number;
      for (let k = row + 1; k <= d; k++) sum -= ((a[row] as number[])[k] as number) * (step[k] as number);
      step[row] = sum / ((a[row] as number[])[row] as number);
    }
    let change = 0;
    for (let j = 0; j <= d; j++) {
      beta[j] = (beta[j] as number) - (step[j] as number);
      change += Math.abs(step[j] as number);
    }
    if (change < 1e-8) break;
  }
  return beta;
}

/** Rows like the router's: two standardized numbers and a one-hot repository (mostly zeros). */
function sample(n: number, seed: number): { x: number[][]; y: number[] } {
  const random = new Random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const repo = Math.floor(random.next() * 8);
    const a = random.normal();
    const b = random.next() < 0.3 ? 0 : random.normal();
    x.push([a, b, ...Array.from({ length: 8 }, (_, r) => (r === repo ? 1 : 0))]);
    y.push(random.bernoulli(1 / (1 + Math.exp(-(0.3 + a - 0.5 * b + (repo - 4) / 3)))) ? 1 : 0);
  }
  return { x, y };
}

describe('fitLogistic on sparse rows', () => {
  it('equals the dense Newton fit to the last digit, from arrays and from a typed design matrix', () => {
    for (const [n, ridge, seed] of [
      [300, 1, 1],
      [1200, 100, 2],
      [40, 1000, 3],
      [0, 1, 4],
    ] as const) {
      const { x, y } = sample(n, seed);
      const reference = denseFit(x, y, ridge);
      const fromArrays = fitLogistic({ x, y, ridge });
      expect([fromArrays.intercept, ...fromArrays.coef]).toEqual(n === 0 ? [reference[0]] : reference);
      if (n === 0) continue;
      const design = { data: Float64Array.from(x.flat()), rows: n, columns: (x[0] as number[]).length };
      const fromDesign = fitLogistic({ x: design, y: Uint8Array.from(y), ridge });
      expect(fromDesign).toEqual(fromArrays);
      // The same design fitted again at another ridge (its sparse form is reused) is that ridge's fit.
      const again = fitLogistic({ x: design, y, ridge: ridge * 10 });
      expect([again.intercept, ...again.coef]).toEqual(denseFit(x, y, ridge * 10));
    }
  });
});

/** Statements of a Zipf-like vocabulary, so some words are in most statements and some in few. */
function statements(count: number, seed: number): string[] {
  const random = new Random(seed);
  const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i}`);
  return Array.from({ length: count }, () => {
    const length = 3 + Math.floor(random.next() * 30);
    return Array.from({ length }, () => vocabulary[Math.floor(400 * random.next() ** 3)] as string).join(' ');
  });
}

describe('neighbour search', () => {
  it('ranks as the brute-force cosine over every training task does, similarities to the last digit', () => {
    const training = statements(500, 7);
    const queries = statements(60, 8);
    const model = fitTfIdf(training);
    const vectors = training.map((text) => tfIdfVector(model, text));
    // Two copies of one statement: an exact tie, broken by the lower training index.
    vectors[17] = vectors[3] as Map<number, number>;
    const search = neighbourSearch({ documents: vectors.map((vector, t) => ({ t, vector: asTermWeights(vector) })), terms: model.idf.length });
    for (const text of [...queries, training[3] as string, '', 'nothing in the vocabulary']) {
      const query = tfIdfVector(model, text);
      const brute = vectors
        .map((vector, t) => ({ t, similarity: cosine(query, vector) }))
        .filter((entry) => entry.similarity > 0)
        .sort((a, b) => b.similarity - a.similarity || a.t - b.t)
        .slice(0, 25);
      const found = search.nearest(asTermWeights(query), 25);
      expect([...found.t]).toEqual(brute.map((entry) => entry.t));
      expect([...found.similarity]).toEqual(brute.map((entry) => entry.similarity));
    }
    const same = search.nearest(asTermWeights(tfIdfVector(model, training[3] as string)), 2);
    expect([...same.t]).toEqual([3, 17]);
  });

  it("router:text's default pool changes nothing at 2,000 tasks; a pool of 50 does", () => {
    const tasks = Array.from({ length: 2000 }, (_, i) => `t${i}`);
    const texts = statements(2000, 9);
    const random = new Random(10);
    // x solves the tasks whose statement has w1, y the others; x is cheap.
    const grid: CellSpec[][] = texts.map((text) => {
      const xSolves = text.split(' ').includes('w1') !== random.next() < 0.1;
      return [
        { resolved: xSolves, cost: 1 },
        { resolved: !xSolves || random.next() < 0.5, cost: 4 },
      ];
    });
    const matrix = gridMatrix({
      tasks,
      workers: ['x', 'y'],
      grid,
      features: Object.fromEntries(tasks.map((taskId, i) => [taskId, { statement: texts[i] as string }])),
    });
    const specs = ['router:text:k=10', 'router:text:k=10:pool=1000000', 'router:text:k=10:pool=50'];
    const report = runReplay({ matrix, mechanisms: specs, value: 10, resamples: 0, foldSeeds: 1 });
    const runs = specs.map((spec) => report.mechanisms[spec]!.perTask.map((task) => task.attempts.map((attempt) => attempt.workerId).join('>')));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
    expect(report.mechanisms['router:text:k=10']!.parameters.pool).toBe(5000);
  });
});

describe('history grid', () => {
  it('is built from the cells (the last of a repeated pair wins; strangers ignored) and shared by sub-histories', () => {
    const cell = (taskId: string, workerId: string, resolved: boolean, costUsd: number) => ({ taskId, workerId, resolved, costUsd, tokens: costUsd * 10, p: null, expectedTokens: null });
    const history: History = {
      workerIds: ['x', 'y'],
      tasks: ['a', 'b', 'c'].map((taskId) => ({ taskId, features: {} })),
      cells: [cell('a', 'x', true, 1), cell('a', 'x', false, 2), cell('b', 'y', true, 3), cell('z', 'x', true, 9), cell('c', 'w', true, 9)],
      blendedPrice: {},
    };
    const grid = historyGrid(history);
    expect([...grid.resolved]).toEqual([0, -1, -1, 1, -1, -1]);
    expect([...grid.costUsd]).toEqual([2, 0, 0, 3, 0, 0]);
    expect([...grid.tokens]).toEqual([20, 0, 0, 30, 0, 0]);
    const sub = subHistory(history, new Set(['b', 'c']));
    expect(sub.tasks.map((task) => task.taskId)).toEqual(['b', 'c']);
    expect([...(sub.grid?.rows ?? [])]).toEqual([1, 2]);
    expect(sub.grid?.resolved).toBe(grid.resolved);
    // The cells are filtered by task only, as before the grid (the off-roster worker's cell stays).
    expect(sub.cells).toEqual([cell('b', 'y', true, 3), cell('c', 'w', true, 9)]);
  });
});

describe('historyWelfare', () => {
  it('equals V·solved − cost of the multi-round driver, task by task, on a history with gaps', () => {
    const random = new Random(12);
    const workerIds = ['x', 'y', 'z'];
    const tasks = Array.from({ length: 40 }, (_, i) => ({ taskId: `t${i}`, features: {} }));
    const cells = tasks.flatMap((task) =>
      workerIds
        .filter(() => random.next() < 0.8)
        .map((workerId) => ({ taskId: task.taskId, workerId, resolved: random.next() < 0.4, costUsd: Math.round(100 * random.next()) / 10, tokens: 5, p: null, expectedTokens: null })),
    );
    const history: History = { workerIds, tasks, cells, blendedPrice: {} };
    // A mechanism that assigns a worker twice in one round and draws from its randomness.
    const twice: Mechanism = {
      name: 'twice',
      parameters: {},
      allocate: (_task, _bids, context, draw) => {
        const pick = context.available[Math.floor(draw.next() * context.available.length)] as string;
        return { workerIds: [pick, pick], payments: [], reimburseCost: true, detail: {} };
      },
    };
    for (const mechanism of [cascade(['y', 'x', 'z']), parallelAll(), oracle(), twice]) {
      for (const maxAttempts of [1, 2, 3]) {
        const settings = { value: 7, maxAttempts };
        let expected = 0;
        for (const task of tasks) {
          const row = cells.filter((cell) => cell.taskId === task.taskId);
          if (row.length === 0) continue;
          const run = runTaskRounds({
            mechanism,
            task,
            bids: [],
            roster: workerIds.filter((workerId) => row.some((cell) => cell.workerId === workerId)),
            attempt: (workerId): AttemptRecord => row.find((cell) => cell.workerId === workerId) as AttemptRecord,
            maxAttempts,
            value: 7,
            random: new Random(3).fork(task.taskId),
          });
          expected += (run.solved ? 7 : 0) - run.costUsd;
        }
        expect(historyWelfare({ mechanism, history, settings, random: new Random(3) })).toBe(expected);
      }
    }
  });
});
