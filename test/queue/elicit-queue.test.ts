import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';
import { queryStore } from '../support/query-store.js';
import { heldJobs, lostStarts } from '../support/queue-worker-log.js';
import { redisAvailability, startRedisServer, type TestRedis } from '../support/redis-server.js';
import { type CliExit, spawnCli } from '../support/spawn-cli.js';

const availability = redisAvailability();
if (!availability.ok) console.warn(`skipping elicit-over-queue tests: ${availability.reason}`);

const KEYS = { OPENAI_API_KEY: 'sk-queue-test-openai-1234', ANTHROPIC_API_KEY: 'sk-queue-test-ant-5678' };
const TASKS = 16;
const MODELS = ['openai-chat:gpt-5.2', 'anthropic:claude-sonnet-4-5'];
const TOTAL = TASKS * MODELS.length;
/** Jobs a worker runs at once per provider queue (`worker --concurrency`). */
const WORKER_CONCURRENCY = 2;
/**
 * The most jobs one worker can hold, so the most starts one kill can lose: a worker runs a BullMQ
 * worker per provider queue, each holding at most `concurrency` active jobs (it fetches another
 * only while it holds fewer, or in place of one it finishes), and this run's jobs travel on one
 * queue per model.
 */
const HELD_AT_MOST = MODELS.length * WORKER_CONCURRENCY;

function taskOf(request: FakeRequest): string {
  return /Task id: (\S+)/.exec(request.prompt)?.[1] ?? 'unknown';
}

/** Deterministic reply per (model, task), so every run stores the same forecasts. */
function reply(request: FakeRequest) {
  const i = Number(taskOf(request).split('-').pop());
  const p = ((i * 37 + request.model.length * 11) % 100) / 100;
  return { text: JSON.stringify({ p_success: p, expected_tokens: 1000 * (i + 1), rationale: `task ${i}` }), delayMs: 150 };
}

const FORECASTS = `SELECT job_key, run_id, task_id, worker_id, treatment, repeat, p_success, expected_tokens, ask, valid, invalid_reason,
  raw_text, rationale, input_tokens, output_tokens, cached_tokens, cost_usd, request, response FROM forecasts ORDER BY job_key`;

describe.skipIf(!availability.ok)('elicit --queue with marketbench worker processes', () => {
  let server: FakeLlmServer;
  let redis: TestRedis;
  let dir: string;
  const workers: ReturnType<typeof spawnCli>[] = [];
  beforeAll(async () => {
    server = await startFakeLlmServer({ script: reply });
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'mb-queue-elicit-'));
    const lines = Array.from({ length: TASKS }, (_, i) => JSON.stringify({ instance_id: `org__pkg-${i}`, repo: 'org/pkg', base_commit: 'abc', problem_statement: `Fix bug ${i}`, FAIL_TO_PASS: '["test_a"]', PASS_TO_PASS: '[]' }));
    writeFileSync(join(dir, 'tasks.jsonl'), `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    for (const worker of workers) worker.process.kill('SIGKILL');
    await server?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const elicit = (db: string, extra: string[], env: Record<string, string>) =>
    spawnCli({ args: ['elicit', '--tasks', 'tasks.jsonl', '--models', MODELS.join(','), '--db', db, '--base-url', server.baseUrl('openai-chat'), '--concurrency', '8', ...extra], cwd: dir, env });

  async function startWorker(): Promise<ReturnType<typeof spawnCli>> {
    // Locks long enough that a worker starved on a loaded machine keeps them (a lost live lock
    // restarts its job and counts a start, which would blur the bound on starts lost to the kill).
    const worker = spawnCli({ args: ['worker', '--queue', redis.url, '--concurrency', String(WORKER_CONCURRENCY), '--lock-ms', '20000', '--stall-ms', '2000'], cwd: dir, env: KEYS });
    workers.push(worker);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      worker.process.stdout?.on('data', (chunk) => {
        output += chunk;
        if (output.includes(' serving ')) resolve();
      });
      void worker.done.then((exit) => reject(new Error(`worker exited: ${exit.output}`)));
    });
    return worker;
  }

  it('a distributed run (3 workers, one killed mid-run) stores what a single-process run stores; the coordinator holds no key', async () => {
    const single = await elicit('single.db', [], KEYS).done;
    expect(single.code, single.output).toBe(0);
    expect(server.requests).toHaveLength(TOTAL);
    server.clear();

    const pool = [await startWorker(), await startWorker(), await startWorker()];
    const victim = pool[0] as ReturnType<typeof spawnCli>;
    server.onRequest = () => {
      if (server.requests.length + 1 === 10) victim.process.kill('SIGKILL');
    };
    // No key in the coordinator's environment.
    const distributed: CliExit = await elicit('queue.db', ['--queue', redis.url], {}).done;
    server.onRequest = undefined;
    expect(distributed.code, distributed.output).toBe(0);
    const killed = await victim.done;
    expect(killed.signal).toBe('SIGKILL');

    expect(queryStore(join(dir, 'queue.db'), FORECASTS)).toEqual(queryStore(join(dir, 'single.db'), FORECASTS));
    for (const table of ['SELECT * FROM tasks ORDER BY id', 'SELECT * FROM workers ORDER BY id', 'SELECT id, kind, status FROM runs']) {
      expect(queryStore(join(dir, 'queue.db'), table)).toEqual(queryStore(join(dir, 'single.db'), table));
    }
    // A call is paid twice at most once per kill: only calls the killed worker had in flight are made again.
    const perJob = new Map<string, number>();
    for (const request of server.requests) perJob.set(`${request.model}|${taskOf(request)}`, (perJob.get(`${request.model}|${taskOf(request)}`) ?? 0) + 1);
    expect(perJob.size).toBe(TOTAL);
    expect(Math.max(...perJob.values())).toBeLessThanOrEqual(2);
    // The closing line counts the lost starts (the jobs the killed worker held: up to 2 on each of
    // the two models' queues), each charged its reservation; every repeated call is among them.
    const extra = server.requests.length - TOTAL;
    const lost = lostStarts(distributed.output).starts;
    // Whether the victim held a job at the kill depends on timing (on a quiet machine it can be
    // between jobs, so nothing is lost); queue-faults.test.ts kills a worker that holds one for sure.
    expect(extra, distributed.output).toBeLessThanOrEqual(lost);
    expect(lost, distributed.output).toBeGreaterThanOrEqual(heldJobs(killed.output).length);
    expect(lost, distributed.output).toBeLessThanOrEqual(HELD_AT_MOST);
    expect(distributed.output).toMatch(new RegExp(`${TOTAL} forecasts done, 0 failed`));
    // Once recorded in the store, finished jobs leave Redis.
    for (const name of ['v1.openai-chat', 'v1.anthropic']) {
      const queue = new Queue(name, { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'marketbench' });
      expect(await queue.getJobCounts('completed', 'failed', 'wait', 'active')).toEqual({ completed: 0, failed: 0, wait: 0, active: 0 });
      await queue.close();
    }
  }, 180_000);

  it('a coordinator killed mid-run and restarted collects what the workers finished meanwhile: nothing lost, nothing paid twice', async () => {
    if (workers.filter((worker) => worker.process.exitCode === null && worker.process.signalCode === null).length < 2) await startWorker();
    server.clear();
    const first = elicit('restart.db', ['--queue', redis.url], {});
    server.onRequest = () => {
      if (server.requests.length + 1 === 8) first.process.kill('SIGKILL');
    };
    expect((await first.done).signal).toBe('SIGKILL');
    server.onRequest = undefined;
    const inFlight = queryStore(join(dir, 'restart.db'), "SELECT count(*) AS n FROM jobs WHERE status = 'started'") as { n: number }[];
    expect(inFlight[0]?.n).toBeGreaterThan(0);
    const second = await elicit('restart.db', ['--queue', redis.url], {}).done;
    expect(second.code, second.output).toBe(0);
    // Jobs enqueued before the kill ran once on the workers; the restarted coordinator took their results from Redis.
    expect(server.requests).toHaveLength(TOTAL);
    expect(queryStore(join(dir, 'restart.db'), FORECASTS)).toEqual(queryStore(join(dir, 'single.db'), FORECASTS));
  }, 180_000);

  it('Redis restarted mid-run: the run continues and finishes with the same store', async () => {
    server.clear();
    const run = elicit('redis-restart.db', ['--queue', redis.url], {});
    let restarted: Promise<void> | undefined;
    server.onRequest = () => {
      if (server.requests.length + 1 === 8) restarted = redis.restart();
    };
    const exit = await run.done;
    server.onRequest = undefined;
    await restarted;
    expect(exit.code, exit.output).toBe(0);
    expect(queryStore(join(dir, 'redis-restart.db'), FORECASTS)).toEqual(queryStore(join(dir, 'single.db'), FORECASTS));
  }, 180_000);

  it('an unreachable Redis, a wrong password or a queue of another version: one line, exit 1, nothing written', async () => {
    const old = new Queue('v0.openai', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'marketbench' });
    await old.add('forecast', { protocol: 0 }, { jobId: 'old-job' });
    const incompatible = await elicit('bad0.db', ['--queue', redis.url], {}).done;
    await old.obliterate({ force: true });
    await old.close();
    expect(incompatible.code).toBe(1);
    expect(incompatible.output.trim()).toBe(
      `marketbench: the queue 'v0.openai' at redis://127.0.0.1:${redis.port}/0 holds 1 unfinished job(s) of queue protocol v0 (this marketbench speaks v1): finish them with that version, or use another database (redis://HOST:PORT/DB)`,
    );
    expect(existsSync(join(dir, 'bad0.db'))).toBe(false);

    const unreachable = await elicit('bad1.db', ['--queue', 'redis://127.0.0.1:1'], {}).done;
    expect(unreachable.code).toBe(1);
    expect(unreachable.output.trim()).toBe('marketbench: cannot reach Redis at redis://127.0.0.1:1/0: connection refused (is redis-server running?)');
    expect(existsSync(join(dir, 'bad1.db'))).toBe(false);

    const guarded = await startRedisServer({ password: 'right' });
    try {
      const wrong = await elicit('bad2.db', ['--queue', `redis://:wrong@127.0.0.1:${guarded.port}`], {}).done;
      expect(wrong.code).toBe(1);
      expect(wrong.output.trim()).toBe(`marketbench: Redis at redis://127.0.0.1:${guarded.port}/0 refused the credentials in the URL (wrong password or user)`);
      expect(existsSync(join(dir, 'bad2.db'))).toBe(false);
    } finally {
      await guarded.stop();
    }
  }, 180_000);
});
