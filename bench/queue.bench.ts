/**
 * `npm run bench:queue`: forecast-shaped jobs whose model call takes a fixed 200 ms (a scripted
 * model on a local HTTP server in a child process), run (a) in this process and (b) through the
 * BullMQ queue by 1, 2 and 4 worker processes, on a private `redis-server`. Prints the throughput
 * of each worker count and its ratio to 1 worker (target ≥ 3.5× at 4), and the queue's overhead
 * per job against in-process execution (target < 5 ms): the median of (enqueue → result) minus the
 * median in-process job time, and the wall-time difference spread over the jobs' waves.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { z } from 'zod';
import { Budget } from '../src/runtime/jobs/budget.js';
import { QueueDispatcher } from '../src/runtime/jobs/queue/queue-dispatcher.js';
import { openQueueRunCache, type QueueRunCache } from '../src/runtime/jobs/queue/queue-run-cache.js';
import { parseQueueUrl } from '../src/runtime/jobs/queue/queue-url.js';
import { type QueueJobHandler, startQueueWorker } from '../src/runtime/jobs/queue/queue-worker.js';
import { callModel, keyValueResponseCache, type PricingTable, resolveModel, type SpendReservation } from '../src/runtime/providers/index.js';
import { startFakeLlmServer } from '../test/support/fake-llm-server.js';
import { redisAvailability, startRedisServer } from '../test/support/redis-server.js';

const LATENCY_MS = 200;
const PER_WORKER_CONCURRENCY = 8;
/** Each run is this many waves of the workers' slots, so start and tail weigh the same at every size. */
const WAVES = 16;
const WORKER_COUNTS = [1, 2, 4];
const MODEL = 'openai-chat:gpt-bench';
const table: PricingTable = { version: 'bench', models: { [MODEL]: { inputPerToken: 1e-6, outputPerToken: 4e-6 } } };
const self = fileURLToPath(import.meta.url);
const loader = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));

/** The job every mode runs: one model call, its reply parsed; on workers through the run cache in Redis, as `marketbench worker` does. */
function forecastHandler(baseUrl: string, runCache?: QueueRunCache): QueueJobHandler {
  const model = resolveModel(MODEL, { env: { OPENAI_API_KEY: 'sk-bench' }, baseUrl, pricingTable: table });
  return {
    payloadSchema: z.object({ prompt: z.string() }),
    run: async (job, context) => {
      const result = await callModel({
        model,
        prompt: (job.payload as { prompt: string }).prompt,
        maxOutputTokens: 200,
        abortSignal: context.signal,
        reservation: context.reservation,
        budget: context.budget,
        ...(runCache && { cache: keyValueResponseCache({ get: (key) => runCache.get(job.enqueueId, key), put: (key, value) => runCache.put(job.enqueueId, key, value) }) }),
      });
      const parsed = JSON.parse(result.text) as { p_success: number };
      return { status: 'done', spentUsd: result.spentUsd, result: { pSuccess: parsed.p_success } };
    },
  };
}

/** Child mode: the scripted model, answering after a fixed latency. */
async function serve(): Promise<void> {
  const server = await startFakeLlmServer({ script: () => ({ text: '{"p_success": 0.42, "expected_tokens": 12000}', delayMs: LATENCY_MS }) });
  process.stdout.write(`${server.url}\n`);
}

/** Child mode: one queue worker process. */
async function work(queueUrl: string, baseUrl: string): Promise<void> {
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  const address = parseQueueUrl(queueUrl);
  await startQueueWorker({
    address,
    providers: ['openai-chat'],
    handlers: new Map([['forecast', forecastHandler(baseUrl, openQueueRunCache(address))]]),
    concurrency: PER_WORKER_CONCURRENCY,
  });
  process.stdout.write('ready\n');
}

function child(args: string[]): Promise<{ line: string; process: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', loader, self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout?.once('data', (chunk: Buffer) => resolve({ line: chunk.toString().trim(), process: proc }));
    proc.once('exit', (code) => reject(new Error(`${args[0]} child exited with ${code}`)));
  });
}

/** CPU milliseconds (user + system) a child process has used, from /proc (0 where unreadable). */
function childCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function ownCpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}


/** Runs `count` jobs with `concurrency` in flight; wall time and per-job latencies. */
async function drive(count: number, concurrency: number, runOne: (index: number) => Promise<void>): Promise<{ wallMs: number; latencies: number[] }> {
  const limit = pLimit(concurrency);
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      limit(async () => {
        const t0 = performance.now();
        await runOne(index);
        latencies.push(performance.now() - t0);
      }),
    ),
  );
  return { wallMs: performance.now() - started, latencies };
}

async function bench(): Promise<void> {
  const availability = redisAvailability();
  if (!availability.ok) {
    process.stdout.write(`queue bench skipped: ${availability.reason}\n`);
    return;
  }
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  const redis = await startRedisServer();
  const server = await child(['--serve']);
  const baseUrl = `${server.line}/v1`;
  const children: ChildProcess[] = [server.process];
  try {
    // In-process: the same job function, as many in flight as one worker process runs.
    const handler = forecastHandler(baseUrl);
    const budget = new Budget({ limitUsd: 1000 });
    const local = async (index: number) => {
      const reservation = budget.tryReserve(0.01) as SpendReservation;
      await handler.run(
        { key: `k${index}`, kind: 'forecast', runId: 'bench', payload: { prompt: `task ${index}` }, settings: {}, enqueueId: `k${index}@0` },
        { reservation, budget, signal: new AbortController().signal, previousResult: undefined },
      );
    };
    const localJobs = WAVES * PER_WORKER_CONCURRENCY;
    await drive(PER_WORKER_CONCURRENCY, PER_WORKER_CONCURRENCY, local);
    // Measured before and after the queue runs; the faster is the baseline (a conservative overhead).
    const measureLocal = async () => {
      const cpuBefore = ownCpuMs();
      const timing = await drive(localJobs, PER_WORKER_CONCURRENCY, local);
      return { wallMs: timing.wallMs, cpuPerJob: (ownCpuMs() - cpuBefore) / localJobs };
    };
    const localRuns = [await measureLocal()];

    const workers: ChildProcess[] = [];
    const rows: { workers: number; jobs: number; wallMs: number; cpuPerJob: number }[] = [];
    let round = 0;
    for (const count of WORKER_COUNTS) {
      while (workers.length < count) {
        const worker = await child(['--worker', redis.url, baseUrl]);
        workers.push(worker.process);
        children.push(worker.process);
      }
      round++;
      const runId = `bench-${round}`;
      const dispatcher = await QueueDispatcher.open({ address: parseQueueUrl(redis.url), runId });
      const viaQueue = async (index: number) => {
        const key = `${runId}-${index}`;
        const outcome = await dispatcher.dispatch({ key, kind: 'forecast', runId, provider: 'openai-chat', reserveUsd: 0.01, payload: { prompt: `task ${index}` } });
        if (outcome.status !== 'done') throw new Error(`job ${key} failed: ${outcome.reason}`);
        await dispatcher.acknowledge(key, 'openai-chat');
      };
      // The coordinator keeps twice the workers' slots enqueued, so a worker finds its next job
      // waiting when it finishes one (as a run does: everything the budget allows is enqueued).
      const inFlight = 2 * count * PER_WORKER_CONCURRENCY;
      const jobs = WAVES * count * PER_WORKER_CONCURRENCY;
      await drive(inFlight, inFlight, (i) => viaQueue(-1 - i));
      const cpu = () => ownCpuMs() + workers.reduce((sum, proc) => sum + childCpuMs(proc.pid), 0) + childCpuMs(redis.pid);
      const cpuStart = cpu();
      const timing = await drive(jobs, inFlight, viaQueue);
      rows.push({ workers: count, jobs, wallMs: timing.wallMs, cpuPerJob: (cpu() - cpuStart) / jobs });
      await dispatcher.close();
    }

    localRuns.push(await measureLocal());
    const inProcess = { wallMs: Math.min(...localRuns.map((run) => run.wallMs)) };
    const localCpuPerJob = Math.min(...localRuns.map((run) => run.cpuPerJob));
    const out = (text: string) => process.stdout.write(`${text}\n`);
    const rate = (jobs: number, wallMs: number) => (jobs / wallMs) * 1000;
    out(`queue bench: jobs of one ${LATENCY_MS} ms model call each, ${PER_WORKER_CONCURRENCY} in flight per worker process, ${WAVES} waves per run, redis-server on 127.0.0.1`);
    out(`in process              ${String(localJobs).padStart(4)} jobs  wall ${inProcess.wallMs.toFixed(0).padStart(6)} ms  ${rate(localJobs, inProcess.wallMs).toFixed(1).padStart(6)} jobs/s  cpu ${localCpuPerJob.toFixed(2)} ms/job`);
    const base = rows[0] as (typeof rows)[number];
    for (const row of rows) {
      out(
        `${String(row.workers).padStart(2)} worker process(es)   ${String(row.jobs).padStart(4)} jobs  wall ${row.wallMs.toFixed(0).padStart(6)} ms  ${rate(row.jobs, row.wallMs).toFixed(1).padStart(6)} jobs/s  cpu ${row.cpuPerJob.toFixed(2)} ms/job (coordinator + workers + redis)  throughput ×${(rate(row.jobs, row.wallMs) / rate(base.jobs, base.wallMs)).toFixed(2)} vs 1 worker`,
      );
    }
    const perJobWall = (base.wallMs - inProcess.wallMs) / WAVES;
    const four = rows.find((row) => row.workers === 4);
    out(
      `queue overhead per job (1 worker vs in process): ${perJobWall.toFixed(2)} ms of added latency (wall difference over ${WAVES} waves), ${(base.cpuPerJob - localCpuPerJob).toFixed(2)} ms of CPU; target < 5 ms`,
    );
    if (four) out(`throughput at 4 workers: ×${(rate(four.jobs, four.wallMs) / rate(base.jobs, base.wallMs)).toFixed(2)} vs 1 worker; target ≥ 3.5×`);
    out(`machine load average: ${loadavg().map((value) => value.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  } finally {
    for (const proc of children) proc.kill('SIGKILL');
    await redis.stop();
  }
}

const mode = process.argv.indexOf('--worker');
if (process.argv.includes('--serve')) await serve();
else if (mode >= 0) await work(process.argv[mode + 1] as string, process.argv[mode + 2] as string);
else await bench();
