import { cellKey, costOf, type Random } from '../core/index.js';
import { sigmoid } from '../core/logistic.js';
import { bisect } from './bisect.js';
import { median } from './median.js';
import type { PopulationSpec, SimWorkerSpec } from './population-spec.js';
import { fitStated } from './stated-fit.js';
import type { SyntheticTask } from './synthetic-tasks.js';

/** What the simulation drew and derived for one worker on one task. */
export interface SimulatedCell {
  /** The task. */
  taskId: string;
  /** The worker. */
  workerId: string;
  /** True log-odds of success θ − δ + affinity + private fit. */
  trueLogit: number;
  /** True probability of success σ(trueLogit). */
  trueP: number;
  /** Whether the attempt resolved the task (a Bernoulli draw with probability trueP). */
  resolved: boolean;
  /** The stated probability. */
  statedP: number;
  /** The stated expected tokens (two significant figures, as people and models round). */
  expectedTokens: number;
  /** Actual tokens of the attempt. */
  tokens: number;
  /** Input tokens (half the total: the blended price assumes an even split). */
  inputTokens: number;
  /** Output tokens (the other half). */
  outputTokens: number;
  /** Cost of the attempt in USD. */
  costUsd: number;
}

/** The parameters a worker ended up with after the fits. */
export interface FittedWorker {
  /** The worker. */
  workerId: string;
  /** Ability θ (fitted when the spec gives a pass rate). */
  ability: number;
  /** Stated log-odds bias (fitted when the spec gives a mean p). */
  bias: number;
  /** Resolution actually used. */
  resolution: number;
  /** Stated-p noise actually used. */
  noise: number;
  /** Log-token offset that puts the sample median of actual tokens on the spec's median. */
  tokenLogOffset: number;
  /** Log offset that puts the sample median forecast ÷ actual ratio on the spec's ratio. */
  forecastLogOffset: number;
}

/** Options of `simulateWorker`. */
export interface SimulateWorkerOptions {
  /** The population (for its shared parameters). */
  spec: PopulationSpec;
  /** The worker. */
  worker: SimWorkerSpec;
  /** The tasks. */
  tasks: readonly SyntheticTask[];
  /** The simulation's stream; each cell draws from its own fork. */
  random: Random;
}

/** A worker's simulated cells as columns aligned with the task list (what every output is built from). */
export interface SimulatedColumns {
  /** True log-odds of success per task. */
  trueLogit: Float64Array;
  /** 1 when the attempt resolved the task. */
  resolved: Uint8Array;
  /** Stated probability per task. */
  statedP: Float64Array;
  /** Stated expected tokens per task. */
  expectedTokens: Float64Array;
  /** Actual tokens per task. */
  tokens: Float64Array;
  /** Cost of the attempt in USD per task. */
  costUsd: Float64Array;
}

/**
 * Simulates one worker on every task. All randomness is drawn first (one fork per cell), then
 * ability, bias and token offsets are fitted on the drawn sample with those draws held fixed:
 * the expected pass rate and the mean stated p then equal their targets on this task set, and
 * only the Bernoulli outcome draw separates the realised pass rate from the target. The cells
 * come back as typed-array columns (about 45 bytes a cell), so a caller builds only the objects
 * it needs.
 */
export function simulateWorkerColumns(options: SimulateWorkerOptions): { fitted: FittedWorker; columns: SimulatedColumns } {
  const { spec, worker, tasks, random } = options;
  const n = tasks.length;
  const affinity = new Map<string, number>();
  for (const repo of spec.repos) {
    affinity.set(repo.name, random.fork(`affinity/${worker.id}/${repo.name}`).normal(0, spec.affinitySd));
  }
  // Log-odds without the ability: −δ + affinity + private fit; then the cell's other draws.
  const offsets = new Float64Array(n);
  const outcomeUniform = new Float64Array(n);
  const statedZ = new Float64Array(n);
  const tokenZ = new Float64Array(n);
  const forecastZ = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const t = tasks[j] as SyntheticTask;
    const draw = random.fork(`cell/${t.task.id}/${worker.id}`);
    const privateFit = draw.normal(0, spec.privateSd);
    outcomeUniform[j] = draw.next();
    statedZ[j] = draw.normal();
    tokenZ[j] = draw.normal();
    forecastZ[j] = draw.normal();
    offsets[j] = -t.difficulty + (affinity.get(t.repo) ?? 0) + privateFit;
  }

  const ability =
    worker.passRate === undefined
      ? worker.ability
      : bisect({ f: (theta) => meanSigmoid(offsets, theta), target: worker.passRate, low: -30, high: 30 });
  const trueLogit = new Float64Array(n);
  const resolved = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    trueLogit[j] = ability + (offsets[j] as number);
    resolved[j] = (outcomeUniform[j] as number) < sigmoid(trueLogit[j] as number) ? 1 : 0;
  }
  const { bias, resolution, statedP } = fitStated({ stated: worker.stated, ability, trueLogits: trueLogit, statedZ, outcomes: resolved });

  const tokenSpec = worker.tokens;
  const rawLogTokens = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const t = tasks[j] as SyntheticTask;
    rawLogTokens[j] = spec.taskSizeSd * t.size + tokenSpec.logSd * (tokenZ[j] as number) + (resolved[j] ? 0 : spec.failureLogTokens);
  }
  const rawMedian = median(rawLogTokens);
  const tokenLogOffset = Math.log(tokenSpec.median) - rawMedian;
  const tokens = new Float64Array(n);
  // The forecast sees a share of how far this attempt's log tokens sit from the worker's median.
  const rawForecast = new Float64Array(n);
  const forecastGap = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const raw = rawLogTokens[j] as number;
    tokens[j] = Math.max(2, Math.round(Math.exp(tokenLogOffset + raw)));
    rawForecast[j] = tokenSpec.forecastResolution * (raw - rawMedian) + tokenSpec.forecastNoise * (forecastZ[j] as number);
    forecastGap[j] = (rawForecast[j] as number) - Math.log(tokens[j] as number);
  }
  const forecastLogOffset = Math.log(tokenSpec.forecastRatio) - median(forecastGap);
  const expectedTokens = new Float64Array(n);
  const costUsd = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    expectedTokens[j] = roundSignificant(Math.exp(forecastLogOffset + (rawForecast[j] as number)), 2);
    const { inputTokens, outputTokens } = splitTokens(tokens[j] as number);
    costUsd[j] = costOf({ inputTokens, outputTokens }, worker.pricing);
  }
  return {
    fitted: { workerId: worker.id, ability, bias, resolution, noise: worker.stated.noise, tokenLogOffset, forecastLogOffset },
    columns: { trueLogit, resolved, statedP, expectedTokens, tokens, costUsd },
  };
}

/** Simulates one worker on every task (`simulateWorkerColumns`), as one object per cell. */
export function simulateWorker(options: SimulateWorkerOptions): { fitted: FittedWorker; cells: SimulatedCell[] } {
  const { fitted, columns } = simulateWorkerColumns(options);
  const cells = options.tasks.map(({ task }, j) => simulatedCellAt({ columns, j, taskId: task.id, workerId: options.worker.id }));
  return { fitted, cells };
}

/** The simulated cell of task j (aligned with the columns) as an object. */
export function simulatedCellAt(options: { columns: SimulatedColumns; j: number; taskId: string; workerId: string }): SimulatedCell {
  const { columns, j } = options;
  const total = columns.tokens[j] as number;
  const trueLogit = columns.trueLogit[j] as number;
  return {
    taskId: options.taskId,
    workerId: options.workerId,
    trueLogit,
    trueP: sigmoid(trueLogit),
    resolved: columns.resolved[j] === 1,
    statedP: columns.statedP[j] as number,
    expectedTokens: columns.expectedTokens[j] as number,
    tokens: total,
    ...splitTokens(total),
    costUsd: columns.costUsd[j] as number,
  };
}

/** Key of a simulated cell (same as the matrix's). */
export function simulatedCellKey(cell: Pick<SimulatedCell, 'taskId' | 'workerId'>): string {
  return cellKey(cell.taskId, cell.workerId);
}

/** Input tokens are half the total (the blended price assumes an even split), rounded up. */
function splitTokens(total: number): { inputTokens: number; outputTokens: number } {
  const inputTokens = Math.ceil(total / 2);
  return { inputTokens, outputTokens: total - inputTokens };
}

function meanSigmoid(offsets: Float64Array, theta: number): number {
  let sum = 0;
  for (let j = 0; j < offsets.length; j++) sum += sigmoid(theta + (offsets[j] as number));
  return sum / offsets.length;
}

function roundSignificant(value: number, digits: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - digits + 1);
  return Math.max(1, Math.round(value / magnitude) * magnitude);
}
