import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { fitFeatureEncoder, fitLogistic, predictLogistic } from '../../src/mechanisms/index.js';
import { runReplay } from '../../src/replay/index.js';
import { type CellSpec, gridMatrix } from '../replay/matrix-fixture.js';

// Two repositories of 60 tasks each. x costs $1, y costs $10 (V = $100).
// In repo A x always resolves; in repo B x never does and y always does.
const tasks = Array.from({ length: 120 }, (_, i) => `t${i}`);
const repoOf = (i: number) => (i < 60 ? 'A' : 'B');
const features = Object.fromEntries(
  tasks.map((taskId, i) => [taskId, { repo: repoOf(i), statementChars: i < 60 ? 200 + i : 5000 + 10 * i }]),
);
const grid: CellSpec[][] = tasks.map((_, i) => [
  { resolved: repoOf(i) === 'A', cost: 1 },
  { resolved: true, cost: 10 },
]);
const matrix = gridMatrix({ tasks, workers: ['x', 'y'], grid, features });

function firstWorkers(name: string, report: ReturnType<typeof runReplay>): string[] {
  return report.mechanisms[name]!.perTask.map((task) => task.attempts[0]?.workerId ?? '-');
}

describe('learned cascade', () => {
  it('learns a cheap-first order for repo A and skips the cheap worker in repo B', () => {
    const report = runReplay({ matrix, mechanisms: ['cascade:learned:shrink=1'], value: 100, resamples: 0 });
    const first = firstWorkers('cascade:learned:shrink=1', report);
    expect(first.slice(0, 60).every((w) => w === 'x')).toBe(true);
    expect(first.slice(60).every((w) => w === 'y')).toBe(true);
    // Everything is solved with one attempt each: 60·$1 + 60·$10.
    expect(report.mechanisms['cascade:learned:shrink=1']!.spendUsd).toBe(660);
  });

  it('with one global order (groupBy=none) pays for x first everywhere', () => {
    const report = runReplay({ matrix, mechanisms: ['cascade:learned:groupBy=none'], value: 100, resamples: 0 });
    // Global objective per task: [x, y] → A: 99, B: 89; [y] → 90 both → mean 94 vs 90: x first.
    expect(firstWorkers('cascade:learned:groupBy=none', report).every((w) => w === 'x')).toBe(true);
    expect(report.mechanisms['cascade:learned:groupBy=none']!.spendUsd).toBe(60 * 1 + 60 * 11);
  });

  it('abstains when no order is worth its cost (expected-value stopping)', () => {
    const report = runReplay({ matrix, mechanisms: ['cascade:learned'], value: 0.5, resamples: 0 });
    expect(report.mechanisms['cascade:learned']!.attempts).toBe(0);
  });
});

describe('learned router', () => {
  it('routes by a pre-attempt feature: x for short statements, y for long ones', () => {
    const noRepo = gridMatrix({
      tasks,
      workers: ['x', 'y'],
      grid,
      features: Object.fromEntries(tasks.map((taskId) => [taskId, { statementChars: features[taskId]!.statementChars }])),
    });
    const report = runReplay({ matrix: noRepo, mechanisms: ['router:learned:ridge=0.1'], value: 100, resamples: 0 });
    const first = firstWorkers('router:learned:ridge=0.1', report);
    expect(first.slice(0, 60).every((w) => w === 'x')).toBe(true);
    expect(first.slice(60).every((w) => w === 'y')).toBe(true);
  });
});

describe('logistic regression and feature encoding', () => {
  it('recovers a known logistic model from a large sample', () => {
    const random = new Random(5);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = random.normal();
      const b = random.normal();
      x.push([a, b]);
      y.push(random.bernoulli(1 / (1 + Math.exp(-(0.5 + 1.5 * a - 1 * b)))) ? 1 : 0);
    }
    const model = fitLogistic({ x, y, ridge: 1e-6 });
    expect(model.intercept).toBeCloseTo(0.5, 1);
    expect(model.coef[0]).toBeCloseTo(1.5, 1);
    expect(model.coef[1]).toBeCloseTo(-1, 1);
    expect(predictLogistic(model, [0, 0])).toBeCloseTo(1 / (1 + Math.exp(-model.intercept)), 12);
  });

  it('never encodes gold-patch features and one-hots frequent categories', () => {
    const encoder = fitFeatureEncoder([
      { taskId: 'a', features: { repo: 'r1', statementChars: 10, gold_patch_files: 3 } },
      { taskId: 'b', features: { repo: 'r1', statementChars: 20, gold_patch_files: 1 } },
      { taskId: 'c', features: { repo: 'r2', statementChars: 30, gold_patch_files: 9 } },
    ], 2);
    expect(encoder.names).toEqual(['statementChars', 'repo=r1']);
  });
});

describe('baselines the market must beat', () => {
  it('cascade:pair learns one global order on the training folds: x then y (as worked out for groupBy=none)', () => {
    const report = runReplay({ matrix, mechanisms: ['cascade:pair'], value: 100, resamples: 0 });
    expect(firstWorkers('cascade:pair', report).every((w) => w === 'x')).toBe(true);
    expect(report.mechanisms['cascade:pair']!.actualCostUsd).toBe(60 * 1 + 60 * 11);
  });

  it('router:text routes by the words of the statement: x on "parser" tasks, y on "renderer" tasks', () => {
    const words = (i: number) => (i < 60 ? `the parser fails on input ${i}` : `the renderer crashes when drawing ${i}`);
    const texts = gridMatrix({
      tasks,
      workers: ['x', 'y'],
      grid,
      features: Object.fromEntries(tasks.map((taskId, i) => [taskId, { statement: words(i) }])),
    });
    const report = runReplay({ matrix: texts, mechanisms: ['router:text'], value: 100, resamples: 0 });
    const first = firstWorkers('router:text', report);
    expect(first.slice(0, 60).every((w) => w === 'x')).toBe(true);
    expect(first.slice(60).every((w) => w === 'y')).toBe(true);
    // One attempt each: 60·$1 + 60·$10.
    expect(report.mechanisms['router:text']!.actualCostUsd).toBe(660);
  });
});
