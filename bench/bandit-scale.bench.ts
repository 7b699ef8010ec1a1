/**
 * `npm run bench:bandit`: replay under bandit feedback (tasks arrive in a seeded order; each batch
 * learner refits on its own attempts after 1, 2, 4, 8 tasks and then every 16) of the default
 * line-up, one arrival order, no bootstrap, on simulated matrices of 500 and 2,000 tasks × 12
 * workers (widened paper preset) whose tasks carry synthetic problem statements, so `router:text`
 * has words to search. Each size runs in its own child process, so its peak RSS is its own.
 * Prints per size the wall and CPU time, the peak RSS and the slowest mechanisms, then the
 * large/small ratios: 4 is linear in tasks, 16 quadratic.
 *
 * `--baseline DIR` also runs every size on another checkout's `src/` (e.g. a clone of main), side
 * by side, and says whether both gave the same results (a digest of every mechanism's figures).
 * `--sizes 500,2000`, `--workers 12` and `--mechanisms cascade:learned,router:text` choose the cases.
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Random } from '../src/core/index.js';
import type { runReplay as RunReplay } from '../src/replay/index.js';
import { simulateMatrix } from '../src/sim/index.js';
import { runJsonChild } from './json-child.js';
import { population } from './population.js';

const SEED = 1;
const VALUE = 5;
const DEFAULT_SIZES = [500, 2000];
const DEFAULT_WORKERS = 12;
/** Words of the synthetic statements' vocabulary, drawn with Zipf weights 1/rank. */
const VOCABULARY = 4000;
/** Words of a statement drawn from its repository's own band of the vocabulary (so text predicts the repository). */
const REPO_SHARE = 0.3;
const BREAKDOWN_TOP = 5;
const THIS_CHECKOUT = fileURLToPath(new URL('..', import.meta.url));

interface ChildResult {
  tasks: number;
  workers: number;
  replayMs: number;
  cpuMs: number;
  maxRssBytes: number;
  perMechanismMs: Record<string, number>;
  /** sha256 of every mechanism's figures: equal digests, equal results. */
  digest: string;
}

/** Seeded statements of 40–200 words: Zipf-distributed words, a share from the task's repository band. */
function statements(taskIds: readonly string[], repoOf: (taskId: string) => string): Map<string, string> {
  const cumulative = new Float64Array(VOCABULARY);
  let total = 0;
  for (let rank = 0; rank < VOCABULARY; rank++) {
    total += 1 / (rank + 1);
    cumulative[rank] = total;
  }
  const zipf = (random: Random): number => {
    const target = random.next() * total;
    let low = 0;
    let high = VOCABULARY - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const repos = [...new Set(taskIds.map(repoOf))].sort();
  const root = new Random(`${SEED}/statements`);
  return new Map(
    taskIds.map((taskId) => {
      const random = root.fork(taskId);
      const band = repos.indexOf(repoOf(taskId)) * 200;
      const length = 40 + random.int(161);
      const words = Array.from({ length }, () => (random.next() < REPO_SHARE ? `r${band + random.int(200)}` : `w${zipf(random)}`));
      return [taskId, words.join(' ')];
    }),
  );
}

/** Child mode: simulate one size, replay it under bandit feedback with `checkout`'s code; prints one JSON line. */
async function child(options: { tasks: number; workers: number; checkout: string; mechanisms: string[] | undefined }): Promise<void> {
  const { tasks, workers, checkout, mechanisms } = options;
  const replayModule = (await import(pathToFileURL(join(checkout, 'src', 'replay', 'index.ts')).href)) as { runReplay: typeof RunReplay };
  const { matrix } = simulateMatrix({ spec: population(workers), tasks, random: new Random(SEED) });
  const text = statements(matrix.taskIds, (taskId) => String(matrix.taskFeatures[taskId]?.repo ?? ''));
  for (const taskId of matrix.taskIds) matrix.taskFeatures[taskId] = { ...matrix.taskFeatures[taskId], statement: text.get(taskId) as string };
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const perMechanismMs: Record<string, number> = {};
  const cpuBefore = cpu();
  const started = performance.now();
  let last = started;
  const report = replayModule.runReplay({
    matrix,
    feedback: 'bandit',
    arrivalSeeds: 1,
    resamples: 0,
    seed: SEED,
    value: VALUE,
    ...(mechanisms && { mechanisms }),
    onMechanismEnd: (name) => {
      const now = performance.now();
      perMechanismMs[name] = now - last;
      last = now;
    },
  });
  const result: ChildResult = {
    tasks,
    workers,
    replayMs: performance.now() - started,
    cpuMs: cpu() - cpuBefore,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    perMechanismMs,
    digest: createHash('sha256').update(JSON.stringify(report.mechanisms)).digest('hex'),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function line(label: string, r: ChildResult): string {
  const slowest = Object.entries(r.perMechanismMs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, BREAKDOWN_TOP)
    .map(([name, ms]) => `${name} ${seconds(ms)}`)
    .join(', ');
  return `  ${label.padEnd(9)} ${String(r.tasks).padStart(6)} tasks × ${r.workers}  replay ${seconds(r.replayMs).padStart(9)}  CPU ${seconds(r.cpuMs).padStart(9)}  peak RSS ${mib(r.maxRssBytes).padStart(8)}  slowest: ${slowest}\n`;
}

function ratios(label: string, small: ChildResult, large: ChildResult): string {
  const growth = large.tasks / small.tasks;
  return `  ${label.padEnd(9)} ${large.tasks}/${small.tasks} tasks (×${growth}): time ×${(large.replayMs / small.replayMs).toFixed(2)}, CPU ×${(large.cpuMs / small.cpuMs).toFixed(2)}, peak RSS ×${(large.maxRssBytes / small.maxRssBytes).toFixed(2)} (linear ×${growth}, quadratic ×${growth * growth})\n`;
}

async function main(): Promise<void> {
  const sizes = (option('--sizes') ?? DEFAULT_SIZES.join(',')).split(',').map(Number);
  const workers = Number(option('--workers') ?? DEFAULT_WORKERS);
  const mechanisms = option('--mechanisms');
  const baseline = option('--baseline');
  if (sizes.some((size) => !(Number.isInteger(size) && size > 0))) throw new Error(`--sizes needs positive integers, got '${sizes.join(',')}'`);
  if (!(Number.isInteger(workers) && workers > 0)) throw new Error(`--workers needs a positive integer, got '${workers}'`);
  process.stdout.write(
    `bandit bench: replay --feedback bandit, ${mechanisms ?? 'default mechanisms'}, 1 arrival order, no bootstrap, V=${VALUE}, seed ${SEED}; one child per size and checkout; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  const checkouts: [string, string][] = [['this', THIS_CHECKOUT], ...(baseline === undefined ? [] : [['baseline', baseline] as [string, string]])];
  const results = new Map<string, ChildResult[]>(checkouts.map(([label]) => [label, []]));
  for (const tasks of sizes) {
    for (const [label, checkout] of checkouts) {
      const args = ['--child', String(tasks), String(workers), checkout, mechanisms ?? ''];
      const r = await runJsonChild<ChildResult>({ benchUrl: import.meta.url, args, label: `${label} at ${tasks} tasks` });
      results.get(label)?.push(r);
      process.stdout.write(line(label, r));
    }
    const [ours, theirs] = checkouts.map(([label]) => results.get(label)?.at(-1));
    if (ours && theirs) {
      process.stdout.write(
        `  ${tasks} tasks: baseline/this time ×${(theirs.replayMs / ours.replayMs).toFixed(2)}, CPU ×${(theirs.cpuMs / ours.cpuMs).toFixed(2)}; results ${ours.digest === theirs.digest ? 'identical' : 'DIFFER'}\n`,
      );
    }
  }
  for (const [label] of checkouts) {
    const runs = results.get(label) ?? [];
    const small = runs[0];
    const large = runs.at(-1);
    if (small && large && runs.length > 1) process.stdout.write(ratios(label, small, large));
  }
}

if (process.argv[2] === '--child') {
  const mechanisms = (process.argv[6] ?? '').split(',').filter((name) => name !== '');
  await child({ tasks: Number(process.argv[3]), workers: Number(process.argv[4]), checkout: process.argv[5] as string, mechanisms: mechanisms.length > 0 ? mechanisms : undefined });
} else await main();
