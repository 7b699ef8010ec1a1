import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { importOutcomes } from '../../src/runtime/data/outcomes-import.js';
import { loadTaskFile } from '../../src/runtime/data/tasks-swebench.js';
import { jobKey, Store } from '../../src/runtime/store/index.js';

const dataDir = resolve(import.meta.dirname, '../../../shared/data');
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`skipping shared-data tests: ${dataDir} not found`);

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mb-outcomes-'));
  store = Store.open(join(dir, 'mb.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

function forecast(taskId: string, workerId: string, p: number) {
  return { taskId, workerId, treatment: 'direct' as const, repeat: 0, pSuccess: p, expectedTokens: 1000, ask: null, valid: true, invalidReason: null, rawText: null, rationale: null };
}

describe('outcomes import', () => {
  it('a SWE-bench harness report becomes round-1 attempts that labeledForecasts joins', () => {
    store.upsertWorkers([{ id: 'openai:gpt-5.2', model: 'openai:gpt-5.2', provider: 'openai', pricing: { inputPerToken: 1e-6, outputPerToken: 1e-5 }, scaffold: { kind: 'none', options: {} }, environment: { kind: 'none', options: {} } }]);
    store.createRun({ kind: 'elicit', id: 'e' });
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) store.putForecast({ runId: 'e', jobKey: jobKey({ i }), forecast: forecast(id, 'openai:gpt-5.2', 0.5) });
    const file = writeJson('report.json', {
      total_instances: 5,
      resolved_ids: ['a', 'c'],
      unresolved_ids: ['b'],
      empty_patch_ids: ['d'],
      error_ids: [],
      incomplete_ids: ['e'],
    });
    const result = importOutcomes({ store, file, worker: 'openai:gpt-5.2' });
    expect(result.format).toBe('swebench-report');
    expect(result.attempts).toBe(4);
    const labeled = store.labeledForecasts({ runId: 'e' });
    expect(labeled.map((row) => [row.taskId, row.y]).sort()).toEqual([
      ['a', 1],
      ['b', 0],
      ['c', 1],
      ['d', 0],
    ]);
    expect(store.getRun(result.runId)?.kind).toBe('import');
    // Importing the same file again replaces, never duplicates.
    importOutcomes({ store, file, worker: 'openai:gpt-5.2' });
    expect(store.getAttempts()).toHaveLength(4);
  });

  it('a resolved-only report needs the attempted tasks', () => {
    const file = writeJson('results.json', { resolved: ['x'] });
    expect(() => importOutcomes({ store, file, worker: 'w' })).toThrow(/--tasks/);
    const tasks = ['x', 'y', 'z'].map((id) => ({ id, suite: 's', statement: id, tests: { failToPass: [], passToPass: [] }, features: {}, metadata: {} }));
    const result = importOutcomes({ store, file, worker: 'w', tasks });
    expect(result.perWorker.w).toEqual({ attempts: 3, resolved: 1 });
  });

  it('generic JSONL with costs and tokens; bad lines name line and field', () => {
    const file = writeJson('o.jsonl', '{"task_id": "t1", "worker": "w1", "resolved": 1, "cost_usd": 0.5, "tokens": 1200}\n{"task_id": "t2", "worker": "w1", "resolved": "fail"}\n');
    importOutcomes({ store, file });
    const attempts = store.getAttempts();
    expect(attempts.map((a) => [a.taskId, a.outcome.resolved, a.outcome.costUsd, a.outcome.outputTokens])).toEqual([
      ['t1', true, 0.5, 1200],
      ['t2', false, 0, 0],
    ]);
    const bad = writeJson('bad.jsonl', '{"task_id": "t1", "worker": "w1", "resolved": 1}\n{"task_id": "t2", "resolved": true}\n');
    expect(() => importOutcomes({ store, file: bad })).toThrow(/bad\.jsonl:2: field 'worker'/);
  });

  it.skipIf(!haveData)('the bash-only leaderboard: one submission matched to the elicited worker, costs kept', () => {
    store.upsertWorkers([{ id: 'anthropic:claude-opus-4-5', model: 'anthropic:claude-opus-4-5', provider: 'anthropic', pricing: { inputPerToken: 5e-6, outputPerToken: 2.5e-5 }, scaffold: { kind: 'none', options: {} }, environment: { kind: 'none', options: {} } }]);
    const result = importOutcomes({ store, file: join(dataDir, 'swebench-verified-bash-only/outcomes.json'), worker: 'claude-opus-4-5-20251101' });
    expect(result.format).toBe('bash-only');
    expect(result.mapped).toEqual({ 'claude-opus-4-5-20251101': 'anthropic:claude-opus-4-5' });
    // SOURCES.md: Claude 4.5 Opus resolved 372 of 500 (74.4%), total cost $360.62.
    expect(result.perWorker['anthropic:claude-opus-4-5']).toEqual({ attempts: 500, resolved: 372 });
    const total = store.getAttempts().reduce((sum, a) => sum + a.outcome.costUsd, 0);
    expect(total).toBeCloseTo(360.6225, 3);
  });

  it.skipIf(!haveData)('CLI: elicit-free Phase I path — outcomes import then the join is ready for analyze', async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t), isTty: false, env: {}, cwd: dir };
    const code = await main(['node', 'marketbench', 'outcomes', 'import', join(dataDir, 'swebench-verified-bash-only/outcomes.json'), '--worker', 'all', '--db', 'mb.db'], io);
    expect(code).toBe(0);
    expect(lines.join('')).toMatch(/imported \d+ outcomes \(bash-only\)/);
    expect(lines.join('')).toContain('skipped');
  });
});

describe('task files', () => {
  it('SWE-bench JSONL with test lists as JSON strings or arrays; generic JSONL; JSON arrays', () => {
    const a = writeJson('a.jsonl', `${JSON.stringify({ instance_id: 'o__r-1', repo: 'o/r', base_commit: 'c1', problem_statement: 'Title line\nbody {{ x }}', FAIL_TO_PASS: '["t1", "t2"]', PASS_TO_PASS: ['t3'], patch: 'GOLD' })}\n`);
    const [task] = loadTaskFile(a);
    expect(task).toMatchObject({ id: 'o__r-1', suite: 'swebench', title: 'Title line', repo: 'o/r', baseCommit: 'c1', statement: 'Title line\nbody {{ x }}', tests: { failToPass: ['t1', 't2'], passToPass: ['t3'] } });
    expect(JSON.stringify(task)).not.toContain('GOLD');
    const b = writeJson('b.json', [{ id: 7, statement: 'do it', repo: 'x/y' }]);
    expect(loadTaskFile(b)[0]).toMatchObject({ id: '7', suite: 'custom', statement: 'do it', repo: 'x/y' });
    const bad = writeJson('bad.jsonl', `${JSON.stringify({ instance_id: 'x', repo: 'r', problem_statement: 's', FAIL_TO_PASS: 'not json' })}\n`);
    expect(() => loadTaskFile(bad)).toThrow(/bad\.jsonl:1: field 'FAIL_TO_PASS'/);
    const badName = writeJson('bad-name.jsonl', `${JSON.stringify({ instance_id: 'x', repo: 'r', problem_statement: 's', PASS_TO_PASS: ['t1', 3] })}\n`);
    expect(() => loadTaskFile(badName)).toThrow(/bad-name\.jsonl:1: field 'PASS_TO_PASS': .*expected a list of test names/);
  });

  it.skipIf(!haveData)('reads the shared SWE-bench Lite tasks', () => {
    const tasks = loadTaskFile(join(dataDir, 'swebench-lite/tasks.jsonl'));
    expect(tasks).toHaveLength(300);
    expect(tasks[0]?.tests.failToPass.length).toBeGreaterThan(0);
  });
});
