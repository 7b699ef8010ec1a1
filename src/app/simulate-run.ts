import { Random, type Run } from '../core/index.js';
import {
  getPreset,
  type PopulationSpec,
  type Simulation,
  simulatePopulation,
  type WorkerAggregate,
  withInformativeness,
  withSignalAuroc,
  workerAggregates,
} from '../sim/index.js';
import { jobKey } from '../runtime/store/job-key.js';
import type { Store } from '../runtime/store/store.js';

/** Options of `simulateRun`. */
export interface SimulateRunOptions {
  /** The store the run is written to. */
  store: Store;
  /** Name of a built-in population (`paper`). */
  preset: string;
  /** Number of synthetic tasks. */
  tasks: number;
  /** Seed of the simulation. */
  seed: number;
  /** When given, every worker's stated p is fitted to this within-worker AUROC, see `withSignalAuroc`. */
  signalAuroc?: number | undefined;
  /** Deprecated (use `signalAuroc`): every worker's bids made this informative (0 to 1), see `withInformativeness`. */
  informativeness?: number | undefined;
  /** Run id; default `simulate-<preset>-s<seed>-n<tasks>[-i<informativeness>]`, so a rerun rewrites. */
  runId?: string;
  /** Creation time of the run (ISO), for stores that must compare equal; default now. */
  createdAt?: string;
}

/** What `simulateRun` wrote and computed. */
export interface SimulateRunResult {
  /** The run row. */
  run: Run;
  /** The simulation (tasks, workers, matrix and the hidden truth). */
  simulation: Simulation;
  /** Per-worker aggregates of the simulated matrix. */
  aggregates: WorkerAggregate[];
}

/**
 * Simulates a built-in population and writes it to the store as a run of kind `simulate`: tasks,
 * workers, one direct forecast and one first-round attempt per task × worker, in one transaction.
 * The default run id and the job keys depend only on the options, so the same options rewrite the
 * same rows and the store's contents are the same (timestamps aside).
 */
export function simulateRun(options: SimulateRunOptions): SimulateRunResult {
  const spec = populationFor(options);
  const simulation = simulatePopulation({ spec, tasks: options.tasks, random: new Random(options.seed) });
  const runId = options.runId ?? defaultSimulateRunId(options);
  const { store } = options;
  const run = store.transaction(() => {
    const created = store.createRun({
      kind: 'simulate',
      id: runId,
      seed: options.seed,
      createdAt: options.createdAt,
      config: {
        preset: options.preset,
        tasks: options.tasks,
        signalAuroc: options.signalAuroc ?? null,
        informativeness: options.informativeness ?? null,
        spec,
        fitted: simulation.fitted,
      },
    });
    store.upsertTasks(simulation.tasks);
    store.upsertWorkers(simulation.workers);
    for (const forecast of simulation.forecasts) {
      const key = jobKey({ run: runId, kind: 'forecast', task: forecast.taskId, worker: forecast.workerId, treatment: 'direct', repeat: 0 });
      store.putForecast({ runId, jobKey: key, forecast });
    }
    for (const attempt of simulation.attempts) {
      const key = jobKey({ run: runId, kind: 'attempt', task: attempt.taskId, worker: attempt.workerId, round: attempt.round });
      store.putAttempt({ runId, jobKey: key, attempt });
    }
    store.setRunStatus(runId, 'done');
    return { ...created, status: 'done' as const };
  });
  return { run, simulation, aggregates: workerAggregates(simulation.matrix) };
}

/** The default id of a simulate run for these options. */
export function defaultSimulateRunId(
  options: Pick<SimulateRunOptions, 'preset' | 'seed' | 'tasks' | 'informativeness' | 'signalAuroc'>,
): string {
  const level =
    (options.signalAuroc === undefined ? '' : `-a${options.signalAuroc}`) +
    (options.informativeness === undefined ? '' : `-i${options.informativeness}`);
  return `simulate-${options.preset}-s${options.seed}-n${options.tasks}${level}`;
}

function populationFor(options: Pick<SimulateRunOptions, 'preset' | 'informativeness' | 'signalAuroc'>): PopulationSpec {
  const spec = getPreset(options.preset);
  if (options.signalAuroc !== undefined) return withSignalAuroc(spec, options.signalAuroc);
  return options.informativeness === undefined ? spec : withInformativeness(spec, options.informativeness);
}
