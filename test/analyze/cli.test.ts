import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command-spec.js';
import { main } from '../../src/cli/main.js';
import { Store } from '../../src/runtime/store/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mb-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], isTty = false) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), isTty, env: {}, cwd: dir };
  const code = await main(['node', 'marketbench', 'analyze', ...args], io);
  return { code, out, err };
}

const pricing = 'model_ref,input_per_1k,output_per_1k,blended_price_per_token\r\nm:a,0.1,0.1,0.0001\r\nm:b,0.2,0.2,0.0002\r\n';
const header = 'task_id,model_ref,strategy,p_success,estimated_tokens_total,outcome,external_cost';
const good = [
  'o__r-1,m:a,direct,1,1000,1,0.05',
  'o__q-2,m:a,direct,0.5,1000,0,0.1',
  'o__r-1,m:b,direct,0.8,500,1,1',
  'o__q-2,m:b,direct,0.8,500,1,0.2',
];
writeFileSync(path.join(dir, 'pricing.csv'), pricing);
writeFileSync(path.join(dir, 'rows.csv'), [header, ...good].join('\r\n'));
writeFileSync(path.join(dir, 'bad.csv'), [header, ...good, 'o__r-3,m:c,direct,0.5,10,1,0.1', 'o__r-4,m:a,direct,x,10,1,0.1'].join('\n'));

describe('marketbench analyze', () => {
  it('prints exactly one JSON object with the documented keys', async () => {
    const { code, out } = await run(['--forecasts', 'rows.csv', '--pricing', 'pricing.csv', '--format', 'json', '--exact', '--resamples', '100']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json).sort()).toEqual(['byWorker', 'overall', 'parameters', 'skipped']);
    const o = json.overall;
    for (const key of ['n', 'passRate', 'meanP', 'brier', 'brierSkill', 'ece', 'logLoss', 'auroc', 'distinctP', 'medianTokenRatio']) {
      expect(typeof o[key], key).toBe('number');
    }
    expect(o.brier).toBeCloseTo(0.0825, 12); // worked out in analyze-rows.test.ts
    expect(o.brierCi).toHaveLength(2);
    for (const key of ['winRate', 'expectedProfit', 'realizedProfit', 'realizedProfitFull', 'oracleProfit', 'oracleGap', 'winShare']) {
      expect(typeof o.auction[key], key).toBe('number');
    }
    expect(o.auction.realizedProfit).toBeCloseTo(0.13640625, 12);
    expect(Object.keys(json.byWorker)).toEqual(['m:a', 'm:b']);
    // B never fails: AUROC undefined is printed as null
    expect(json.byWorker['m:b'].auroc).toBeNull();
  });

  it('prints aligned tables without colour when not a terminal, and markdown', async () => {
    const table = await run(['--forecasts', 'rows.csv', '--pricing', 'pricing.csv', '--resamples', '50']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('Calibration and discrimination');
    expect(table.out).toMatch(/^overall\s+4\s+0\.750\s+0\.775\s+0\.0825 \[/m);
    expect(table.out).not.toContain('\u001b[');
    const md = await run(['--forecasts', 'rows.csv', '--pricing', 'pricing.csv', '--format', 'md', '--resamples', '0', '--group-by', 'repo']);
    expect(md.out).toContain('| worker | n | pass rate |');
    expect(md.out).toContain('### repo = o/q: calibration');
  });

  it('colours the table only on a terminal', async () => {
    const { out } = await run(['--forecasts', 'rows.csv', '--pricing', 'pricing.csv', '--resamples', '0'], true);
    expect(out).toContain('\u001b[1m');
  });

  it('rejects a --group-by field no row has, listing the known ones', async () => {
    const { code, err } = await run(['--forecasts', 'rows.csv', '--pricing', 'pricing.csv', '--group-by', 'rpo']);
    expect(code).toBe(1);
    expect(err).toContain("field 'rpo': no row has this field; known fields: repo, task, taskId, treatment, worker, workerId");
  });

  it('skips bad rows and counts them; --strict makes them fatal', async () => {
    const lenient = await run(['--forecasts', 'bad.csv', '--pricing', 'pricing.csv', '--format', 'json', '--resamples', '0']);
    expect(lenient.code).toBe(0);
    const json = JSON.parse(lenient.out);
    expect(json.overall.n).toBe(4);
    expect(json.skipped).toEqual([
      { file: 'bad.csv', line: 6, field: 'model_ref', reason: "model 'm:c' is not in the pricing file" },
      { file: 'bad.csv', line: 7, field: 'p_success', reason: "is 'x'; expected a number in [0, 1]" },
    ]);
    const strict = await run(['--forecasts', 'bad.csv', '--pricing', 'pricing.csv', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.err).toBe("marketbench: bad.csv:6: field 'model_ref': model 'm:c' is not in the pricing file\n");
  });

  it('reports bad options and missing files in one line', async () => {
    expect((await run(['--forecasts', 'missing.csv'])).err).toBe('marketbench: missing.csv: forecasts file not found\n');
    expect((await run(['--forecasts', 'rows.csv', '--format', 'xml'])).err).toContain("--format is 'xml'");
    expect((await run(['--forecasts', 'rows.csv', '--draws', '0'])).code).toBe(1);
    expect((await run([])).err).toContain('give --forecasts FILE');
  });

  it('reads labeled forecasts from the store', async () => {
    const dbFile = path.join(dir, 'store.db');
    const store = Store.open(dbFile);
    try {
      const runRecord = store.createRun({ kind: 'elicit', id: 'r1', createdAt: '2026-01-01T00:00:00Z' });
      store.upsertTasks(
        ['o__r-1', 'o__q-2'].map((id) => ({ id, suite: 'custom', repo: id.startsWith('o__r') ? 'o/r' : 'o/q', statement: 's', tests: { failToPass: [], passToPass: [] }, features: {}, metadata: {} })),
      );
      store.upsertWorkers(
        ['a', 'b'].map((id) => ({
          id,
          model: id,
          provider: 'test',
          pricing: { inputPerToken: 1e-4, outputPerToken: 1e-4 },
          scaffold: { kind: 'none', options: {} },
          environment: { kind: 'none', options: {} },
        })),
      );
      const cells: [string, string, number, boolean][] = [
        ['o__r-1', 'a', 0.9, true],
        ['o__q-2', 'a', 0.6, false],
        ['o__r-1', 'b', 0.3, true],
        ['o__q-2', 'b', 0.7, true],
      ];
      for (const [taskId, workerId, p, resolved] of cells) {
        const jobKey = `${taskId}/${workerId}`;
        store.putForecast({
          runId: runRecord.id,
          jobKey,
          forecast: { taskId, workerId, treatment: 'direct', repeat: 0, pSuccess: p, expectedTokens: 1000, ask: null, valid: true, invalidReason: null, rawText: null, rationale: null },
        });
        store.putAttempt({
          runId: runRecord.id,
          jobKey: `attempt/${jobKey}`,
          attempt: {
            taskId,
            workerId,
            round: 1,
            outcome: { resolved, inputTokens: 1500, outputTokens: 500, cachedTokens: 0, costUsd: 0.2, wallTimeMs: 0, trajectoryRef: null, exitReason: null },
          },
        });
      }
    } finally {
      store.close();
    }
    const { code, out, err } = await run(['--db', 'store.db', '--run', 'r1', '--format', 'json', '--resamples', '0', '--exact']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.overall.n).toBe(4);
    // Brier = (0.01 + 0.36 + 0.49 + 0.09)/4 = 0.2375; ratio T̂/T = 1000/2000 = 0.5 everywhere
    expect(json.overall.brier).toBeCloseTo(0.2375, 12);
    expect(json.overall.medianTokenRatio).toBeCloseTo(0.5, 12);
    expect((await run(['--db', 'store.db', '--run', 'nope'])).err).toContain("no run 'nope'");
    expect(existsSync(path.join(dir, 'absent.db'))).toBe(false);
    expect((await run(['--db', 'absent.db'])).err).toContain('store file not found');
  });
});
