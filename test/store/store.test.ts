import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { APPLICATION_ID, jobKey, LATEST_VERSION, Store } from '../../src/runtime/store/index.js';
import { sampleAttempt, sampleForecast, sampleTask, sampleWorker } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-store-');
let counter = 0;
const freshFile = () => join(dir, `store-${++counter}.db`);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('Store', () => {
  it('creates a new file at the latest schema with the MarketBench application id', () => {
    const file = freshFile();
    const store = Store.open(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(store.db.pragma('application_id', { simple: true })).toBe(0x4d4b5442);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
  });

  it('syncs at NORMAL (1) with checkpoints every 10,000 WAL pages, on a new file and on reopening it', () => {
    const file = freshFile();
    for (let open = 0; open < 2; open++) {
      const store = Store.open(file);
      expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      store.upsertTasks([sampleTask()]);
      store.close();
    }
    // Closing checkpointed everything: the store is one file again.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = Store.open(file);
    expect(reopened.getTasks()).toHaveLength(1);
    reopened.close();
  });

  it('round-trips tasks, workers, forecasts, attempts and allocations unchanged', () => {
    const store = Store.open(freshFile(), { now: () => '2026-01-01T00:00:00.000Z' });
    const task = sampleTask();
    const worker = sampleWorker();
    store.upsertTasks([task]);
    store.upsertWorkers([worker]);
    const run = store.createRun({ kind: 'elicit', id: 'r1', seed: 7, config: { models: ['a'] } });
    expect(run).toEqual({
      id: 'r1',
      kind: 'elicit',
      createdAt: '2026-01-01T00:00:00.000Z',
      status: 'running',
      seed: 7,
      config: { models: ['a'] },
      note: null,
    });
    const forecast = sampleForecast(task.id, worker.id);
    store.putForecast({ runId: 'r1', jobKey: 'k1', forecast, inputTokens: 800, outputTokens: 100, costUsd: 0.0028 });
    const attempt = sampleAttempt(task.id, worker.id, true);
    store.putAttempt({ runId: 'r1', jobKey: 'k2', attempt, trajectory: [{ step: 1 }] });
    const allocation = {
      taskId: task.id,
      mechanism: 'scoring',
      round: 1,
      workerIds: [worker.id],
      payments: [{ workerId: worker.id, amount: 34, reason: 'award' }],
      detail: { score: 9.4925 },
    };
    store.putAllocation({ runId: 'r1', allocation });
    expect(store.getTasks()).toEqual([task]);
    expect(store.getWorkers()).toEqual([worker]);
    expect(store.getForecasts({ runId: 'r1' })).toEqual([{ ...forecast, runId: 'r1', jobKey: 'k1' }]);
    expect(store.getAttempts({ runId: 'r1' })).toEqual([{ ...attempt, runId: 'r1', jobKey: 'k2' }]);
    expect(store.getAllocations({ runId: 'r1' })).toEqual([{ ...allocation, runId: 'r1' }]);
    store.close();
  });

  it('writes the same job key twice as one row', () => {
    const store = Store.open(freshFile());
    store.createRun({ kind: 'elicit', id: 'r' });
    const forecast = sampleForecast('t', 'w');
    store.putForecast({ runId: 'r', jobKey: 'same', forecast });
    store.putForecast({ runId: 'r', jobKey: 'same', forecast: { ...forecast, pSuccess: 0.9 } });
    const rows = store.getForecasts();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.pSuccess).toBe(0.9);
    store.close();
  });

  it('keeps a job ledger: started, then done or failed; tries are counted', () => {
    const store = Store.open(freshFile());
    store.createRun({ kind: 'elicit', id: 'r' });
    expect(store.jobStatus('a')).toBeUndefined();
    store.startJob({ key: 'a', runId: 'r', kind: 'forecast' });
    expect(store.jobStatus('a')).toBe('started');
    store.startJob({ key: 'a', runId: 'r', kind: 'forecast' });
    store.finishJob({ key: 'a', status: 'done', costUsd: 0.25 });
    store.startJob({ key: 'b', runId: 'r', kind: 'forecast' });
    store.finishJob({ key: 'b', status: 'failed', costUsd: 0.5, error: 'HTTP 500' });
    expect(store.doneJobKeys('r')).toEqual(new Set(['a']));
    expect(store.jobSpendUsd('r')).toBeCloseTo(0.75, 12);
    expect(store.db.prepare("SELECT tries FROM jobs WHERE key = 'a'").get()).toEqual({ tries: 2 });
    store.close();
  });

  it('job keys are deterministic and independent of the order of parts', () => {
    const a = jobKey({ run: 'r1', task: 't', worker: 'w', treatment: 'direct', repeat: 0 });
    const b = jobKey({ repeat: 0, treatment: 'direct', worker: 'w', task: 't', run: 'r1' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(jobKey({ run: 'r1', task: 't', worker: 'w', treatment: 'direct', repeat: 1 })).not.toBe(a);
  });

  it('migrates a version-1 file to the latest version, keeping its rows and backfilling the job ledger', () => {
    const file = freshFile();
    const old = Store.open(file, { targetVersion: 1 });
    expect(old.db.pragma('user_version', { simple: true })).toBe(1);
    const forecast = sampleForecast('t', 'w');
    old.db
      .prepare(
        `INSERT INTO forecasts (job_key, run_id, task_id, worker_id, treatment, repeat, p_success, expected_tokens,
          valid, cost_usd, created_at) VALUES ('k', 'r', 't', 'w', 'direct', 0, 0.62, 3200, 1, 0.01, 'then')`,
      )
      .run();
    old.db.prepare(`INSERT INTO runs (id, kind, created_at, status) VALUES ('r', 'elicit', 'then', 'done')`).run();
    old.close();
    const store = Store.open(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(store.getForecasts()[0]?.pSuccess).toBe(forecast.pSuccess);
    expect(store.jobStatus('k')).toBe('done');
    expect(store.jobSpendUsd('r')).toBeCloseTo(0.01, 12);
    store.close();
  });

  it('refuses a file that is not SQLite and leaves it byte-for-byte untouched', () => {
    const file = freshFile();
    writeFileSync(file, 'task_id,p\nx,0.5\n');
    const before = sha(file);
    expect(() => Store.open(file)).toThrow(/not a SQLite database/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a corrupt SQLite file without modifying it', () => {
    const file = freshFile();
    const store = Store.open(file);
    store.upsertTasks([sampleTask()]);
    store.close();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100, bytes.length);
    writeFileSync(file, bytes);
    const before = sha(file);
    expect(() => Store.open(file)).toThrow(StoreError);
    expect(sha(file)).toBe(before);
  });

  it("refuses another application's database", () => {
    const file = freshFile();
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    foreign.close();
    const before = sha(file);
    expect(() => Store.open(file)).toThrow(/another application \(tables: customers\)/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a store of a newer schema', () => {
    const file = freshFile();
    const newer = new Database(file);
    newer.exec('CREATE TABLE runs (id TEXT)');
    newer.pragma(`application_id = ${APPLICATION_ID}`);
    newer.pragma(`user_version = ${LATEST_VERSION + 1}`);
    newer.close();
    expect(() => Store.open(file)).toThrow(/newer than this MarketBench understands/);
  });
});
