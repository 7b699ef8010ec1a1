import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';
import { queryStore } from '../support/query-store.js';
import { spawnCli } from '../support/spawn-cli.js';

const KEYS = { OPENAI_API_KEY: 'sk-kill-test-openai-1234', ANTHROPIC_API_KEY: 'sk-kill-test-ant-5678' };
const TASKS = 24;
const MODELS = ['openai:gpt-5.2', 'anthropic:claude-sonnet-4-5'];

function taskOf(request: FakeRequest): string {
  return /Task id: (\S+)/.exec(request.prompt)?.[1] ?? 'unknown';
}

/** Deterministic reply per (model, task), so two runs store the same forecasts. */
function reply(request: FakeRequest) {
  const i = Number(taskOf(request).split('-').pop());
  const p = ((i * 37 + request.model.length * 11) % 100) / 100;
  return { text: JSON.stringify({ p_success: p, expected_tokens: 1000 * (i + 1), rationale: `task ${i}` }), delayMs: 40 };
}

function spawnElicit(options: { cwd: string; db: string; baseUrl: string }) {
  const args = ['elicit', '--tasks', 'tasks.jsonl', '--models', MODELS.join(','), '--db', options.db, '--base-url', options.baseUrl, '--concurrency', '4'];
  return spawnCli({ args, cwd: options.cwd, env: KEYS });
}

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script: reply });
  dir = mkdtempSync(join(tmpdir(), 'mb-kill-'));
  const lines = Array.from({ length: TASKS }, (_, i) => JSON.stringify({ instance_id: `org__pkg-${i}`, repo: 'org/pkg', base_commit: 'abc', problem_statement: `Fix bug ${i} in {{ template }}`, FAIL_TO_PASS: '["test_a"]', PASS_TO_PASS: '[]' }));
  writeFileSync(join(dir, 'tasks.jsonl'), `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 mid-run and resume', () => {
  it('finishes with no repeated finished call and the same store as an uninterrupted run', async () => {
    const total = TASKS * MODELS.length;
    // Session 1: killed with SIGKILL when the server has received 20 requests.
    const first = spawnElicit({ cwd: dir, db: 'killed.db', baseUrl: server.baseUrl('openai-chat') });
    server.onRequest = () => {
      if (server.requests.length + 1 >= 20) first.process.kill('SIGKILL');
    };
    const killed = await first.done;
    server.onRequest = undefined;
    expect(killed.signal, killed.output).toBe('SIGKILL');
    const ledger = queryStore(join(dir, 'killed.db'), 'SELECT key, status, payload FROM jobs') as { key: string; status: string; payload: string }[];
    const doneBeforeKill = new Set(
      ledger.filter((job) => job.status === 'done').map((job) => {
        const payload = JSON.parse(job.payload) as { job: { workerId: string; taskId: string } };
        return `${payload.job.workerId.split(':')[1]}|${payload.job.taskId}`;
      }),
    );
    const inFlight = ledger.filter((job) => job.status === 'started').length;
    expect(doneBeforeKill.size).toBeGreaterThan(0);
    expect(doneBeforeKill.size).toBeLessThan(total);
    expect(inFlight).toBeLessThanOrEqual(4);

    // Session 2: the same command finishes the run.
    const second = await spawnElicit({ cwd: dir, db: 'killed.db', baseUrl: server.baseUrl('openai-chat') }).done;
    expect(second.code, second.output).toBe(0);
    const perJob = new Map<string, number>();
    for (const request of server.requests) {
      const key = `${request.model}|${taskOf(request)}`;
      perJob.set(key, (perJob.get(key) ?? 0) + 1);
    }
    expect(perJob.size).toBe(total);
    for (const [job, count] of perJob) {
      // A call finished before the kill is never made again; one in flight at the kill at most twice.
      if (doneBeforeKill.has(job)) expect(count, job).toBe(1);
      else expect(count, job).toBeLessThanOrEqual(2);
    }
    expect(server.requests.length).toBeLessThanOrEqual(total + inFlight);

    // An uninterrupted run of the same command in another store.
    server.clear();
    const clean = await spawnElicit({ cwd: dir, db: 'clean.db', baseUrl: server.baseUrl('openai-chat') }).done;
    expect(clean.code, clean.output).toBe(0);
    expect(server.requests).toHaveLength(total);
    const forecastColumns = `job_key, run_id, task_id, worker_id, treatment, repeat, p_success, expected_tokens, ask, valid,
      invalid_reason, raw_text, rationale, input_tokens, output_tokens, cached_tokens, cost_usd, request, response`;
    const sql = `SELECT ${forecastColumns} FROM forecasts ORDER BY job_key`;
    const resumedRows = queryStore(join(dir, 'killed.db'), sql);
    expect(resumedRows).toHaveLength(total);
    expect(resumedRows).toEqual(queryStore(join(dir, 'clean.db'), sql));
    for (const table of ['SELECT * FROM tasks ORDER BY id', 'SELECT * FROM workers ORDER BY id', 'SELECT id, kind, status, config FROM runs']) {
      expect(queryStore(join(dir, 'killed.db'), table)).toEqual(queryStore(join(dir, 'clean.db'), table));
    }
    expect(queryStore(join(dir, 'killed.db'), "SELECT count(*) AS n FROM jobs WHERE status = 'done'")).toEqual([{ n: total }]);
  });
});
