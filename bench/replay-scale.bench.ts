/**
 * `npm run bench:replay-scale`: replay of every default mechanism (10,000 paired bootstrap
 * resamples, the replay default) on simulated matrices of growing size — 2k, 20k and 100k tasks ×
 * the paper's 6 workers, and 20k tasks × 25 workers. Each size runs in its own child process, so
 * its peak RSS (the child's maxRSS) is its own. Prints time and peak RSS per size, the 20k/2k
 * ratios (target ≤ 11: no faster than linear in tasks × workers) and the 100k × 6 peak RSS against
 * its 1.5 GB target. `--sizes 2000x6,20000x6` runs a subset; `--fold-seeds N` sets the fold
 * assignments behind the learned mechanisms' spread (default the replay's, 5; 1 fits each learned
 * mechanism once, for a quicker run on a busy machine: same data layout, less fitting).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/core/index.js';
import { runReplay } from '../src/replay/index.js';
import { paperPreset, type PopulationSpec, simulatePopulation } from '../src/sim/index.js';

const RESAMPLES = 10_000;
const SEED = 1;
const DEFAULT_SIZES = ['2000x6', '20000x6', '100000x6', '20000x25'];
const MEMORY_TARGET_BYTES = 1.5 * 2 ** 30;

/** The paper population widened to `workers` workers (copies of the six, ids suffixed). */
function population(workers: number): PopulationSpec {
  const base = paperPreset.workers;
  if (workers <= base.length) return { ...paperPreset, workers: base.slice(0, workers) };
  return {
    ...paperPreset,
    workers: Array.from({ length: workers }, (_, i) => {
      const worker = base[i % base.length] as (typeof base)[number];
      const copy = Math.floor(i / base.length);
      return copy === 0 ? worker : { ...worker, id: `${worker.id}-${copy}`, ability: worker.ability - 0.1 * copy };
    }),
  };
}

/** Child mode: one size, whole pipeline (simulate, replay, compare); prints one JSON line. */
function child(size: string, foldSeeds: number | undefined): void {
  const [tasks, workers] = size.split('x').map(Number) as [number, number];
  const started = performance.now();
  const { matrix } = simulatePopulation({ spec: population(workers), tasks, random: new Random(SEED) });
  const simulated = performance.now();
  const report = runReplay({ matrix, resamples: RESAMPLES, seed: SEED, value: 1, maxAttempts: 2, ...(foldSeeds !== undefined && { foldSeeds }) });
  const ended = performance.now();
  const solved = Object.values(report.mechanisms).map((m) => m.solved);
  process.stdout.write(
    `${JSON.stringify({ size, tasks, workers, simulateMs: simulated - started, replayMs: ended - simulated, maxRssBytes: process.resourceUsage().maxRSS * 1024, mechanisms: solved.length, comparisons: report.comparisons.length })}\n`,
  );
}

interface SizeResult {
  size: string;
  tasks: number;
  workers: number;
  simulateMs: number;
  replayMs: number;
  maxRssBytes: number;
  wallMs: number;
  mechanisms: number;
  comparisons: number;
}

function runChild(size: string, foldSeeds: number | undefined): Promise<SizeResult> {
  const self = fileURLToPath(import.meta.url);
  const loader = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));
  const started = performance.now();
  const proc = spawn(process.execPath, ['--max-old-space-size=8192', '--import', loader, self, '--child', size, ...(foldSeeds !== undefined ? ['--fold-seeds', String(foldSeeds)] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`size ${size}: child exited with ${code ?? signal}`));
      else resolve({ ...(JSON.parse(text.trim()) as Omit<SizeResult, 'wallMs'>), wallMs: performance.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--sizes');
  const sizes = at >= 0 ? (process.argv[at + 1] ?? '').split(',') : DEFAULT_SIZES;
  const foldSeeds = foldSeedsOption();
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  process.stdout.write(
    `replay-scale bench: default mechanisms, ${RESAMPLES} bootstrap resamples, seed ${SEED}, fold seeds ${foldSeeds ?? 'default (5)'}; one child process per size; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`,
  );
  const results = new Map<string, SizeResult>();
  for (const size of sizes) {
    const r = await runChild(size, foldSeeds);
    results.set(size, r);
    process.stdout.write(
      `  ${`${r.tasks} tasks × ${r.workers} workers`.padEnd(26)} wall ${(r.wallMs / 1000).toFixed(2).padStart(7)} s  (simulate ${(r.simulateMs / 1000).toFixed(2)} s, replay ${(r.replayMs / 1000).toFixed(2)} s)  peak RSS ${mib(r.maxRssBytes).padStart(9)}  ${r.mechanisms} mechanisms, ${r.comparisons} pairs\n`,
    );
  }
  const small = results.get('2000x6');
  const large = results.get('20000x6');
  if (small && large) {
    process.stdout.write(
      `ratio 20k/2k (10× the cells): time ${(large.wallMs / small.wallMs).toFixed(2)}, peak RSS ${(large.maxRssBytes / small.maxRssBytes).toFixed(2)}; target ≤ 11\n`,
    );
  }
  const huge = results.get('100000x6');
  if (huge) {
    process.stdout.write(`100k × 6 peak RSS ${mib(huge.maxRssBytes)}: ratio ${(huge.maxRssBytes / MEMORY_TARGET_BYTES).toFixed(2)} to the 1.5 GiB target\n`);
  }
}

/** `--fold-seeds N`, when given. */
function foldSeedsOption(): number | undefined {
  const at = process.argv.indexOf('--fold-seeds');
  if (at < 0) return undefined;
  const value = Number(process.argv[at + 1]);
  if (!(Number.isInteger(value) && value >= 1)) throw new Error(`--fold-seeds needs a positive integer, got '${process.argv[at + 1]}'`);
  return value;
}

if (process.argv[2] === '--child') child(process.argv[3] as string, foldSeedsOption());
else await main();
