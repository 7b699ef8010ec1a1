import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../src/cli/main.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { sampleAttempt, sampleForecast, sampleTask, sampleWorker } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-cli-');

describe('marketbench CLI', () => {
  it('--help lists the commands and --version prints the package version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/\bdb\b/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('db export → db import → db export is identical, and db info counts the rows', async () => {
    const source = join(dir, 'source.db');
    const store = Store.open(source);
    store.upsertTasks([sampleTask('t1')]);
    store.upsertWorkers([sampleWorker('w')]);
    store.createRun({ kind: 'elicit', id: 'r1' });
    store.putForecast({ runId: 'r1', jobKey: 'k', forecast: sampleForecast('t1', 'w') });
    store.putAttempt({ runId: 'r1', jobKey: 'a', attempt: sampleAttempt('t1', 'w', true) });
    store.close();

    expect((await runCli(['db', 'export', '--db', 'source.db', '--out', 'first'], { cwd: dir })).code).toBe(0);
    const files = ['runs', 'tasks', 'workers', 'jobs', 'forecasts', 'attempts', 'allocations', 'events'].map((t) =>
      join(dir, 'first', `${t}.jsonl`),
    );
    const imported = await runCli(['db', 'import', '--db', 'copy.db', ...files], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('1 rows into forecasts');
    expect((await runCli(['db', 'export', '--db', 'copy.db', '--out', 'second'], { cwd: dir })).code).toBe(0);
    for (const file of files) {
      expect(readFileSync(file.replace('first', 'second'), 'utf8'), file).toBe(readFileSync(file, 'utf8'));
    }
    const info = await runCli(['db', 'info', '--db', 'copy.db', '--json'], { cwd: dir });
    const parsed = JSON.parse(info.stdout);
    expect(parsed.rowCounts).toMatchObject({ runs: 1, tasks: 1, workers: 1, forecasts: 1, attempts: 1 });
    expect(parsed.runs[0]).toMatchObject({ id: 'r1', forecasts: 1, attempts: 1 });
  });

  it('a bad file prints one clear line and exits 1; --debug adds the stack', async () => {
    writeFileSync(join(dir, 'notes.db'), 'hello');
    const result = await runCli(['db', 'info', '--db', 'notes.db'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('notes.db: is not a SQLite database');
    const debug = await runCli(['--debug', 'db', 'info', '--db', 'notes.db'], { cwd: dir });
    expect(debug.stderr.split('\n').length).toBeGreaterThan(2);
  });

  it('an unknown table is reported with the valid names', async () => {
    const result = await runCli(['db', 'export', '--db', 'x.db', '--table', 'nope'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown table 'nope'; expected one of: runs, tasks, workers, jobs/);
  });
});
