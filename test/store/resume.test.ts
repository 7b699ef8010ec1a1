import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportTable, Store } from '../../src/runtime/store/index.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-resume-');
const child = resolve(import.meta.dirname, '../support/ledger-child.ts');

function runChild(file: string, log: string, crashAt: number) {
  return spawnSync(process.execPath, ['--import', 'tsx', child, file, log, '6', String(crashAt)], { encoding: 'utf8' });
}

/** Forecast rows without their timestamps. */
function forecastsWithoutTime(file: string): unknown[] {
  const store = Store.open(file);
  const rows = exportTable(store, { table: 'forecasts', format: 'jsonl' })
    .trim()
    .split('\n')
    .map((line) => {
      const { created_at: _, ...rest } = JSON.parse(line);
      return rest;
    });
  store.close();
  return rows;
}

describe('crash and resume on job keys', () => {
  it('a killed run resumes: done jobs are not repeated, the started one is retried, no duplicate rows', () => {
    const file = join(dir, 'crash.db');
    const log = join(dir, 'crash.log');
    const first = runChild(file, log, 3);
    expect(first.signal).toBe('SIGKILL');
    const afterCrash = Store.open(file);
    expect(afterCrash.getForecasts()).toHaveLength(3);
    const statuses = afterCrash.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY status').all();
    expect(statuses).toEqual([
      { status: 'done', n: 3 },
      { status: 'started', n: 1 },
    ]);
    afterCrash.close();

    const second = runChild(file, log, -1);
    expect(second.status, second.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    // 6 jobs: jobs 0-2 paid once, job 3 paid in the killed run and again on resume, jobs 4-5 once.
    expect(calls).toHaveLength(7);
    expect(new Set(calls).size).toBe(6);

    const cleanFile = join(dir, 'clean.db');
    const clean = runChild(cleanFile, join(dir, 'clean.log'), -1);
    expect(clean.status, clean.stderr).toBe(0);
    expect(forecastsWithoutTime(file)).toEqual(forecastsWithoutTime(cleanFile));
  });
});
