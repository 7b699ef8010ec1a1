import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellKey, InvalidInputError } from '../../src/core/index.js';
import { loadGenericMatrix } from '../../src/runtime/data/matrix-generic.js';
import { loadMatrix } from '../../src/runtime/data/matrix-load.js';
import { loadSwebenchBashOnlyMatrix } from '../../src/runtime/data/matrix-swebench-bash-only.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-matrix-');

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('generic matrix files', () => {
  it('reads CSV with features and derives the price from cost / tokens', () => {
    const file = write(
      'm.csv',
      [
        'task_id,worker,p,expected_tokens,ask,resolved,cost_usd,tokens,repo,feature_tests',
        't1,a,0.7,1000,,true,0.02,2000,r/x,3',
        't1,b,,,,false,0.5,1000,r/x,3',
        't2,a,0.4,1000,0.01,0,0.04,4000,r/y,1',
        't2,b,0.9,,,1,0.25,500,r/y,1',
      ].join('\n'),
    );
    const { matrix, warnings } = loadGenericMatrix({ file });
    expect(matrix.taskIds).toEqual(['t1', 't2']);
    expect(matrix.workerIds).toEqual(['a', 'b']);
    expect(matrix.cells.get(cellKey('t1', 'b'))!.p).toBeNull();
    expect(matrix.cells.get(cellKey('t2', 'a'))!).toMatchObject({ ask: 0.01, resolved: false, costUsd: 0.04 });
    // a: (0.02 + 0.04)/(2000 + 4000) = 1e-5; b: (0.5 + 0.25)/(1000 + 500) = 5e-4.
    expect(matrix.blendedPrice.a).toBeCloseTo(1e-5, 15);
    expect(matrix.blendedPrice.b).toBeCloseTo(5e-4, 15);
    expect(matrix.taskFeatures.t1).toEqual({ repo: 'r/x', tests: 3 });
    expect(warnings).toEqual([]);
  });

  it('reads JSONL and names a duplicate (task, worker) pair with both lines', () => {
    const row = (worker: string) => JSON.stringify({ task_id: 't1', worker, p: 0.5, resolved: true, cost_usd: 1 });
    const file = write('dup.jsonl', [row('a'), row('b'), row('a')].join('\n'));
    const error = thrown(() => loadGenericMatrix({ file }));
    expect(error.message).toMatch(/dup\.jsonl:3: duplicate \(task, worker\) pair \(t1, a\); first on line 1/);
  });

  it('names a missing cell and a bad value with file, line and field', () => {
    const missing = write('missing.jsonl', [
      JSON.stringify({ task_id: 't1', worker: 'a', resolved: 1, cost_usd: 1 }),
      JSON.stringify({ task_id: 't2', worker: 'b', resolved: 1, cost_usd: 1 }),
    ].join('\n'));
    expect(thrown(() => loadGenericMatrix({ file: missing })).message).toMatch(/missing cell \(t1, b\)/);
    const bad = write('bad.csv', 'task_id,worker,resolved,cost_usd,p\nt1,a,maybe,1,0.5\n');
    expect(thrown(() => loadGenericMatrix({ file: bad })).message).toMatch(/bad\.csv:2: field 'resolved': is 'maybe'/);
    const p = write('p.csv', 'task_id,worker,resolved,cost_usd,p\nt1,a,1,1,1.5\n');
    expect(thrown(() => loadGenericMatrix({ file: p })).message).toMatch(/p\.csv:2: field 'p': is 1\.5/);
  });
});

describe('bash-only outcomes files', () => {
  it('keeps only submissions with a cost for every instance and reads features from tasks.jsonl', () => {
    const sub = (model: string, resolved: number[], cost: (number | null)[] | undefined) => ({
      name: model.toUpperCase(),
      model,
      has_per_instance: cost !== undefined,
      ...(cost ? { resolved, cost_usd: cost, api_calls: resolved.map(() => 3) } : {}),
    });
    const file = write(
      'outcomes.json',
      JSON.stringify({
        instances: ['o__r-1', 'o__r-2'],
        submissions: [sub('m1', [1, 0], [0.1, 0.2]), sub('m2', [0, 0], undefined), sub('m3', [1, 1], [0.3, null])],
      }),
    );
    write(
      'tasks.jsonl',
      [
        JSON.stringify({ instance_id: 'o__r-1', repo: 'o/r', problem_statement: 'short\n```x```', gold_patch_files: 9 }),
        JSON.stringify({ instance_id: 'o__r-2', repo: 'o/r', problem_statement: 'Traceback (most recent call last):', FAIL_TO_PASS: ['a', 'b'], PASS_TO_PASS: '["c"]' }),
      ].join('\n'),
    );
    const { matrix, warnings } = loadSwebenchBashOnlyMatrix({ file });
    expect(matrix.workerIds).toEqual(['m1']);
    expect(warnings.filter((w) => w.startsWith('skipped'))).toHaveLength(2);
    // 'short' (5) + newline (1) + '```x```' (7) = 13 characters on 2 lines, one fenced block.
    expect(matrix.taskFeatures['o__r-1']).toMatchObject({ repo: 'o/r', statementChars: 13, statementLines: 2, codeBlocks: 1, hasTraceback: 0 });
    // The statement itself travels along for text routers (13 characters, 2 lines).
    expect(String(matrix.taskFeatures['o__r-1']!.statement)).toHaveLength(13);
    expect(matrix.taskFeatures['o__r-2']).toMatchObject({ hasTraceback: 1, tests: 3 });
    expect(matrix.taskFeatures['o__r-1']).not.toHaveProperty('gold_patch_files');
  });

  it('rejects a worker listed twice', () => {
    const file = write(
      'twice.json',
      JSON.stringify({
        instances: ['t'],
        submissions: [
          { name: 'A', model: 'same', resolved: [1], cost_usd: [1] },
          { name: 'B', model: 'same', resolved: [0], cost_usd: [1] },
        ],
      }),
    );
    expect(thrown(() => loadSwebenchBashOnlyMatrix({ file })).message).toMatch(/worker 'same' appears twice/);
  });
});

describe('loadMatrix', () => {
  it('applies a JSON pricing file and guesses the format from the name', () => {
    const file = write('g.jsonl', JSON.stringify({ task_id: 't', worker: 'a', resolved: 1, cost_usd: 1 }));
    const pricing = write('prices.json', JSON.stringify({ a: { inputPerToken: 1e-6, outputPerToken: 3e-6 } }));
    const { matrix } = loadMatrix({ cwd: dir, matrixFile: 'g.jsonl', pricingFile: 'prices.json' });
    expect(matrix.blendedPrice.a).toBeCloseTo(2e-6, 18);
    expect(() => loadMatrix({ cwd: dir, matrixFile: 'nope.csv' })).toThrow(/nope\.csv: matrix file not found/);
    expect(file).toContain('g.jsonl');
    expect(pricing).toContain('prices.json');
  });
});
