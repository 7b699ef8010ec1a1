import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

const header = 'task_id,model_ref,strategy,p_success,estimated_tokens_total,outcome,external_cost';
const pricing = 'model_ref,input_per_1k,output_per_1k,blended_price_per_token\nm:a,0.1,0.1,0.0001\n';

/** Runs the CLI in a fresh folder and returns the result and the folder's files afterwards. */
async function inFreshDir(args: string[], setup: (dir: string) => void = () => {}) {
  const dir = tempDir('mb-bad-');
  setup(dir);
  const before = readdirSync(dir).sort();
  const result = await runCli(args, { cwd: dir });
  return { ...result, dir, created: readdirSync(dir).filter((name) => !before.includes(name)) };
}

/** One line on stderr, exit 1, no new file. */
function expectOneLineRefusal(result: { code: number; stderr: string; created: string[] }, message: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.created).toEqual([]);
}

describe('bad input gets one line, exit 1, and nothing written', () => {
  it('non-UTF-8 bytes in a task id: the file and line are named (no silent extra task)', async () => {
    const result = await inFreshDir(['analyze', '--forecasts', 'rows.csv', '--pricing', 'pricing.csv'], (dir) => {
      writeFileSync(join(dir, 'pricing.csv'), pricing);
      const rows = Buffer.concat([Buffer.from(`${header}\no__r-1,m:a,direct,0.5,100,1,0.1\no__r-`), Buffer.from([0xff, 0xfe]), Buffer.from('2,m:a,direct,0.5,100,0,0.1\n')]);
      writeFileSync(join(dir, 'rows.csv'), rows);
    });
    expectOneLineRefusal(result, /rows\.csv:3: .*not UTF-8/);
  });

  it('--value 1e308 is refused instead of printing Infinity', async () => {
    expectOneLineRefusal(await inFreshDir(['demo', '--out', 'demo', '--value', '1e308']), /--value is '1e308'; expected a number in \[0, 1000000000\]/);
  });

  it('simulate --tasks 1e12 and sweep --steps 1e9 are refused before any allocation', async () => {
    expectOneLineRefusal(await inFreshDir(['simulate', '--tasks', '1e12', '--db', 's.db']), /--tasks is '1e12'; expected a whole number from 1 to 100,000/);
    expectOneLineRefusal(await inFreshDir(['sweep', '--steps', '1e9']), /--steps is '1e9'; expected a whole number from 1 to 1,000/);
  });

  it('--out under /proc is refused at once', async () => {
    expectOneLineRefusal(await inFreshDir(['demo', '--out', '/proc/x']), /--out \/proc\/x: \/proc is a system folder/);
  });

  it('--out whose folder is a file, or not writable, says so (not ENOENT)', async () => {
    const result = await inFreshDir(['demo', '--out', 'plain-file/demo'], (dir) => writeFileSync(join(dir, 'plain-file'), 'x'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/plain-file is a file, not a folder/);
    expect(result.created).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('--out in a read-only folder names the folder (root ignores permissions, so skipped as root)', async () => {
    const { chmodSync } = await import('node:fs');
    const result = await inFreshDir(['demo', '--out', 'ro/demo'], (dir) => {
      mkdirSync(join(dir, 'ro'));
      chmodSync(join(dir, 'ro'), 0o555);
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the folder .*ro is not writable/);
  });

  it('db info and db export of a missing store create nothing', async () => {
    expectOneLineRefusal(await inFreshDir(['db', 'info', '--db', 'typo.db']), /--db typo\.db: no such store \(nothing was created\)/);
    expectOneLineRefusal(await inFreshDir(['db', 'export', '--db', 'typo.db']), /no such store/);
  });

  it('a JSON array where CSV is expected is named as such', async () => {
    const result = await inFreshDir(['analyze', '--forecasts', 'rows.json', '--pricing', 'pricing.csv'], (dir) => {
      writeFileSync(join(dir, 'pricing.csv'), pricing);
      writeFileSync(join(dir, 'rows.json'), JSON.stringify([{ task_id: 'a' }, { task_id: 'b' }], null, 2));
    });
    expectOneLineRefusal(result, /rows\.json: this file is a JSON array of 2 items; expected CSV with a header row, or JSONL/);
  });

  it('outcomes import of a missing file: one line, no store created', async () => {
    expectOneLineRefusal(await inFreshDir(['outcomes', 'import', 'nofile.json', '--db', 'x.db']), /outcomes file nofile\.json: no such file/);
  });

  it('outcomes import of a file that does not parse (non-UTF-8 bytes, or a report without --worker) creates no store', async () => {
    const bytes = await inFreshDir(['outcomes', 'import', 'rows.jsonl', '--db', 'x.db'], (dir) => {
      writeFileSync(join(dir, 'rows.jsonl'), Buffer.concat([Buffer.from('{"task_id":"t'), Buffer.from([0xff]), Buffer.from('1","worker":"w","resolved":true}\n')]));
    });
    expectOneLineRefusal(bytes, /rows\.jsonl:1: bytes that are not UTF-8/);
    const report = await inFreshDir(['outcomes', 'import', 'report.json', '--db', 'x.db'], (dir) => {
      writeFileSync(join(dir, 'report.json'), JSON.stringify({ resolved_ids: ['t1'], unresolved_ids: ['t2'] }));
    });
    expectOneLineRefusal(report, /a SWE-bench report has no worker names: pass --worker ID/);
  });

  it('a JSON Lines outcomes file of one row is read as JSON Lines, not as a SWE-bench report', async () => {
    const result = await inFreshDir(['outcomes', 'import', 'one.jsonl', '--db', 'x.db', '--format', 'json'], (dir) => {
      writeFileSync(join(dir, 'one.jsonl'), '{"task_id":"t1","worker":"w1","resolved":true}\n');
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'jsonl', attempts: 1, perWorker: { w1: { attempts: 1, resolved: 1 } } });
  });

  it('elicit of a missing tasks file: "no such file", not a raw ENOENT, and no store', async () => {
    expectOneLineRefusal(await inFreshDir(['elicit', '--tasks', 'nope.jsonl', '--models', 'mock:calibrated', '--db', 'e.db']), /nope\.jsonl: cannot read task file: no such file$/m);
  });

  it('analyze --db on a store with outcomes but no forecasts says why', async () => {
    const result = await inFreshDir(['analyze', '--db', 'o.db'], (dir) => {
      const store = Store.open(join(dir, 'o.db'));
      store.upsertTasks([{ id: 't1', suite: 's', statement: 'x', tests: { failToPass: [], passToPass: [] }, features: {}, metadata: {} }]);
      store.upsertWorkers([{ id: 'w', model: 'm:a', provider: 'm', pricing: { inputPerToken: 0, outputPerToken: 0 }, scaffold: { kind: 'none', options: {} }, environment: { kind: 'none', options: {} } }]);
      store.createRun({ kind: 'import', id: 'imp', config: {} });
      store.putAttempt({
        runId: 'imp',
        jobKey: 'k1',
        attempt: { taskId: 't1', workerId: 'w', round: 1, outcome: { resolved: true, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0, wallTimeMs: 0, trajectoryRef: null, exitReason: null } },
      });
      store.close();
    });
    expectOneLineRefusal(result, /no forecasts in the store \(the store has 1 outcomes\); analyze joins forecasts with outcomes: run marketbench elicit/);
    expect(existsSync(join(result.dir, 'o.db'))).toBe(true);
  });
});
