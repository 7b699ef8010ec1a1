/**
 * `npm run bench:elicit`: 300 SWE-bench Lite forecasts ($DATA/swebench-lite/tasks.jsonl) at
 * concurrency 16 against a zero-latency local fake OpenAI-chat server (a child process), each
 * contender a whole process, run side by side (A B C A B C …), medians:
 *   A  `marketbench elicit` (the bin: compiled dist/, fresh store each round, no response cache)
 *   B  a plain AI SDK + p-limit loop (bench/elicit-plain-loop.mjs)
 *   C  promptfoo 0.121.20 `eval`, installed with npm into this benchmark's own temporary folder
 *      (never a project dependency; `--no-promptfoo` skips it)
 *   with `--baseline DIR`, also the bin of another checkout (before/after side by side)
 * Targets: A ≤ 1.25 × B; C ≥ 3 × A.
 * Then the hot path at concurrency 64, in-process (1,200 calls each, alternating rounds): calls/s,
 * and p50/p99 latency per call of the pipeline (job start → end, ledger and parsing included)
 * against the plain loop's (call start → reply), with the p99 difference as the added latency.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import pLimit from 'p-limit';
import type { Task } from '../src/core/index.js';
import { runElicitation } from '../src/runtime/elicit/index.js';
import type { HarnessEvent } from '../src/runtime/jobs/observer.js';
import type { PricingTable } from '../src/runtime/providers/index.js';
import { Store } from '../src/runtime/store/index.js';
import { ensureFreshDist } from './fresh-dist.js';
import { startFakeLlmServer } from '../test/support/fake-llm-server.js';

const PROMPTFOO = '0.121.20';
const CONCURRENCY = 16;
const HOT_CONCURRENCY = 64;
const HOT_CALLS = 1200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MODEL = 'openai-chat:gpt-bench';
const REPLY = '{"p_success": 0.42, "expected_tokens": 12000, "rationale": "bench"}';
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tasksFile = join(root, '../shared/data/swebench-lite/tasks.jsonl');
const env = { ...process.env, OPENAI_API_KEY: 'sk-bench', AI_SDK_LOG_WARNINGS: 'false' };

/** Child mode: serve until killed, print the URL on stdout. */
async function serve(): Promise<void> {
  const server = await startFakeLlmServer({ script: () => REPLY });
  process.stdout.write(`${server.url}\n`);
}

function startServerProcess(): Promise<{ url: string; child: ChildProcess }> {
  const loader = join(root, 'node_modules/tsx/dist/loader.mjs');
  const child = spawn(process.execPath, ['--import', loader, fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve({ url: chunk.toString().trim(), child }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** promptfoo in its own folder under the system temp dir (kept between runs; npm installs it once). */
function promptfooBin(): string {
  const dir = join(tmpdir(), `marketbench-bench-promptfoo-${PROMPTFOO}`);
  const bin = join(dir, 'node_modules', '.bin', 'promptfoo');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "name": "promptfoo-bench", "private": true }\n');
    process.stdout.write(`installing promptfoo@${PROMPTFOO} into ${dir} …\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '-E', `promptfoo@${PROMPTFOO}`], { cwd: dir, stdio: 'inherit' });
  }
  return bin;
}

function readTasks(): { repo: string; problem_statement: string }[] {
  return readFileSync(tasksFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { repo: string; problem_statement: string });
}

interface Contender {
  name: string;
  run: (round: number) => { command: string; args: string[]; cwd: string; check: (stdout: string) => boolean };
}

function timedProcess(spec: ReturnType<Contender['run']>): number {
  const started = performance.now();
  const result = spawnSync(spec.command, spec.args, { cwd: spec.cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const elapsed = performance.now() - started;
  if (result.status !== 0 || !spec.check(result.stdout)) {
    throw new Error(`${spec.command} ${spec.args.join(' ')} failed (${result.status}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
  }
  return elapsed;
}

/** The 1, 5 and 15 minute load averages: the machine may be shared, so every figure says how busy it was. */
const loadText = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] as number;

/** `marketbench elicit` of a checkout's bin as a contender: a fresh store each round, no response cache. */
function elicitContender(input: { name: string; checkout: string; dbPrefix: string; baseUrl: string; work: string }): Contender {
  const { checkout, baseUrl, work } = input;
  return {
    name: input.name,
    run: (round) => ({
      command: process.execPath,
      args: [join(checkout, 'bin/marketbench.js'), 'elicit', '--tasks', tasksFile, '--models', MODEL, '--concurrency', String(CONCURRENCY), '--db', join(work, `${input.dbPrefix}-${round}.db`), '--base-url', baseUrl, '--pricing', join(work, 'pricing.json'), '--no-cache'],
      cwd: work,
      check: () => true,
    }),
  };
}

async function wholeProcess(baseUrl: string, work: string): Promise<void> {
  const tasks = readTasks();
  writeFileSync(join(work, 'pricing.json'), JSON.stringify({ version: 'bench', models: { [MODEL]: { inputPerMillion: 1, outputPerMillion: 4 } } }));
  const contenders: Contender[] = [
    elicitContender({ name: 'marketbench elicit', checkout: root, dbPrefix: 'elicit', baseUrl, work }),
    {
      name: 'plain AI SDK + p-limit loop',
      run: () => ({ command: process.execPath, args: [join(root, 'bench/elicit-plain-loop.mjs'), tasksFile, baseUrl, String(CONCURRENCY)], cwd: root, check: (out) => out.startsWith(`${tasks.length} forecasts`) }),
    },
  ];
  // Before/after in one run: `--baseline DIR` adds the bin of another checkout (e.g. a clone of main
  // with dist/ built), run the same way and alternated with the others.
  const baselineAt = process.argv.indexOf('--baseline');
  const baseline = baselineAt >= 0 ? process.argv[baselineAt + 1] : undefined;
  if (baseline !== undefined) {
    contenders.push(elicitContender({ name: 'marketbench elicit (baseline)', checkout: baseline, dbPrefix: 'baseline', baseUrl, work }));
  }
  if (!process.argv.includes('--no-promptfoo')) {
    const bin = promptfooBin();
    const config = {
      description: 'marketbench bench',
      prompts: [JSON.stringify([{ role: 'system', content: 'You forecast whether you can resolve a software issue. Reply with JSON: {"p_success": number, "expected_tokens": number}.' }, { role: 'user', content: 'Repository: {{repo}}\n\n{{statement}}' }])],
      providers: [{ id: 'openai:chat:gpt-bench', config: { apiBaseUrl: baseUrl, apiKey: 'sk-bench', temperature: 0, max_tokens: 1200 } }],
      tests: tasks.map((task) => ({ vars: { repo: task.repo, statement: task.problem_statement }, assert: [{ type: 'is-json' }] })),
    };
    writeFileSync(join(work, 'promptfooconfig.yaml'), JSON.stringify(config));
    contenders.push({
      name: `promptfoo ${PROMPTFOO} eval`,
      run: (round) => ({
        command: bin,
        args: ['eval', '-c', join(work, 'promptfooconfig.yaml'), '-j', String(CONCURRENCY), '--no-cache', '--no-table', '--no-progress-bar', '--no-write', '-o', join(work, `promptfoo-${round}.json`)],
        cwd: work,
        check: (out) => out.includes(`${tasks.length} passed`),
      }),
    });
    // No telemetry, update check or log files (its file logger crashes at exit otherwise).
    Object.assign(env, {
      PROMPTFOO_DISABLE_TELEMETRY: '1',
      PROMPTFOO_DISABLE_UPDATE: '1',
      PROMPTFOO_DISABLE_DEBUG_LOG: 'true',
      PROMPTFOO_DISABLE_ERROR_LOG: 'true',
      PROMPTFOO_CONFIG_DIR: join(work, 'promptfoo-home'),
    });
  }
  // One warm-up each (file-system cache, promptfoo's first-run setup), then A B C A B C ….
  for (const contender of contenders) timedProcess(contender.run(-1));
  const times = contenders.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [c, contender] of contenders.entries()) (times[c] as number[]).push(timedProcess(contender.run(round)));
  }
  const medians = times.map(median);
  const ours = medians[0] as number;
  const plain = medians[1] as number;
  process.stdout.write(`elicit bench: ${tasks.length} SWE-bench Lite forecasts, concurrency ${CONCURRENCY}, zero-latency local server; whole process, median of ${ROUNDS} rounds side by side; load average ${loadText()}\n`);
  for (const [c, contender] of contenders.entries()) {
    process.stdout.write(`  ${contender.name.padEnd(30)} ${((medians[c] as number) / 1000).toFixed(2).padStart(6)} s  (${times[c]?.map((t) => (t / 1000).toFixed(2)).join(', ')})\n`);
  }
  process.stdout.write(`ratio marketbench / plain loop ${(ours / plain).toFixed(2)} (target ≤ 1.25)\n`);
  const promptfoo = contenders.findIndex((contender) => contender.name.startsWith('promptfoo'));
  if (promptfoo >= 0) process.stdout.write(`ratio promptfoo / marketbench ${((medians[promptfoo] as number) / ours).toFixed(2)} (target ≥ 3)\n`);
  if (baseline !== undefined) {
    const before = medians[2] as number;
    process.stdout.write(`baseline ${baseline}: ratio ${(before / plain).toFixed(2)} to the plain loop${promptfoo >= 0 ? `, promptfoo / baseline ${((medians[promptfoo] as number) / before).toFixed(2)}` : ''}\n`);
  }
}

/** The hot path in-process at concurrency 64: calls/s and per-call latencies. */
async function hotPath(baseUrl: string, work: string): Promise<void> {
  const tasks: Task[] = readTasks().map((t, i) => ({
    id: `bench-${i}`,
    suite: 'swebench',
    title: `task ${i}`,
    repo: t.repo,
    baseCommit: 'deadbeef',
    statement: t.problem_statement,
    tests: { failToPass: [], passToPass: [] },
    features: {},
    metadata: {},
  }));
  const repeats = Math.ceil(HOT_CALLS / tasks.length);
  const calls = tasks.length * repeats;
  const table: PricingTable = { version: 'bench', models: { [MODEL]: { inputPerToken: 1e-6, outputPerToken: 4e-6 } } };
  const model = createOpenAI({ baseURL: baseUrl, apiKey: 'sk-bench' }).chat('gpt-bench');
  const plain = async () => {
    const limit = pLimit(HOT_CONCURRENCY);
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        limit(async () => {
          const t0 = performance.now();
          const { text } = await generateText({ model, prompt: (tasks[i % tasks.length] as Task).statement, maxOutputTokens: 1200, temperature: 0, maxRetries: 0 });
          JSON.parse(text);
          latencies.push(performance.now() - t0);
        }),
      ),
    );
    return { wallMs: performance.now() - started, latencies };
  };
  const pipeline = async (round: number) => {
    const startedAt = new Map<string, number>();
    const latencies: number[] = [];
    const store = Store.open(join(work, `hot-${round}.db`));
    const started = performance.now();
    await runElicitation({
      store,
      tasks,
      tasksSource: 'bench',
      models: [MODEL],
      repeats,
      concurrency: HOT_CONCURRENCY,
      env: { OPENAI_API_KEY: 'sk-bench' },
      baseUrl,
      pricingTable: table,
      cache: false,
      observer: {
        onEvent: (event: HarnessEvent) => {
          if (event.type === 'job-start') startedAt.set(event.key, performance.now());
          else if (event.type === 'job-end') latencies.push(performance.now() - (startedAt.get(event.key) as number));
        },
      },
    });
    const wallMs = performance.now() - started;
    store.close();
    if (latencies.length !== calls) throw new Error(`pipeline finished ${latencies.length} of ${calls} calls`);
    return { wallMs, latencies };
  };
  await plain();
  await pipeline(-1);
  const a: { wallMs: number; latencies: number[] }[] = [];
  const b: { wallMs: number; latencies: number[] }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    a.push(await plain());
    b.push(await pipeline(round));
  }
  const line = (name: string, rounds: typeof a) => {
    const rate = median(rounds.map((r) => (calls / r.wallMs) * 1000));
    const p50 = median(rounds.map((r) => quantile(r.latencies, 0.5)));
    const p99 = median(rounds.map((r) => quantile(r.latencies, 0.99)));
    // Little's law: the time each call holds one of the 64 slots, bookkeeping between calls included.
    const slot = (HOT_CONCURRENCY / rate) * 1000;
    process.stdout.write(
      `  ${name.padEnd(30)} ${rate.toFixed(0).padStart(6)} calls/s   slot time per call ${slot.toFixed(1).padStart(6)} ms   call latency p50 ${p50.toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms\n`,
    );
    return { rate, p99, slot };
  };
  process.stdout.write(`hot path: ${calls} calls in-process at concurrency ${HOT_CONCURRENCY}, median of ${ROUNDS} alternating rounds; load average ${loadText()}\n`);
  const p = line('plain AI SDK + p-limit loop', a);
  const f = line('marketbench elicit pipeline', b);
  process.stdout.write(
    `requests/s ratio ${(f.rate / p.rate).toFixed(2)}; added per call: slot time ${(f.slot - p.slot).toFixed(1)} ms, p99 latency ${(f.p99 - p.p99).toFixed(1)} ms (pipeline: job start → end, after its ledger row; plain: call start → reply)\n`,
  );
}

async function bench(): Promise<void> {
  if (!existsSync(tasksFile)) {
    process.stdout.write(`bench:elicit skipped: ${tasksFile} not found\n`);
    return;
  }
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  const { url, child } = await startServerProcess();
  const work = mkdtempSync(join(tmpdir(), 'mb-bench-elicit-'));
  try {
    if (!process.argv.includes('--hot-only')) await wholeProcess(`${url}/v1`, work);
    if (!process.argv.includes('--no-hot')) await hotPath(`${url}/v1`, work);
  } finally {
    child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) await serve();
else {
  ensureFreshDist('bench:elicit');
  await bench();
}
