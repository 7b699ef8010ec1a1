import {
  type Attempt,
  blendedPrice,
  cellKey,
  type Forecast,
  type Matrix,
  parseModelRef,
  type Random,
  type Task,
  type Worker,
} from '../core/index.js';
import type { PopulationSpec } from './population-spec.js';
import {
  type FittedWorker,
  type SimulatedCell,
  type SimulatedColumns,
  simulatedCellAt,
  simulateWorkerColumns,
} from './simulate-worker.js';
import { SimulatedCells } from './simulated-cells.js';
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

/** A simulated population's matrix only (`simulateMatrix`): no forecast, attempt or truth objects. */
export type SimulatedMatrix = Pick<Simulation, 'spec' | 'tasks' | 'workers' | 'matrix' | 'fitted'>;

/**
 * Simulates every worker of the population on freshly drawn synthetic tasks. Pure: the same spec,
 * task count and seed give the same simulation on every machine.
 */
export function simulatePopulation(options: SimulatePopulationOptions): Simulation {
  const drawn = simulateColumns(options);
  const { tasks, workers, columns } = drawn;
  const cells = new Map<string, SimulatedCell>();
  workers.forEach((worker, w) => {
    const workerColumns = columns[w] as SimulatedColumns;
    tasks.forEach((task, j) => {
      cells.set(cellKey(task.id, worker.id), simulatedCellAt({ columns: workerColumns, j, taskId: task.id, workerId: worker.id }));
    });
  });
  const forecasts: Forecast[] = [];
  const attempts: Attempt[] = [];
  for (const task of tasks) {
    for (const worker of workers) {
      const cell = cells.get(cellKey(task.id, worker.id))!;
      forecasts.push(forecastOf(cell));
      attempts.push(attemptOf(cell));
    }
  }
  return { spec: options.spec, tasks, workers, forecasts, attempts, matrix: matrixOf(drawn), fitted: drawn.fitted, cells };
}

/**
 * The same simulation as `simulatePopulation` (same draws, same matrix), building only the
 * matrix, whose cells are read from the workers' columns: for a replay, which needs nothing
 * else, no forecast, attempt or truth object is made (`simulatePopulation` makes three per cell).
 */
export function simulateMatrix(options: SimulatePopulationOptions): SimulatedMatrix {
  const drawn = simulateColumns(options);
  return { spec: options.spec, tasks: drawn.tasks, workers: drawn.workers, matrix: matrixOf(drawn), fitted: drawn.fitted };
}

interface DrawnPopulation {
  tasks: Task[];
  workers: Worker[];
  fitted: FittedWorker[];
  /** Per worker (in worker order), its cells as columns in task order. */
  columns: SimulatedColumns[];
}

/** The one code path for the draws: tasks, then each worker's cells as columns. */
function simulateColumns(options: SimulatePopulationOptions): DrawnPopulation {
  const { spec, random } = options;
  const idPrefix = options.taskIdPrefix ?? `sim-${spec.name}-${String(random.seed)}`;
  const synthetic = generateTasks({ spec, count: options.tasks, random, idPrefix });
  const fitted: FittedWorker[] = [];
  const columns: SimulatedColumns[] = [];
  const workers: Worker[] = [];
  for (const workerSpec of spec.workers) {
    const result = simulateWorkerColumns({ spec, worker: workerSpec, tasks: synthetic, random });
    fitted.push(result.fitted);
    columns.push(result.columns);
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
  return { tasks: synthetic.map((t) => t.task), workers, fitted, columns };
}

/** The task × worker matrix of drawn columns, cells in task-major order (read from the columns). */
function matrixOf({ tasks, workers, columns }: DrawnPopulation): Matrix {
  const taskIds = tasks.map((t) => t.id);
  const workerIds = workers.map((w) => w.id);
  return {
    taskIds,
    workerIds,
    cells: new SimulatedCells({ taskIds, workerIds, columns }),
    blendedPrice: Object.fromEntries(workers.map((w) => [w.id, blendedPrice(w.pricing)])),
    taskFeatures: Object.fromEntries(tasks.map((t) => [t.id, { ...t.features }])),
  };
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
