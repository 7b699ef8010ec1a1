import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/index.js';
import { parsePhase1Rows, parsePricingCsv, repoFromTaskId } from '../../src/runtime/data/phase1.js';

const pricingCsv =
  'model_ref,input_per_1k,output_per_1k,blended_price_per_token,source\r\n' +
  'm:a,0.001,0.003,0.000002,x\r\n' +
  'm:b,0.002,0.010,,y\r\n';

const header = 'task_id,model_ref,strategy,p_success,estimated_tokens_total,outcome,external_cost,input_tokens,benchmark';

describe('phase-1 import', () => {
  it('derives the repo from a SWE-bench id', () => {
    expect(repoFromTaskId('astropy__astropy-14182')).toBe('astropy/astropy');
    expect(repoFromTaskId('scikit-learn__scikit-learn-25747')).toBe('scikit-learn/scikit-learn');
    expect(repoFromTaskId('HumanEval/3')).toBeUndefined();
  });

  it('reads the pricing CSV, computing the blended price when its column is empty', () => {
    expect(() => parsePricingCsv({ text: pricingCsv, file: 'p.csv' })).toThrow(/p\.csv:3: field 'blended_price_per_token'/);
    const prices = parsePricingCsv({ text: 'model_ref,input_per_1k,output_per_1k\nm:b,0.002,0.010\n', file: 'p.csv' });
    // (0.002 + 0.010)/2/1000 = 6e-6
    expect(prices.get('m:b')).toBeCloseTo(6e-6, 15);
  });

  it('converts rows, keeps other columns as groups, and skips bad rows with file, line and field', () => {
    const text = [
      header,
      'astropy__astropy-1,m:a,direct,0.62,3200,1,0.2,823,swebench',
      'astropy__astropy-2,m:a,card,1.5,3200,0,0.1,800,swebench',
      'astropy__astropy-3,m:a,direct,abc,3200,0,0.1,800,swebench',
      'astropy__astropy-4,m:zzz,direct,0.5,3200,0,0.1,800,swebench',
      'astropy__astropy-5,m:a,direct,0.5,,maybe,0.1,800,swebench',
      'astropy__astropy-6,m:a,direct,0.5,100,0',
    ].join('\n');
    const pricing = new Map([['m:a', 2e-6]]);
    const { rows, skipped } = parsePhase1Rows({ text, file: 'f.csv', pricing });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      taskId: 'astropy__astropy-1',
      workerId: 'm:a',
      treatment: 'direct',
      p: 0.62,
      expectedTokens: 3200,
      y: 1,
      tokens: null,
      costUsd: 0.2,
      blendedPrice: 2e-6,
      // input_tokens is the forecast call's usage: only a group field, never actual tokens
      groups: { repo: 'astropy/astropy', input_tokens: '823', benchmark: 'swebench' },
    });
    expect(skipped.map((s) => [s.file, s.line, s.field])).toEqual([
      ['f.csv', 3, 'p_success'],
      ['f.csv', 4, 'p_success'],
      ['f.csv', 5, 'model_ref'],
      ['f.csv', 6, 'outcome'],
      ['f.csv', 7, '(row)'],
    ]);
    expect(skipped[2]?.reason).toContain("model 'm:zzz' is not in the pricing file");
  });

  it('makes the first bad row fatal with strict', () => {
    const text = `${header}\nastropy__astropy-2,m:a,card,1.5,3200,0,0.1,800,swebench\n`;
    let error: unknown;
    try {
      parsePhase1Rows({ text, file: 'f.csv', strict: true });
    } catch (caught) {
      error = caught;
    }
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: 'f.csv', line: 2, field: 'p_success' });
  });

  it('fails on a CSV without a required column', () => {
    expect(() => parsePhase1Rows({ text: 'task_id,model_ref,outcome\nt,m,1\n', file: 'f.csv' })).toThrow(/f\.csv:1: field 'p_success': missing column/);
  });

  it('reads JSONL and reports lines that are not JSON objects', () => {
    const text = [
      '{"task_id":"django__django-1","model_ref":"m:a","p_success":0.9,"estimated_tokens_total":100,"outcome":0,"external_cost":0.5}',
      '',
      'not json',
      '{"task_id":"django__django-2","model_ref":"m:a","p_success":"0.4","outcome":true,"actual_tokens":5000}',
    ].join('\n');
    const { rows, skipped } = parsePhase1Rows({ text, file: 'f.jsonl' });
    expect(rows.map((r) => [r.taskId, r.p, r.y, r.tokens, r.groups.repo])).toEqual([
      ['django__django-1', 0.9, 0, null, 'django/django'],
      ['django__django-2', 0.4, 1, 5000, 'django/django'],
    ]);
    expect(skipped).toEqual([expect.objectContaining({ file: 'f.jsonl', line: 3, field: '(line)' })]);
  });
});
