/**
 * `npm run bench:learned-scale`: each learned mechanism replayed ALONE (`runReplay` with that one
 * spec, no bootstrap, one fold assignment unless `--fold-seeds N`) on simulated paper-preset
 * matrices of 2k and 20k tasks × 6 workers (`--sizes 2000,20000,100000` to choose). Each
 * (mechanism, size) runs in its own child process, so its peak RSS is its own. Prints the replay's
 * time, the peak RSS and the RSS the simulated matrix alone holds, and the 20k/2k time ratio per
 * mechanism (target ≤ 11: no faster than linear in tasks × workers).
 * `--mechanisms router:text,cascade:learned` runs a subset.
 */
import { loadavg } from 'node:os';
import { Random } from '../src/core/index.js';
import { runReplay } from '../src/replay/index.js';
import { paperPreset, simulateMatrix } from '../src/sim/index.js';
import { runJsonChild } from './json-child.js';

const SEED = 1;
const WORKERS = 6;
const DEFAULT_SIZES = [2000, 20000];
const DEFAULT_MECHANISMS = ['cascade:learned', 'router:learned', 'router:text', 'reputation'];
/** Learns nothing: the replay's own share of the time. */
const BASELINE = 'oracle';

interface ChildResult {
  mechanism: string;
  tasks: number;
  replayMs: number;
  simulatedRssBytes: number;
  maxRssBytes: number;
  solved: number;
}

/** Child mode: simulate one size, replay one mechanism; prints one JSON line. */
function child(mechanism: string, tasks: number, foldSeeds: number): void {
  const { matrix } = simulateMatrix({ spec: paperPreset, tasks, random: new Random(SEED) });
  const simulatedRssBytes = process.memoryUsage().rss;
  const started = performance.now();
  const report = runReplay({ matrix, mechanisms: [mechanism], resamples: 0, seed: SEED, value: 1, foldSeeds });
  const replayMs = performance.now() - started;
  const result = Object.values(report.mechanisms)[0];
  const out: ChildResult = {
    mechanism,
    tasks,
    replayMs,
    simulatedRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    solved: result?.solved ?? Number.NaN,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(mechanism: string, tasks: number, foldSeeds: number): Promise<ChildResult> {
  const args = ['--child', mechanism, String(tasks), String(foldSeeds)];
  return runJsonChild<ChildResult>({ benchUrl: import.meta.url, args, label: `${mechanism} at ${tasks} tasks` });
}

function listOption(name: string): string[] | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? '').split(',').filter((item) => item !== '') : undefined;
}

async function main(): Promise<void> {
  const sizes = (listOption('--sizes') ?? DEFAULT_SIZES.map(String)).map(Number);
  const mechanisms = listOption('--mechanisms') ?? DEFAULT_MECHANISMS;
  const foldSeeds = Number(listOption('--fold-seeds')?.[0] ?? 1);
  if (sizes.some((size) => !(Number.isInteger(size) && size > 0))) throw new Error(`--sizes needs positive integers, got '${sizes.join(',')}'`);
  if (!(Number.isInteger(foldSeeds) && foldSeeds >= 1)) throw new Error(`--fold-seeds needs a positive integer, got '${foldSeeds}'`);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  process.stdout.write(
    `learned-scale bench: one mechanism per child, ${WORKERS} workers (paper preset), seed ${SEED}, no bootstrap, fold seeds ${foldSeeds}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`,
  );
  const baseline = new Map<number, number>();
  for (const mechanism of [BASELINE, ...mechanisms.filter((name) => name !== BASELINE)]) {
    const times = new Map<number, number>();
    for (const tasks of sizes) {
      const r = await runChild(mechanism, tasks, foldSeeds);
      if (mechanism === BASELINE) baseline.set(tasks, r.replayMs);
      const net = r.replayMs - (baseline.get(tasks) ?? 0);
      times.set(tasks, mechanism === BASELINE ? r.replayMs : net);
      process.stdout.write(
        `  ${mechanism.padEnd(16)} ${String(tasks).padStart(6)} tasks  replay ${(r.replayMs / 1000).toFixed(2).padStart(7)} s${mechanism === BASELINE ? '' : ` (net ${(net / 1000).toFixed(2)} s)`}  peak RSS ${mib(r.maxRssBytes).padStart(9)} (matrix alone ${mib(r.simulatedRssBytes)})  solved ${r.solved}\n`,
      );
    }
    const small = times.get(2000);
    const large = times.get(20000);
    if (small && large) process.stdout.write(`  ${mechanism.padEnd(16)} ratio 20k/2k ${(large / small).toFixed(2)}${mechanism === BASELINE ? '' : ' (net)'} (target ≤ 11)\n`);
  }
}

if (process.argv[2] === '--child') child(process.argv[3] as string, Number(process.argv[4]), Number(process.argv[5]));
else await main();
