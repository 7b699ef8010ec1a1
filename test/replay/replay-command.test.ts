import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { sampleAttempt, sampleForecast, sampleTask, sampleWorker } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-replay-cli-');

// a solves t1 for $1; b solves t1 and t2 for $3 each; nobody solves t3.
const rows = [
  { task_id: 't1', worker: 'a', p: 0.8, expected_tokens: 1e6, resolved: true, cost_usd: 1 },
  { task_id: 't1', worker: 'b', p: 0.9, expected_tokens: 3e6, resolved: true, cost_usd: 3 },
  { task_id: 't2', worker: 'a', p: 0.8, expected_tokens: 1e6, resolved: false, cost_usd: 1 },
  { task_id: 't2', worker: 'b', p: 0.9, expected_tokens: 3e6, resolved: true, cost_usd: 3 },
  { task_id: 't3', worker: 'a', p: 0.8, expected_tokens: 1e6, resolved: false, cost_usd: 1 },
  { task_id: 't3', worker: 'b', p: 0.9, expected_tokens: 3e6, resolved: false, cost_usd: 3 },
];
writeFileSync(join(dir, 'm.jsonl'), rows.map((row) => `${JSON.stringify({ ...row, blended_price: 1e-6 })}\n`).join(''));

describe('marketbench replay', () => {
  it('prints the documented JSON shape', async () => {
    const result = await runCli(
      ['replay', '--matrix', 'm.jsonl', '--mechanisms', 'solo:a,cascade:a>b,oracle', '--value', '10', '--resamples', '100', '--format', 'json'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json.mechanisms)).toEqual(['solo:a', 'cascade:a>b', 'oracle']);
    const cascade = json.mechanisms['cascade:a>b'];
    for (const key of ['solved', 'n', 'spendUsd', 'costPerSolve', 'surplus', 'tokensPerSolve', 'winShare']) expect(cascade).toHaveProperty(key);
    // t1: a ($1); t2: a, b ($4); t3: a, b ($4) → 2 solved for $9; surplus 10·2 − 9 = 11.
    expect(cascade).toMatchObject({ solved: 2, n: 3, spendUsd: 9, costPerSolve: 4.5, surplus: 11 });
    expect(cascade).not.toHaveProperty('perTask');
    expect(json.comparisons).toHaveLength(3);
    for (const key of ['a', 'b', 'mcnemarP', 'solvedDiffCi']) expect(json.comparisons[0]).toHaveProperty(key);
    expect(json.frontier.points.length).toBeGreaterThan(0);
  });

  it('prints a markdown table, and --list shows the specs', async () => {
    const md = await runCli(['replay', '--matrix', 'm.jsonl', '--mechanisms', 'solo:b,oracle', '--resamples', '50', '--format', 'md'], { cwd: dir });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('| solo:b | 2/3 |');
    const list = await runCli(['replay', '--list']);
    expect(list.stdout).toContain('cascade:learned');
    expect(list.stdout).toContain('solo:<worker>');
  });

  it('names an unknown worker and a bad format', async () => {
    const unknown = await runCli(['replay', '--matrix', 'm.jsonl', '--mechanisms', 'solo:zz'], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown worker 'zz' in mechanism 'solo:zz'; workers in the matrix: a, b/);
    const format = await runCli(['replay', '--matrix', 'm.jsonl', '--format-in', 'xml'], { cwd: dir });
    expect(format.stderr).toMatch(/--format-in is 'xml'/);
    const neither = await runCli(['replay'], { cwd: dir });
    expect(neither.stderr).toMatch(/give either --matrix FILE or --db FILE/);
  });

  it('replays a matrix from the store, with recorded central-router choices', async () => {
    const db = join(dir, 'store.db');
    const store = Store.open(db);
    store.upsertTasks([sampleTask('t1'), sampleTask('t2')]);
    store.upsertWorkers([sampleWorker('w:a'), sampleWorker('w:b')]);
    store.createRun({ kind: 'market', id: 'r1' });
    for (const [taskId, workerId, resolved] of [
      ['t1', 'w:a', true],
      ['t1', 'w:b', false],
      ['t2', 'w:a', false],
      ['t2', 'w:b', true],
    ] as const) {
      store.putForecast({ runId: 'r1', jobKey: `f-${taskId}-${workerId}`, forecast: sampleForecast(taskId, workerId) });
      store.putAttempt({ runId: 'r1', jobKey: `a-${taskId}-${workerId}`, attempt: sampleAttempt(taskId, workerId, resolved) });
    }
    store.putAllocation({ runId: 'r1', allocation: { taskId: 't1', mechanism: 'central-router', round: 1, workerIds: ['w:a'], payments: [], detail: {} } });
    store.putAllocation({ runId: 'r1', allocation: { taskId: 't2', mechanism: 'central-router', round: 1, workerIds: ['w:a'], payments: [], detail: {} } });
    store.close();
    const result = await runCli(['replay', '--db', 'store.db', '--run', 'r1', '--mechanisms', 'central,oracle', '--resamples', '10', '--format', 'json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    // central names w:a on both tasks (round 1 only): solves t1, fails t2.
    expect(json.mechanisms.central.solved).toBe(1);
    expect(json.mechanisms.oracle.solved).toBe(2);
  });
});
