import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { queryStore } from '../support/query-store.js';
import { heldJobs, lostStarts } from '../support/queue-worker-log.js';
import { redisAvailability, startRedisServer, type TestRedis } from '../support/redis-server.js';
import { type CliExit, spawnCli } from '../support/spawn-cli.js';

const redisCheck = redisAvailability();
const sandboxCheck = await localSandboxAvailability();
const skipReason = !redisCheck.ok ? redisCheck.reason : !sandboxCheck.ok ? sandboxCheck.reason : undefined;
if (skipReason) console.warn(`skipping attempt/market over the queue: ${skipReason}`);

const MARKET_YAML = `workers:
  - id: strong
    model: mock:calibrated?skill=0.8&price=3/15
    scaffold: { kind: bash-agent, options: { maxSteps: 20, maxCostUsd: 1 } }
  - id: bold
    model: mock:overconfident?skill=0.45&price=0.25/2
  - id: careful
    model: mock:underconfident?skill=0.6&price=1/5
router:
  model: mock:calibrated
arms: [scoring, scoring:plans, router, solo:strong]
`;
const ATTEMPT_WORKERS = 'mock:calibrated?skill=0.7,mock:overconfident?skill=0.5&price=1/5';
/** Jobs a worker runs at once per provider queue (`worker --concurrency`). */
const WORKER_CONCURRENCY = 2;
/** The queues a keyless worker serves: the offline mock provider's and the local one (no model). */
const SERVED_QUEUES = ['mock', 'local'];
/**
 * The most jobs one worker can hold, so the most starts one kill can lose: a worker runs a BullMQ
 * worker per queue it serves, each holding at most `concurrency` active jobs (it fetches another
 * only while it holds fewer, or in place of one it finishes).
 */
const HELD_AT_MOST = SERVED_QUEUES.length * WORKER_CONCURRENCY;

/** What must be equal between a distributed and a single-process store (timestamps, wall times and timings aside). */
const SAME = {
  tasks: 'SELECT * FROM tasks ORDER BY id',
  workers: 'SELECT * FROM workers ORDER BY id',
  runs: 'SELECT id, kind, status, seed FROM runs ORDER BY id',
  forecasts: `SELECT job_key, run_id, task_id, worker_id, treatment, repeat, p_success, expected_tokens, ask, valid, invalid_reason,
    raw_text, rationale, input_tokens, output_tokens, cached_tokens, cost_usd, request, response, menu FROM forecasts ORDER BY job_key`,
  attempts: `SELECT job_key, run_id, task_id, worker_id, round, resolved, input_tokens, output_tokens, cached_tokens, cost_usd,
    trajectory_ref, exit_reason, json_extract(trajectory, '$.patch') AS patch, json_extract(trajectory, '$.evaluation.resolved') AS verdict
    FROM attempts ORDER BY job_key`,
  jobKeys: "SELECT key, kind, status FROM jobs WHERE kind != 'market-task' ORDER BY key",
};

interface AllocationRow {
  run_id: string;
  task_id: string;
  mechanism: string;
  round: number;
  worker_ids: string;
  payments: string;
  detail: string;
}

/**
 * An allocation with its recorded costs taken out (the attempts' and the router call's: a start
 * lost at the kill adds its reservation to the job it was running), and the sum of those costs.
 */
function splitCost(row: AllocationRow): { key: unknown; recordedUsd: number } {
  const detail = JSON.parse(row.detail) as { attempts?: { costUsd: number }[]; router?: { costUsd: number } } & Record<string, unknown>;
  const attempts = detail.attempts ?? [];
  const routerUsd = detail.router?.costUsd ?? 0;
  const recordedUsd = attempts.reduce((sum, attempt) => sum + attempt.costUsd, routerUsd);
  const payments = (JSON.parse(row.payments) as { reason: string }[]).filter((payment) => payment.reason !== 'cost');
  const { costUsd: _router, ...router } = detail.router ?? { costUsd: 0 };
  const rest = { ...detail, attempts: attempts.map(({ costUsd: _, ...kept }) => kept), ...(detail.router && { router }) };
  return { key: [row.run_id, row.task_id, row.mechanism, row.round, row.worker_ids, payments, rest], recordedUsd };
}

function ledger(file: string): { tries: number; usd: number } {
  const [row] = queryStore(file, "SELECT sum(tries) AS tries, sum(cost_usd) AS usd FROM jobs WHERE kind != 'market-task'") as { tries: number; usd: number }[];
  return { tries: row?.tries ?? 0, usd: row?.usd ?? 0 };
}

describe.skipIf(skipReason !== undefined)('attempt and market --queue with marketbench worker processes (mock provider, real sandbox)', () => {
  let redis: TestRedis;
  let dir: string;
  const workers: ReturnType<typeof spawnCli>[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'mb-queue-market-'));
    writeFileSync(join(dir, 'market.yaml'), MARKET_YAML);
  });
  afterAll(async () => {
    for (const worker of workers) worker.process.kill('SIGKILL');
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a worker with no key at all (the mock provider needs none); resolves once it serves. */
  async function startWorker(): Promise<ReturnType<typeof spawnCli> & { output: () => string }> {
    // Locks long enough that a worker starved on a loaded machine keeps them (a lost live lock
    // restarts its job and counts a start, which would blur the bound on starts lost to the kill).
    const worker = spawnCli({ args: ['worker', '--queue', redis.url, '--concurrency', String(WORKER_CONCURRENCY), '--lock-ms', '20000', '--stall-ms', '2000'], cwd: dir, env: {} });
    workers.push(worker);
    let output = '';
    worker.process.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes(` serving ${SERVED_QUEUES.join(', ')} `)) {
          clearInterval(check);
          resolve();
        }
      }, 50);
      void worker.done.then((exit) => {
        clearInterval(check);
        reject(new Error(`worker exited: ${exit.output}`));
      });
    });
    return { ...worker, output: () => output };
  }

  /** Three workers; the first is killed (SIGKILL) as soon as it starts a job of `kind`. Returns the victim and the jobs it held. */
  async function poolWithVictim(kind: string): Promise<{ victim: ReturnType<typeof spawnCli>; held: () => string[] }> {
    const [victim] = await Promise.all([startWorker(), startWorker(), startWorker()]);
    if (!victim) throw new Error('no worker');
    victim.process.stdout?.on('data', () => {
      if (victim.output().includes(`start ${kind} `) && victim.process.exitCode === null && victim.process.signalCode === null) victim.process.kill('SIGKILL');
    });
    // Jobs it started and never finished: each must be started again elsewhere.
    const held = () => heldJobs(victim.output());
    return { victim, held };
  }

  function stopAll(): void {
    for (const worker of workers) worker.process.kill('SIGKILL');
  }

  it('attempt: 3 workers, one killed mid-attempt, store the same attempts as one process; the coordinator holds no key', async () => {
    const args = (db: string) => ['attempt', '--suite', 'builtin', '--workers', ATTEMPT_WORKERS, '--limit', '3', '--db', db];
    const single = await spawnCli({ args: args('single-attempt.db'), cwd: dir, env: {} }).done;
    expect(single.code, single.output).toBe(0);

    const { victim, held } = await poolWithVictim('attempt');
    const distributed: CliExit = await spawnCli({ args: [...args('queue-attempt.db'), '--queue', redis.url], cwd: dir, env: {} }).done;
    expect(distributed.code, distributed.output).toBe(0);
    expect((await victim.done).signal).toBe('SIGKILL');
    stopAll();

    const [a, b] = [join(dir, 'queue-attempt.db'), join(dir, 'single-attempt.db')];
    for (const sql of Object.values(SAME)) expect(queryStore(a, sql)).toEqual(queryStore(b, sql));
    const rows = queryStore(a, SAME.attempts) as { trajectory_ref: string }[];
    expect(rows).toHaveLength(6);
    // Trajectories travelled back inside the results: the coordinator wrote each where the row points.
    for (const row of rows) expect(existsSync(row.trajectory_ref), row.trajectory_ref).toBe(true);

    const lost = lostStarts(distributed.output);
    expect(lost.starts, distributed.output).toBeGreaterThanOrEqual(held().length);
    expect(held().length, 'the victim was killed holding the attempt it had started').toBeGreaterThanOrEqual(1);
    expect(lost.starts, distributed.output).toBeLessThanOrEqual(HELD_AT_MOST);
    const [queued, alone] = [ledger(a), ledger(b)];
    expect(queued.tries).toBeGreaterThanOrEqual(alone.tries);
    expect(queued.tries).toBeLessThanOrEqual(alone.tries + lost.starts);
    expect(queued.usd).toBeGreaterThanOrEqual(alone.usd - 1e-9);
    expect(queued.usd).toBeLessThanOrEqual(alone.usd + lost.usd + 1e-4);
  }, 240_000);

  it('market: 3 workers, one killed mid-attempt, store the same tasks, workers, bids, allocations and outcomes as one process', async () => {
    const args = (db: string) => ['market', '--suite', 'builtin', '--workers', 'market.yaml', '--limit', '3', '--db', db];
    const single = await spawnCli({ args: args('single-market.db'), cwd: dir, env: {} }).done;
    expect(single.code, single.output).toBe(0);

    const { victim, held } = await poolWithVictim('attempt');
    const distributed: CliExit = await spawnCli({ args: [...args('queue-market.db'), '--queue', redis.url], cwd: dir, env: {} }).done;
    expect(distributed.code, distributed.output).toBe(0);
    expect((await victim.done).signal).toBe('SIGKILL');
    stopAll();

    const [a, b] = [join(dir, 'queue-market.db'), join(dir, 'single-market.db')];
    for (const sql of Object.values(SAME)) expect(queryStore(a, sql)).toEqual(queryStore(b, sql));
    expect(queryStore(a, "SELECT count(*) AS n FROM forecasts WHERE treatment = 'bid'")).toEqual([{ n: 9 }]);
    // The plan arm's menus travel as plan-bid jobs, and its capped attempts carry their caps in the payload.
    expect(queryStore(a, "SELECT count(*) AS n FROM forecasts WHERE treatment = 'plans' AND valid = 1")).toEqual([{ n: 9 }]);
    expect((queryStore(a, "SELECT count(*) AS n FROM jobs WHERE kind = 'attempt' AND json_extract(payload, '$.job.caps') IS NOT NULL") as { n: number }[])[0]?.n).toBeGreaterThanOrEqual(3);

    // Allocations: the same rounds, winners, scores and verdicts; an attempt or router call a killed
    // worker held is charged its reservation once more, so recorded costs may exceed by the lost starts.
    const allocations = 'SELECT run_id, task_id, mechanism, round, worker_ids, payments, detail FROM allocations ORDER BY run_id, task_id, mechanism, round';
    const queuedRows = (queryStore(a, allocations) as AllocationRow[]).map(splitCost);
    const aloneRows = (queryStore(b, allocations) as AllocationRow[]).map(splitCost);
    expect(queuedRows.map((row) => row.key)).toEqual(aloneRows.map((row) => row.key));
    const lost = lostStarts(distributed.output);
    const extraUsd = queuedRows.reduce((sum, row, index) => sum + row.recordedUsd - (aloneRows[index]?.recordedUsd ?? 0), 0);
    expect(extraUsd).toBeGreaterThanOrEqual(-1e-9);
    expect(extraUsd).toBeLessThanOrEqual(lost.usd + 1e-4);

    expect(held().length, 'the victim was killed holding the attempt it had started').toBeGreaterThanOrEqual(1);
    expect(lost.starts, distributed.output).toBeGreaterThanOrEqual(held().length);
    expect(lost.starts, distributed.output).toBeLessThanOrEqual(HELD_AT_MOST);
    const [queued, alone] = [ledger(a), ledger(b)];
    expect(queued.tries).toBeLessThanOrEqual(alone.tries + lost.starts);
    expect(queued.usd).toBeLessThanOrEqual(alone.usd + lost.usd + 1e-4);
  }, 240_000);
});
