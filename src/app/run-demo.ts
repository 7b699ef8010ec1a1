import { mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULTS } from '../core/defaults.js';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultMechanismSpecs, type MechanismComparison, type ReplayReport, runReplay } from '../replay/index.js';
import type { Simulation, WorkerAggregate } from '../sim/index.js';
import { Store } from '../runtime/store/store.js';
import type { DemoObserver } from './demo-observer.js';
import { comparisonOf, demoSummaryMarkdown, keyPairs } from '../report/demo-summary.js';
import { simulateRun } from './simulate-run.js';

/** Options of `runDemo`. */
export interface DemoOptions {
  /** Folder the demo writes into (created if missing). */
  outDir: string;
  /** Seed of the simulation and of every replay draw. */
  seed?: number;
  /** Synthetic tasks (default 300, the size of SWE-bench Lite). */
  tasks?: number;
  /** The principal's value of a solved task, USD (default 1; also the scoring auctions' bounty). */
  value?: number;
  /** Most rounds per task (default 2). */
  maxAttempts?: number;
  /** Bootstrap resamples per paired comparison (default 10,000). */
  resamples?: number;
  /** Receives progress events. */
  observer?: DemoObserver;
}

/** Defaults of `runDemo`. */
export const DEMO_DEFAULTS = { seed: 1, tasks: 300, value: DEFAULTS.valueUsd, maxAttempts: DEFAULTS.maxAttempts, resamples: DEFAULTS.resamples, preset: 'paper' };

/** What the demo produced: paths to its files and the figures behind them. */
export interface DemoResult {
  /** The folder written into. */
  outDir: string;
  /** The SQLite store with the simulate run. */
  dbPath: string;
  /** The markdown summary. */
  summaryPath: string;
  /** Id of the simulate run in the store. */
  simulateRunId: string;
  /** Id of the replay run in the store (its config holds the settings, an event the results). */
  replayRunId: string;
  /** The simulated population. */
  simulation: Simulation;
  /** Per-worker aggregates of the simulated matrix. */
  aggregates: WorkerAggregate[];
  /** The replay of every mechanism over the stored matrix. */
  report: ReplayReport;
  /** The comparisons the summary shows (see `keyPairs`), oriented as listed there. */
  keyComparisons: MechanismComparison[];
  /** The mechanisms replayed, in report order. */
  mechanisms: string[];
}

/**
 * The built-in demo, with no keys and no network: simulates the `paper` population, stores it,
 * replays every registered mechanism (plus every worker solo) over the matrix read back from the
 * store, and writes `marketbench.db` and `summary.md` into `outDir`. Later reports (e.g. an HTML
 * page) can be written from the returned paths and report.
 */
export function runDemo(options: DemoOptions): DemoResult {
  const settings = {
    seed: options.seed ?? DEMO_DEFAULTS.seed,
    tasks: options.tasks ?? DEMO_DEFAULTS.tasks,
    value: options.value ?? DEMO_DEFAULTS.value,
    maxAttempts: options.maxAttempts ?? DEMO_DEFAULTS.maxAttempts,
    resamples: options.resamples ?? DEMO_DEFAULTS.resamples,
  };
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const dbPath = join(outDir, 'marketbench.db');
  const summaryPath = join(outDir, 'summary.md');
  const steps = ['simulate', 'replay', 'summary'] as const;
  const labels = {
    simulate: `simulate the ${DEMO_DEFAULTS.preset} population (${settings.tasks} tasks, seed ${settings.seed}) into ${dbPath}`,
    replay: 'replay every mechanism over the stored matrix',
    summary: `write ${summaryPath}`,
  };
  const step = <T>(name: (typeof steps)[number], work: () => T): T => {
    const index = steps.indexOf(name) + 1;
    options.observer?.onEvent?.({ type: 'step-start', step: name, label: labels[name], index, total: steps.length });
    const started = performance.now();
    const result = work();
    const elapsedMs = performance.now() - started;
    options.observer?.onEvent?.({ type: 'step-end', step: name, index, total: steps.length, elapsedMs });
    return result;
  };

  const store = Store.open(dbPath);
  try {
    const simulated = step('simulate', () =>
      simulateRun({ store, preset: DEMO_DEFAULTS.preset, tasks: settings.tasks, seed: settings.seed }),
    );
    const simulateRunId = simulated.run.id;
    const replayRunId = `replay-${simulateRunId}`;
    const { report, mechanisms, keyComparisons } = step('replay', () => {
      // Replay what the store holds, not the in-memory simulation: the demo shows the real path.
      const matrix = store.matrix({ runId: simulateRunId });
      const specs = demoMechanisms(matrix.workerIds, defaultMechanismSpecs(matrix));
      const replayed = runReplay({
        matrix,
        mechanisms: specs,
        value: settings.value,
        maxAttempts: settings.maxAttempts,
        seed: settings.seed,
        resamples: settings.resamples,
        source: `${dbPath} run ${simulateRunId}`,
      });
      const key = keyPairs(replayed).flatMap(([a, b]) => comparisonOf(replayed.comparisons, a, b) ?? []);
      store.transaction(() => {
        store.createRun({ kind: 'replay', id: replayRunId, seed: settings.seed, config: { source: simulateRunId, ...replayed.settings, mechanisms: specs } });
        store.appendEvent({ runId: replayRunId, type: 'replay-end', data: withoutPerTask(replayed) });
        store.setRunStatus(replayRunId, 'done');
      });
      return { report: replayed, mechanisms: Object.keys(replayed.mechanisms), keyComparisons: key };
    });
    step('summary', () => {
      writeFileSync(
        summaryPath,
        demoSummaryMarkdown({
          report,
          keyComparisons,
          aggregates: simulated.aggregates,
          simulateRunId,
          replayRunId,
          settings,
          dbFile: 'marketbench.db',
        }),
      );
    });
    return {
      outDir,
      dbPath,
      summaryPath,
      simulateRunId,
      replayRunId,
      simulation: simulated.simulation,
      aggregates: simulated.aggregates,
      report,
      keyComparisons,
      mechanisms,
    };
  } finally {
    store.close();
  }
}

/** Every worker solo (the reference rows), then the replay's default line-up without its solos. */
export function demoMechanisms(workerIds: readonly string[], defaults: readonly string[]): string[] {
  return [...workerIds.map((workerId) => `solo:${workerId}`), ...defaults.filter((spec) => !spec.startsWith('solo:'))];
}

function withoutPerTask(report: ReplayReport): Record<string, unknown> {
  return {
    ...report,
    mechanisms: Object.fromEntries(
      Object.entries(report.mechanisms).map(([name, { perTask: _perTask, ...rest }]) => [name, rest]),
    ),
  };
}
