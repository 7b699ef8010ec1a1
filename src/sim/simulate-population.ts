import {
  type Attempt,
  blendedPrice,
  cellKey,
  type Forecast,
  type Matrix,
  type MatrixCell,
  parseModelRef,
  type Random,
  type Task,
  type Worker,
} from '../core/index.js';
import type { PopulationSpec } from './population-spec.js';
import { type FittedWorker, type SimulatedCell, simulateWorker } from './simulate-worker.js';
import { generateTasks } from './synthetic-tasks.js';

/** Options of `simulatePopulation`. */
export interface SimulatePopulationOptions {
  /** The population to simulate. */
  spec: PopulationSpec;
  /** Number of tasks. */
  tasks: number;
  /** The seeded stream (only forks of it are used, so it is not advanced). */
  random: Random;
  /**
   * Prefix of task ids; default `sim-<preset>-<seed>`, so runs of different seeds or presets
   * never overwrite each other's tasks in a store (tasks are global there).
   */
  taskIdPrefix?: string;
}

/** A simulated population: what a store or a replay consumes, plus the hidden truth. */
export interface Simulation {
  /** The spec that was simulated. */
  spec: PopulationSpec;
  /** The synthetic tasks (difficulty is in each task's `metadata`, never in `features`). */
  tasks: Task[];
  /** The workers (scaffold kind `simulated`; the fitted parameters are in `fitted`). */
  workers: Worker[];
  /** Direct-treatment forecasts, one per task × worker. */
  forecasts: Forecast[];
  /** First-round attempts, one per task × worker. */
  attempts: Attempt[];
  /** The task × worker matrix replay consumes. */
  matrix: Matrix;
  /** Fitted parameters per worker. */
  fitted: FittedWorker[];
  /** Every cell with its true probability, keyed by `cellKey(taskId, workerId)`. */
  cells: Map<string, SimulatedCell>;
}

/**
 * Simulates every worker of the population on freshly drawn synthetic tasks. Pure: the same spec,
 * task count and seed give the same simulation on every machine.
 */
export function simulatePopulation(options: SimulatePopulationOptions): Simulation {
  const { spec, random } = options;
  const idPrefix = options.taskIdPrefix ?? `sim-${spec.name}-${String(random.seed)}`;
  const synthetic = generateTasks({ spec, count: options.tasks, random, idPrefix });
  const tasks = synthetic.map((t) => t.task);
  const cells = new Map<string, SimulatedCell>();
  const fitted: FittedWorker[] = [];
  const workers: Worker[] = [];
  for (const workerSpec of spec.workers) {
    const result = simulateWorker({ spec, worker: workerSpec, tasks: synthetic, random });
    fitted.push(result.fitted);
    for (const cell of result.cells) cells.set(cellKey(cell.taskId, cell.workerId), cell);
    workers.push({
      id: workerSpec.id,
      model: workerSpec.model,
      provider: parseModelRef(workerSpec.model).provider,
      pricing: workerSpec.pricing,
      // Only the population's name: a worker row is global in a store and must read the same for
      // every seed; the per-run fitted parameters belong with the run.
      scaffold: { kind: 'simulated', options: { population: spec.name } },
      environment: { kind: 'none', options: {} },
    });
  }
  const forecasts: Forecast[] = [];
  const attempts: Attempt[] = [];
  const matrixCells = new Map<string, MatrixCell>();
  for (const task of tasks) {
    for (const worker of workers) {
      const cell = cells.get(cellKey(task.id, worker.id))!;
      forecasts.push(forecastOf(cell));
      attempts.push(attemptOf(cell));
      matrixCells.set(cellKey(task.id, worker.id), {
        taskId: task.id,
        workerId: worker.id,
        p: cell.statedP,
        expectedTokens: cell.expectedTokens,
        ask: null,
        resolved: cell.resolved,
        costUsd: cell.costUsd,
        tokens: cell.tokens,
      });
    }
  }
  const matrix: Matrix = {
    taskIds: tasks.map((t) => t.id),
    workerIds: workers.map((w) => w.id),
    cells: matrixCells,
    blendedPrice: Object.fromEntries(workers.map((w) => [w.id, blendedPrice(w.pricing)])),
    taskFeatures: Object.fromEntries(tasks.map((t) => [t.id, { ...t.features }])),
  };
  return { spec, tasks, workers, forecasts, attempts, matrix, fitted, cells };
}

function forecastOf(cell: SimulatedCell): Forecast {
  return {
    taskId: cell.taskId,
    workerId: cell.workerId,
    treatment: 'direct',
    repeat: 0,
    pSuccess: cell.statedP,
    expectedTokens: cell.expectedTokens,
    ask: null,
    valid: true,
    invalidReason: null,
    rawText: null,
    rationale: null,
  };
}

function attemptOf(cell: SimulatedCell): Attempt {
  return {
    taskId: cell.taskId,
    workerId: cell.workerId,
    round: 1,
    outcome: {
      resolved: cell.resolved,
      inputTokens: cell.inputTokens,
      outputTokens: cell.outputTokens,
      cachedTokens: 0,
      costUsd: cell.costUsd,
      // About 100 tokens a second of agent traffic: a 30k-token attempt takes five minutes.
      wallTimeMs: cell.tokens * 10,
      trajectoryRef: null,
      exitReason: 'simulated',
    },
  };
}
