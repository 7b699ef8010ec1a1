import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { type FakeLlmServer, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';
import { queryStore } from '../support/query-store.js';
import { spawnCli } from '../support/spawn-cli.js';
import { marketScript, PRICING_YAML, requestKind, requestTask, routerRound, TASK_IDS, WORKERS_YAML } from './market-fixtures.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the market kill-and-resume test: ${availability.reason}`);


function spawnMarket(options: { cwd: string; db: string; baseUrl: string }) {
  const args = ['market', '--suite', 'builtin', '--task-ids', TASK_IDS.join(','), '--workers', 'market.yaml', '--pricing', 'pricing.yaml', '--arms', 'scoring,router,solo:careful',
    '--db', options.db, '--base-url', options.baseUrl, '--concurrency', '2', '--run', 'm'];
  return spawnCli({ args, cwd: options.cwd, env: { OPENAI_API_KEY: 'test-key' } });
}

/** A request as the unit of paid work it belongs to (agent calls counted per worker and task). */
function callOf(request: FakeRequest): string {
  const kind = requestKind(request);
  if (kind === 'router') return `router|${requestTask(request)}|${routerRound(request)}`;
  return `${kind}|${request.model}|${requestTask(request)}`;
}

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  // Slow agent replies, so that the kill finds attempts in flight.
  server = await startFakeLlmServer({ script: marketScript({ agentDelayMs: 150 }) });
  dir = mkdtempSync(join(tmpdir(), 'mb-market-kill-'));
  writeFileSync(join(dir, 'market.yaml'), WORKERS_YAML);
  writeFileSync(join(dir, 'pricing.yaml'), PRICING_YAML);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!availability.ok)('market: kill -9 mid-run and resume', () => {
  it('no finished bid or router call is paid again, and the resumed store allocates exactly as an uninterrupted run', { timeout: 120_000 }, async () => {
    // An uninterrupted run first, to know every call a run makes.
    const clean = await spawnMarket({ cwd: dir, db: 'clean.db', baseUrl: server.baseUrl('openai-chat') }).done;
    expect(clean.code, clean.output).toBe(0);
    const cleanCalls = server.requests.map(callOf);
    // 4 bids, 4 router calls (two rounds on each task), 16 agent calls.
    expect(cleanCalls).toHaveLength(24);
    server.clear();

    // Session 1: killed with SIGKILL when the server has received 12 requests.
    const first = spawnMarket({ cwd: dir, db: 'killed.db', baseUrl: server.baseUrl('openai-chat') });
    server.onRequest = () => {
      if (server.requests.length + 1 >= 12) first.process.kill('SIGKILL');
    };
    const killed = await first.done;
    server.onRequest = undefined;
    expect(killed.signal, killed.output).toBe('SIGKILL');
    const killedCalls = server.requests.map(callOf);
    const ledger = queryStore(join(dir, 'killed.db'), "SELECT key, kind, status, payload FROM jobs WHERE kind IN ('bid', 'router')") as { kind: string; status: string; payload: string }[];
    const doneBeforeKill = ledger
      .filter((job) => job.status === 'done')
      .map((job) => {
        const payload = JSON.parse(job.payload) as { job: { workerId?: string; model: string; taskId: string; round?: number } };
        return job.kind === 'router' ? `router|${payload.job.taskId}|${payload.job.round}` : `bid|${payload.job.model.split(':')[1]}|${payload.job.taskId}`;
      });
    expect(doneBeforeKill.length).toBeGreaterThan(0);
    // Every paid step done before the kill (attempts included) is never started again: one try in the final ledger.
    const doneKeys = (queryStore(join(dir, 'killed.db'), "SELECT key FROM jobs WHERE status = 'done' AND kind != 'market-task'") as { key: string }[]).map((row) => row.key);
    expect(doneKeys.length).toBeGreaterThan(doneBeforeKill.length);
    server.clear();

    // Session 2: the same command finishes the run.
    const second = await spawnMarket({ cwd: dir, db: 'killed.db', baseUrl: server.baseUrl('openai-chat') }).done;
    expect(second.code, second.output).toBe(0);
    const resumedCalls = server.requests.map(callOf);
    for (const call of doneBeforeKill) expect(resumedCalls, call).not.toContain(call);
    // Every call of a clean run is made at least once over the two sessions, and only calls in flight at the
    // kill (at most the two units running then, each at most one call at a time) are made twice.
    const made = [...killedCalls, ...resumedCalls];
    for (const call of new Set(cleanCalls)) expect(made.filter((entry) => entry === call).length).toBeGreaterThanOrEqual(cleanCalls.filter((entry) => entry === call).length);
    expect(made.length).toBeGreaterThanOrEqual(cleanCalls.length);
    expect(made.length).toBeLessThanOrEqual(cleanCalls.length + 4);

    const sql = 'SELECT task_id, mechanism, round, worker_ids FROM allocations ORDER BY task_id, mechanism, round';
    expect(queryStore(join(dir, 'killed.db'), sql)).toEqual(queryStore(join(dir, 'clean.db'), sql));
    expect(queryStore(join(dir, 'killed.db'), sql)).toHaveLength(10);
    const attempts = 'SELECT task_id, worker_id, round, resolved FROM attempts ORDER BY task_id, worker_id, round, resolved';
    expect(queryStore(join(dir, 'killed.db'), attempts)).toEqual(queryStore(join(dir, 'clean.db'), attempts));
    const forecasts = "SELECT task_id, worker_id, p_success, ask, raw_text FROM forecasts WHERE treatment = 'bid' ORDER BY task_id, worker_id";
    expect(queryStore(join(dir, 'killed.db'), forecasts)).toEqual(queryStore(join(dir, 'clean.db'), forecasts));
    expect(queryStore(join(dir, 'killed.db'), "SELECT count(*) AS n FROM jobs WHERE status != 'done'")).toEqual([{ n: 0 }]);
    const tries = queryStore(join(dir, 'killed.db'), `SELECT key, tries FROM jobs WHERE key IN (${doneKeys.map((key) => `'${key}'`).join(',')})`) as { tries: number }[];
    expect(tries.map((row) => row.tries)).toEqual(doneKeys.map(() => 1));
  });
});
