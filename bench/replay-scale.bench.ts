/**
 * `npm run bench:replay-scale`: replay of every default mechanism (10,000 paired bootstrap
 * resamples, the replay default) on simulated matrices of growing size — 2k, 20k and 100k tasks ×
 * the paper's 6 workers, and 20k tasks × 25 workers. Each size runs in its own child process, so
 * its peak RSS (the child's maxRSS) is its own. Prints per size the simulation and replay times
 * (wall and CPU), peak RSS (after the simulation, and overall) and where the replay's time went
 * per mechanism; then the ratios to the first size in units of cells (target: 20k/2k ≤ 11, no
 * faster than linear in tasks × workers; on a busy machine the CPU ratio is the steadier) and the
 * 100k × 6 peak RSS against its 1.5 GiB target.
 *
 * `--sizes 2000x6,20000x6` runs a subset; `--fold-seeds N` sets the fold assignments behind the
 * learned mechanisms' spread (default the replay's, 5; 1 fits each learned mechanism once, for a
 * quicker run on a busy machine: same data layout, less fitting); `--resamples N` the bootstrap
 * resamples (0 skips the intervals).
 */
import { loadavg } from 'node:os';
import { Random } from '../src/core/index.js';
import { runReplay } from '../src/replay/index.js';
import { simulateMatrix } from '../src/sim/index.js';
import { runJsonChild } from './json-child.js';
import { population } from './population.js';

const DEFAULT_RESAMPLES = 10_000;
const SEED = 1;
const DEFAULT_SIZES = ['2000x6', '20000x6', '100000x6', '20000x25'];
const MEMORY_TARGET_BYTES = 1.5 * 2 ** 30;
/** Mechanisms named in the per-size breakdown line (the rest are summed as "others"). */
const BREAKDOWN_TOP = 6;

interface ChildOptions {
  foldSeeds: number | undefined;
  resamples: number;
}

/** Child mode: one size, whole pipeline (simulate the matrix only, replay, compare); prints one JSON line. */
function child(size: string, options: ChildOptions): void {
  const [tasks, workers] = size.split('x').map(Number) as [number, number];
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const started = performance.now();
  const { matrix } = simulateMatrix({ spec: population(workers), tasks, random: new Random(SEED) });
  const simulated = performance.now();
  const simulateCpuMs = cpuMs();
  const simulateRssBytes = process.resourceUsage().maxRSS * 1024;
  const perMechanismMs: Record<string, number> = {};
  let last = simulated;
  const report = runReplay({
    matrix,
    resamples: options.resamples,
    seed: SEED,
    value: 1,
    maxAttempts: 2,
    ...(options.foldSeeds !== undefined && { foldSeeds: options.foldSeeds }),
    onMechanismEnd: (name) => {
      const now = performance.now();
      perMechanismMs[name] = now - last;
      last = now;
    },
  });
  const ended = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      size,
      tasks,
      workers,
      simulateMs: simulated - started,
      replayMs: ended - simulated,
      cpuMs: cpuMs(),
      simulateCpuMs,
      compareMs: ended - last,
      perMechanismMs,
      simulateRssBytes,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      mechanisms: Object.keys(report.mechanisms).length,
      comparisons: report.comparisons.length,
    })}\n`,
  );
}

interface SizeResult {
  size: string;
  tasks: number;
  workers: number;
  simulateMs: number;
  replayMs: number;
  /** CPU time of the whole child (user + system), less sensitive than wall time to a busy machine. */
  cpuMs: number;
  /** CPU time up to the end of the simulation (module loading included). */
  simulateCpuMs: number;
  /** Pairwise comparisons and frontier, after the last mechanism. */
  compareMs: number;
  /** Replay time per mechanism (the first includes the replay's set-up: forecasts, folds, views). */
  perMechanismMs: Record<string, number>;
  simulateRssBytes: number;
  maxRssBytes: number;
  wallMs: number;
  mechanisms: number;
  comparisons: number;
}

async function runChild(size: string, options: ChildOptions): Promise<SizeResult> {
  const args = ['--child', size, '--resamples', String(options.resamples)];
  if (options.foldSeeds !== undefined) args.push('--fold-seeds', String(options.foldSeeds));
  const started = performance.now();
  const result = await runJsonChild<Omit<SizeResult, 'wallMs'>>({ benchUrl: import.meta.url, args, label: `size ${size}` });
  return { ...result, wallMs: performance.now() - started };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** "router:text 41.0 s, router:learned 21.6 s, … others 3.1 s, compare 2.0 s". */
function breakdown(r: SizeResult): string {
  const entries = Object.entries(r.perMechanismMs).sort((a, b) => b[1] - a[1]);
  const named = entries.slice(0, BREAKDOWN_TOP).map(([name, ms]) => `${name} ${seconds(ms)}`);
  const others = entries.slice(BREAKDOWN_TOP).reduce((sum, [, ms]) => sum + ms, 0);
  return [...named, `${entries.length - Math.min(entries.length, BREAKDOWN_TOP)} others ${seconds(others)}`, `compare ${seconds(r.compareMs)}`].join(', ');
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--sizes');
  const sizes = at >= 0 ? (process.argv[at + 1] ?? '').split(',') : DEFAULT_SIZES;
  const options = { foldSeeds: foldSeedsOption(), resamples: resamplesOption() };
  process.stdout.write(
    `replay-scale bench: default mechanisms, ${options.resamples} bootstrap resamples, seed ${SEED}, fold seeds ${options.foldSeeds ?? 'default (5)'}; one child process per size; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`,
  );
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const r = await runChild(size, options);
    results.push(r);
    process.stdout.write(
      `  ${`${r.tasks} tasks × ${r.workers} workers`.padEnd(26)} wall ${seconds(r.wallMs).padStart(9)}  (simulate ${seconds(r.simulateMs)}, replay ${seconds(r.replayMs)}; CPU ${seconds(r.cpuMs)}, of it simulating ${seconds(r.simulateCpuMs)})  peak RSS ${mib(r.maxRssBytes).padStart(9)} (${mib(r.simulateRssBytes)} after simulating)  ${r.mechanisms} mechanisms, ${r.comparisons} pairs\n`,
    );
    process.stdout.write(`      per mechanism: ${breakdown(r)}\n`);
  }
  const base = results[0];
  if (base && results.length > 1) {
    process.stdout.write(`ratios to ${base.tasks} × ${base.workers} (linear growth = the cell ratio; target 20k/2k ≤ 11):\n`);
    for (const r of results.slice(1)) {
      const cells = (r.tasks * r.workers) / (base.tasks * base.workers);
      process.stdout.write(
        `  ${`${r.tasks} × ${r.workers}`.padEnd(12)} cells ×${cells.toFixed(1).padEnd(6)} wall ×${(r.wallMs / base.wallMs).toFixed(2)}  CPU ×${(r.cpuMs / base.cpuMs).toFixed(2)}  simulate ×${(r.simulateMs / base.simulateMs).toFixed(2)}  replay ×${(r.replayMs / base.replayMs).toFixed(2)}  peak RSS ×${(r.maxRssBytes / base.maxRssBytes).toFixed(2)}\n`,
      );
    }
  }
  const huge = results.find((r) => r.size === '100000x6');
  if (huge) {
    process.stdout.write(`100k × 6 peak RSS ${mib(huge.maxRssBytes)}: ratio ${(huge.maxRssBytes / MEMORY_TARGET_BYTES).toFixed(2)} to the 1.5 GiB target\n`);
  }
}

/** A non-negative integer option `--name N`, or undefined when absent. */
function integerOption(name: string, minimum: number): number | undefined {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(process.argv[at + 1]);
  if (!(Number.isInteger(value) && value >= minimum)) throw new Error(`${name} needs an integer ≥ ${minimum}, got '${process.argv[at + 1]}'`);
  return value;
}

/** `--fold-seeds N`, when given. */
function foldSeedsOption(): number | undefined {
  return integerOption('--fold-seeds', 1);
}

/** `--resamples N` (default the replay's 10,000). */
function resamplesOption(): number {
  return integerOption('--resamples', 0) ?? DEFAULT_RESAMPLES;
}

if (process.argv[2] === '--child') child(process.argv[3] as string, { foldSeeds: foldSeedsOption(), resamples: resamplesOption() });
else await main();
