/**
 * `npm run bench:elicit`: 1,000 forecasts at concurrency 32 against a local zero-latency fake
 * provider server (in a child process, speaking the four wire formats), through the whole
 * elicitation pipeline (planning, job ledger, budget, response cache, parsing, SQLite writes),
 * beside a plain AI SDK loop that makes the same calls with p-limit. Prints both and the ratio,
 * in wall time and in this process's CPU time (steadier on a shared machine), each the median of
 * alternating rounds. Target: overhead under 25%.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateText } from 'ai';
import pLimit from 'p-limit';
import type { Task } from '../src/core/index.js';
import { planElicitation, runElicitation } from '../src/runtime/elicit/index.js';
import { type PricingTable, resolveModel } from '../src/runtime/providers/index.js';
import { Store } from '../src/runtime/store/index.js';
import { startFakeLlmServer } from '../test/support/fake-llm-server.js';

const TASKS = 250;
const MODELS = ['openai:gpt-bench', 'openai-chat:gpt-bench', 'anthropic:claude-bench', 'google:gemini-bench'];
const CONCURRENCY = 32;
const ROUNDS = 5;
const PRICE = { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 };
const table: PricingTable = { version: 'bench', models: Object.fromEntries(MODELS.map((model) => [model, PRICE])) };
const env = { OPENAI_API_KEY: 'sk-bench', ANTHROPIC_API_KEY: 'sk-bench', GOOGLE_GENERATIVE_AI_API_KEY: 'sk-bench' };

/** Child mode: serve until killed, print the URL on stdout. */
async function serve(): Promise<void> {
  const server = await startFakeLlmServer({ script: () => '{"p_success": 0.42, "expected_tokens": 12000, "rationale": "bench"}' });
  process.stdout.write(`${server.url}\n`);
}

function startServerProcess(): Promise<{ url: string; child: ChildProcess }> {
  const self = fileURLToPath(import.meta.url);
  const loader = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--import', loader, self, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve({ url: chunk.toString().trim(), child }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function tasks(): Task[] {
  return Array.from({ length: TASKS }, (_, i) => ({
    id: `bench__repo-${i}`,
    suite: 'bench',
    title: `Bench task ${i}`,
    repo: 'bench/repo',
    baseCommit: 'deadbeef',
    statement: `The function parse_${i} fails on nested input.\n${'Some context about the bug. '.repeat(40)}`,
    tests: { failToPass: [`tests/test_parse.py::test_${i}`], passToPass: [] },
    features: {},
    metadata: {},
  }));
}

/** Wall and CPU milliseconds of one round. */
interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(work: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** The same calls made with the bare SDK and p-limit (no ledger, budget, cache or parsing). */
async function plainLoop(baseUrl: string): Promise<Timing> {
  const { jobs } = planElicitation({
    runId: 'plain',
    tasks: tasks(),
    models: MODELS,
    treatments: ['direct'],
    repeats: 1,
    pricing: new Map(MODELS.map((model) => [model, PRICE])),
    cardHistory: [],
    bid: { bountyUsd: 1, failurePenaltyUsd: 2 },
    maxOutputTokens: 1200,
    temperature: 0,
    structured: false,
  });
  const models = new Map(MODELS.map((ref) => [ref, resolveModel(ref, { env, baseUrl, pricingTable: table }).model]));
  const limit = pLimit(CONCURRENCY);
  let results: unknown[] = [];
  const timing = await timed(async () => {
    results = await Promise.all(
    jobs.map((job) =>
      limit(() =>
        generateText({
          model: models.get(job.payload.workerId)!,
          system: job.payload.system,
          prompt: job.payload.prompt,
          maxOutputTokens: job.payload.maxOutputTokens,
          temperature: 0,
          maxRetries: 0,
        }),
      ),
    ),
    );
  });
  if (results.length !== TASKS * MODELS.length) throw new Error('plain loop lost calls');
  return timing;
}

/** The whole elicitation pipeline into a fresh store. */
async function pipeline(baseUrl: string): Promise<Timing> {
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-'));
  try {
    let done = 0;
    const timing = await timed(async () => {
    const store = Store.open(join(dir, 'bench.db'));
    const result = await runElicitation({
      store,
      tasks: tasks(),
      tasksSource: 'bench',
      models: MODELS,
      concurrency: CONCURRENCY,
      budgetUsd: 1000,
      env,
      baseUrl,
      pricingTable: table,
      structured: false,
    });
    store.close();
    done = result.summary?.done ?? 0;
    });
    if (done !== TASKS * MODELS.length) throw new Error(`pipeline finished ${done} calls`);
    return timing;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(): Promise<void> {
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  const { url, child } = await startServerProcess();
  const baseUrl = `${url}/v1`;
  try {
    await plainLoop(baseUrl);
    await pipeline(baseUrl);
    const plain: Timing[] = [];
    const full: Timing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(await plainLoop(baseUrl));
      full.push(await pipeline(baseUrl));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const calls = TASKS * MODELS.length;
    const summary = (timings: Timing[]) => ({ wall: median(timings.map((t) => t.wallMs)), cpu: median(timings.map((t) => t.cpuMs)) });
    const p = summary(plain);
    const f = summary(full);
    const line = (name: string, t: { wall: number; cpu: number }) =>
      `${name.padEnd(30)} wall ${t.wall.toFixed(0).padStart(6)} ms (${((calls / t.wall) * 1000).toFixed(0).padStart(5)} calls/s)   cpu ${t.cpu.toFixed(0).padStart(6)} ms`;
    process.stdout.write(`elicit bench: ${calls} forecasts (${TASKS} tasks × ${MODELS.length} wire formats), concurrency ${CONCURRENCY}, median of ${ROUNDS} alternating rounds\n`);
    process.stdout.write(`${line('plain AI SDK loop (p-limit)', p)}\n`);
    process.stdout.write(`${line('marketbench elicit pipeline', f)}\n`);
    process.stdout.write(
      `ratio wall ${(f.wall / p.wall).toFixed(3)} (overhead ${((f.wall / p.wall - 1) * 100).toFixed(1)}%), cpu ${(f.cpu / p.cpu).toFixed(3)} (overhead ${((f.cpu / p.cpu - 1) * 100).toFixed(1)}%); target < 25%\n`,
    );
  } finally {
    child.kill();
  }
}

if (process.argv.includes('--serve')) await serve();
else await bench();
