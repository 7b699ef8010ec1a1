/**
 * Benchmark of the local (bubblewrap) sandbox: (1) latency of one trivial command in a running
 * sandbox, (2) latency of starting a sandbox the way an attempt does (copy a small workspace, git
 * baseline) plus one trivial command, and (3) throughput of (2) at concurrency 2, p50/p95 each;
 * then (4) the cost of the kernel-enforced whole-sandbox limits (memory/pids cgroup, capped
 * workspace tmpfs) against the watchdog fallback, interleaved so machine load hits both alike.
 * Run: npm run bench:sandbox
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSandbox, localSandboxAvailability } from '../src/runtime/sandbox/index.js';

const ITERATIONS = 40;
const CONCURRENCY = 2;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}

function report(label: string, times: number[]): void {
  console.log(
    `${label.padEnd(44)} p50 ${quantile(times, 0.5).toFixed(1).padStart(7)} ms  p95 ${quantile(times, 0.95).toFixed(1).padStart(7)} ms  (n=${times.length}, min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`,
  );
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"bench","type":"module"}\n');
  writeFileSync(join(dir, 'index.js'), 'export const answer = 42;\n');
  return dir;
}

/** Start a sandbox as an attempt does, run `true`, dispose; returns the start+command time. */
async function startAndRun(watchdogOnly = false): Promise<number> {
  const started = performance.now();
  const sandbox = await createLocalSandbox({ workspace: workspace(), ownsWorkspace: true, watchdogOnly });
  const result = await sandbox.exec('true');
  const elapsed = performance.now() - started;
  await sandbox.dispose();
  if (result.exitCode !== 0) throw new Error(`sandboxed 'true' failed: ${result.stderr}`);
  return elapsed;
}

const availability = await localSandboxAvailability();
if (!availability.ok) {
  console.warn(`bench:sandbox skipped: ${availability.reason}`);
  process.exit(0);
}

// Warm-up (page cache, git, bwrap binary).
await startAndRun();

const sandbox = await createLocalSandbox({ workspace: workspace(), ownsWorkspace: true });
const execTimes: number[] = [];
for (let i = 0; i < ITERATIONS; i++) {
  const started = performance.now();
  await sandbox.exec('true');
  execTimes.push(performance.now() - started);
}
await sandbox.dispose();

const startTimes: number[] = [];
for (let i = 0; i < ITERATIONS; i++) startTimes.push(await startAndRun());

const concurrentTimes: number[] = [];
let next = 0;
const wallStarted = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < ITERATIONS) {
      next++;
      concurrentTimes.push(await startAndRun());
    }
  }),
);
const wallSeconds = (performance.now() - wallStarted) / 1000;

console.log(`local sandbox (bubblewrap), ${ITERATIONS} iterations each`);
report('exec `true` in a running sandbox', execTimes);
report('start (fresh workspace + git baseline) + `true`', startTimes);
report(`start + \`true\` at concurrency ${CONCURRENCY} (latency)`, concurrentTimes);
console.log(`${`throughput at concurrency ${CONCURRENCY}`.padEnd(44)} ${(ITERATIONS / wallSeconds).toFixed(1)} sandboxes/s (${wallSeconds.toFixed(2)} s for ${ITERATIONS})`);

const kernel: number[] = [];
const fallback: number[] = [];
for (let i = 0; i < ITERATIONS; i++) {
  kernel.push(await startAndRun(false));
  fallback.push(await startAndRun(true));
}
const probe = await createLocalSandbox({ workspace: workspace(), ownsWorkspace: true, baseline: false });
const { enforcement } = probe;
await probe.dispose();
console.log(`\nwhole-sandbox limits here: memory by ${enforcement.memory}, processes by ${enforcement.processes}, workspace by ${enforcement.workspace}`);
report('start + `true`, kernel limits (cgroup, tmpfs)', kernel);
report('start + `true`, watchdog fallback only', fallback);
console.log(`${'overhead of the kernel limits (p50)'.padEnd(44)} ${(quantile(kernel, 0.5) - quantile(fallback, 0.5)).toFixed(1)} ms`);
