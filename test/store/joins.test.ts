import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/runtime/store/index.js';
import { sampleAttempt, sampleForecast, sampleTask, sampleWorker } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-joins-');

describe('store joins', () => {
  it('labels forecasts with the same worker’s attempt, preferring the forecast’s own run', () => {
    const store = Store.open(join(dir, 'j.db'));
    store.upsertTasks([sampleTask('t1'), sampleTask('t2'), sampleTask('t3')]);
    store.upsertWorkers([sampleWorker('w')]);
    store.createRun({ kind: 'elicit', id: 'forecasts' });
    store.createRun({ kind: 'import', id: 'outcomes' });
    store.putForecast({ runId: 'forecasts', jobKey: 'f1', forecast: sampleForecast('t1', 'w', 0.7) });
    store.putForecast({ runId: 'forecasts', jobKey: 'f2', forecast: sampleForecast('t2', 'w', 0.4) });
    store.putForecast({ runId: 'forecasts', jobKey: 'f3', forecast: { ...sampleForecast('t3', 'w'), valid: false, pSuccess: null } });
    // t1: an attempt in the forecast run (failed) and one imported (resolved): the own run wins.
    store.putAttempt({ runId: 'forecasts', jobKey: 'a1', attempt: sampleAttempt('t1', 'w', false) });
    store.putAttempt({ runId: 'outcomes', jobKey: 'a2', attempt: sampleAttempt('t1', 'w', true) });
    // t2: only an imported attempt.
    store.putAttempt({ runId: 'outcomes', jobKey: 'a3', attempt: sampleAttempt('t2', 'w', true) });
    const rows = store.labeledForecasts({ runId: 'forecasts' });
    // w's blended price: (1.75e-6 + 1.4e-5) / 2 = 7.875e-6; tokens 120,000 + 8,000.
    expect(rows).toEqual([
      { taskId: 't1', workerId: 'w', treatment: 'direct', p: 0.7, expectedTokens: 3200, y: 0, tokens: 128000, costUsd: 0.3, blendedPrice: 7.875e-6, groups: { treatment: 'direct', repo: 'acme/widget', suite: 'custom' } },
      { taskId: 't2', workerId: 'w', treatment: 'direct', p: 0.4, expectedTokens: 3200, y: 1, tokens: 128000, costUsd: 0.3, blendedPrice: 7.875e-6, groups: { treatment: 'direct', repo: 'acme/widget', suite: 'custom' } },
    ]);
    store.close();
  });

  it('builds a matrix only from tasks every worker attempted, with public task features', () => {
    const store = Store.open(join(dir, 'm.db'));
    store.upsertTasks([{ ...sampleTask('t1'), features: { gold_patch_files: 3, difficulty: 'easy' } }, sampleTask('t2')]);
    store.upsertWorkers([sampleWorker('a'), sampleWorker('b')]);
    store.createRun({ kind: 'simulate', id: 'r' });
    store.putAttempt({ runId: 'r', jobKey: '1', attempt: sampleAttempt('t1', 'a', true) });
    store.putAttempt({ runId: 'r', jobKey: '2', attempt: sampleAttempt('t1', 'b', false) });
    store.putAttempt({ runId: 'r', jobKey: '3', attempt: sampleAttempt('t2', 'a', true) });
    const matrix = store.matrix({ runId: 'r' });
    expect(matrix.taskIds).toEqual(['t1']);
    expect(matrix.workerIds).toEqual(['a', 'b']);
    expect(matrix.cells.size).toBe(2);
    expect(matrix.taskFeatures.t1).toEqual({
      repo: 'acme/widget',
      statementLength: sampleTask().statement.length,
      failToPassTests: 2,
      passToPassTests: 0,
      difficulty: 'easy',
    });
    store.close();
  });
});

describe('imported outcomes without token counts', () => {
  it('label forecasts with tokens = null, so analyses fall back to cost / blended price', () => {
    const store = Store.open(join(dir, 'imported.db'));
    store.upsertTasks([sampleTask('t1')]);
    store.upsertWorkers([sampleWorker('w')]);
    store.createRun({ kind: 'elicit', id: 'f' });
    store.createRun({ kind: 'import', id: 'i' });
    store.putForecast({ runId: 'f', jobKey: 'f1', forecast: sampleForecast('t1', 'w', 0.5) });
    const attempt = sampleAttempt('t1', 'w', true);
    store.putAttempt({ runId: 'i', jobKey: 'a1', attempt: { ...attempt, outcome: { ...attempt.outcome, inputTokens: 0, outputTokens: 0 } } });
    const [row] = store.labeledForecasts({ runId: 'f' });
    expect(row?.tokens).toBeNull();
    expect(row?.costUsd).toBe(0.3);
    store.close();
  });
});
