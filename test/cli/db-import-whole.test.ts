import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/runtime/store/index.js';
import { sampleTask, sampleWorker } from '../support/fixtures.js';
import { spawnCli } from '../support/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-db-import-');

/** Row counts of a store, read back through SQL. */
function counts(file: string): { tasks: number; workers: number } {
  const store = Store.open(file);
  try {
    const count = (table: string) => (store.db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
    return { tasks: count('tasks'), workers: count('workers') };
  } finally {
    store.close();
  }
}

describe('marketbench db import: validated whole before anything is written', () => {
  it('a bad file among several writes none of them, and a missing file is one line that creates no store', async () => {
    const source = join(dir, 'source.db');
    const store = Store.open(source);
    store.upsertTasks([sampleTask('t1'), sampleTask('t2')]);
    store.upsertWorkers([sampleWorker('w')]);
    store.close();
    const exported = await spawnCli({ args: ['db', 'export', '--db', 'source.db', '--out', 'export'], cwd: dir }).done;
    expect(exported.code, exported.output).toBe(0);

    // tasks.jsonl is good and sorts before workers.jsonl, whose only line is cut short.
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'tasks.jsonl'), readExport('tasks.jsonl'));
    writeFileSync(join(dir, 'bad', 'workers.jsonl'), '{"id": "w", "mod\n');
    const bad = await spawnCli({ args: ['db', 'import', '--db', 'copy.db', 'bad/tasks.jsonl', 'bad/workers.jsonl'], cwd: dir }).done;
    expect(bad.code).toBe(1);
    expect(bad.output.trim().split('\n')).toHaveLength(1);
    expect(bad.output).toMatch(/bad\/workers\.jsonl:1: /);
    expect(existsSync(join(dir, 'copy.db')), 'the store is not created for an import that fails').toBe(false);

    // Into an existing store: the good file's two tasks are not written either.
    Store.open(join(dir, 'existing.db')).close();
    const intoExisting = await spawnCli({ args: ['db', 'import', '--db', 'existing.db', 'bad/tasks.jsonl', 'bad/workers.jsonl'], cwd: dir }).done;
    expect(intoExisting.code).toBe(1);
    expect(counts(join(dir, 'existing.db'))).toEqual({ tasks: 0, workers: 0 });

    const missing = await spawnCli({ args: ['db', 'import', '--db', 'new.db', 'export/tasks.jsonl', 'forecasts.csv'], cwd: dir }).done;
    expect(missing.code).toBe(1);
    expect(missing.output.trim()).toBe(`marketbench: ${join(dir, 'forecasts.csv')}: cannot read import file: no such file`);
    expect(existsSync(join(dir, 'new.db'))).toBe(false);

    const good = await spawnCli({ args: ['db', 'import', '--db', 'copy.db', 'export/tasks.jsonl', 'export/workers.jsonl'], cwd: dir }).done;
    expect(good.code, good.output).toBe(0);
    expect(counts(join(dir, 'copy.db'))).toEqual({ tasks: 2, workers: 1 });
  });
});

function readExport(name: string): string {
  return readFileSync(join(dir, 'export', name), 'utf8');
}
