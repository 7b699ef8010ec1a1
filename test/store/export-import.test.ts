import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { exportTable, importFile, Store, TABLES } from '../../src/runtime/store/index.js';
import { sampleAttempt, sampleForecast, sampleTask, sampleWorker } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-export-');
let counter = 0;
const fresh = () => Store.open(join(dir, `s-${++counter}.db`), { now: () => '2026-11-27T00:00:00.000Z' });

/** A store with one row in every table, including awkward values. */
function populated(): Store {
  const store = fresh();
  store.upsertTasks([sampleTask('t1'), { ...sampleTask('t2'), title: '', repo: undefined }]);
  store.upsertWorkers([sampleWorker('openai:gpt-5.2'), sampleWorker('anthropic:claude')]);
  store.createRun({ kind: 'elicit', id: 'run,"1"', seed: 42, config: { note: 'a\nb' } });
  store.putForecast({ runId: 'run,"1"', jobKey: 'k1', forecast: sampleForecast('t1', 'openai:gpt-5.2'), costUsd: 0.1 });
  store.putForecast({
    runId: 'run,"1"',
    jobKey: 'k2',
    forecast: { ...sampleForecast('t2', 'anthropic:claude'), pSuccess: null, valid: false, invalidReason: 'no JSON', rawText: '' },
  });
  store.putAttempt({ runId: 'run,"1"', jobKey: 'k3', attempt: sampleAttempt('t1', 'openai:gpt-5.2', true), trajectory: { steps: ['ls'] } });
  store.startJob({ key: 'k1', runId: 'run,"1"', kind: 'forecast', payload: { task: 't1' } });
  store.finishJob({ key: 'k1', status: 'done', costUsd: 0.1 });
  store.putAllocation({
    runId: 'run,"1"',
    allocation: { taskId: 't1', mechanism: 'scoring', round: 1, workerIds: ['openai:gpt-5.2'], payments: [], detail: {} },
  });
  store.appendEvent({ runId: 'run,"1"', type: 'run-start', data: { x: 1.5e-7 } });
  return store;
}

describe('export and import', () => {
  for (const format of ['jsonl', 'csv'] as const) {
    it(`${format}: exporting, importing into an empty store and exporting again gives identical files`, () => {
      const source = populated();
      const target = fresh();
      for (const table of TABLES) {
        const text = exportTable(source, { table: table.name, format });
        const file = join(dir, `${counter}-${table.name}.${format}`);
        writeFileSync(file, text);
        importFile(target, { file, table: table.name, format });
        expect(exportTable(target, { table: table.name, format }), table.name).toBe(text);
      }
      expect(target.getTasks()).toEqual(source.getTasks());
      expect(target.getForecasts()).toEqual(source.getForecasts());
      source.close();
      target.close();
    });
  }

  it('distinguishes null from the empty string in CSV', () => {
    const store = populated();
    const csv = exportTable(store, { table: 'forecasts', format: 'csv' });
    const line = csv.split('\n').find((l) => l.includes('no JSON')) as string;
    // p_success is null (an empty unquoted field); raw_text is the empty string ("").
    expect(line).toContain(',"direct",0,,');
    expect(line).toContain(',"no JSON","",');
    store.close();
  });

  it('importing the same file twice leaves one copy of each row', () => {
    const store = populated();
    const file = join(dir, 'forecasts.jsonl');
    writeFileSync(file, exportTable(store, { table: 'forecasts', format: 'jsonl' }));
    const target = fresh();
    importFile(target, { file });
    importFile(target, { file });
    expect(target.getForecasts()).toHaveLength(2);
    store.close();
    target.close();
  });

  it('exports the task × worker matrix of a run', () => {
    const store = populated();
    const rows = exportTable(store, { table: 'matrix', format: 'jsonl' }).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toEqual([
      { task_id: 't1', worker: 'openai:gpt-5.2', p: 0.62, expected_tokens: 3200, ask: null, resolved: true, cost_usd: 0.3, tokens: 128000 },
    ]);
    store.close();
  });

  describe('bad input names the file, line and field', () => {
    const target = fresh();
    const write = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const failure = (run: () => unknown): InvalidInputError => {
      try {
        run();
      } catch (error) {
        if (InvalidInputError.isInstance(error)) return error;
        throw error;
      }
      throw new Error('expected an InvalidInputError');
    };

    it('unknown table', () => {
      const error = failure(() => importFile(target, { file: write('customers.jsonl', '{}\n') }));
      expect(error.message).toMatch(/unknown table 'customers'; expected one of: runs, tasks/);
    });

    it('malformed JSONL on line 3', () => {
      const good = '{"id":"r","kind":"elicit","created_at":"x","status":"done","seed":null,"config":{},"note":null}';
      const file = write('runs.jsonl', `${good}\n\n{"id": "r2", oops}\n`);
      const error = failure(() => importFile(target, { file }));
      expect(error.file).toBe(file);
      expect(error.line).toBe(3);
      expect(error.message).toContain(`${file}:3: malformed JSON`);
      expect(target.listRuns()).toEqual([]);
    });

    it('wrong column in CSV header', () => {
      const file = write('tasks.csv', 'id,suite,colour\n"a","b","red"\n');
      const error = failure(() => importFile(target, { file }));
      expect(error.field).toBe('colour');
      expect(error.line).toBe(1);
      expect(error.message).toMatch(/unknown column for table 'tasks'/);
    });

    it('wrong type names the field and what was expected', () => {
      const row = {
        job_key: 'k', run_id: 'r', task_id: 't', worker_id: 'w', treatment: 'direct', repeat: 0, p_success: 'high',
        expected_tokens: null, ask: null, valid: true, invalid_reason: null, raw_text: null, rationale: null,
        input_tokens: null, output_tokens: null, cached_tokens: null, cost_usd: null, request: null, response: null,
        created_at: 'x',
      };
      const file = write('forecasts.jsonl', `${JSON.stringify(row)}\n`);
      const error = failure(() => importFile(target, { file }));
      expect(error.message).toBe(`${file}:1: field 'p_success': expected a finite number, got "high"`);
    });

    it('missing required field', () => {
      const file = write('workers.jsonl', '{"id":"w"}\n');
      const error = failure(() => importFile(target, { file }));
      expect(error.field).toBe('model');
      expect(error.message).toContain('is required');
    });

    it('CSV row with the wrong number of fields', () => {
      const file = write('events.csv', 'id,run_id,type,data,created_at\n1,,"x",,"t"\n2,"r"\n');
      const error = failure(() => importFile(target, { file }));
      expect(error.line).toBe(3);
      expect(error.message).toMatch(/expected 5 fields, found 2/);
    });
  });
});
