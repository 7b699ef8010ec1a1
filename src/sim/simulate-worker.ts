import { cellKey, costOf, type Random } from '../core/index.js';
import { auroc } from '../metrics/auroc.js';
import { bisect } from './bisect.js';
import { sigmoid } from '../core/logistic.js';
import { median } from './median.js';
import type { PopulationSpec, SimWorkerSpec } from './population-spec.js';
import { snapToGrid } from './stated-probability.js';
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

/** Widest resolution the AUROC fit searches (either sign): far beyond any measured self-knowledge. */
const RESOLUTION_RANGE = 8;

interface CellDraws {
  privateFit: number;
  outcomeUniform: number;
  statedZ: number;
  tokenZ: number;
  forecastZ: number;
}

/**
 * Simulates one worker on every task. All randomness is drawn first (one fork per cell), then
 * ability, bias and token offsets are fitted on the drawn sample with those draws held fixed:
 * the expected pass rate and the mean stated p then equal their targets on this task set, and
 * only the Bernoulli outcome draw separates the realised pass rate from the target.
 */
export function simulateWorker(options: SimulateWorkerOptions): { fitted: FittedWorker; cells: SimulatedCell[] } {
  const { spec, worker, tasks, random } = options;
  const affinity = new Map<string, number>();
  for (const repo of spec.repos) {
    affinity.set(repo.name, random.fork(`affinity/${worker.id}/${repo.name}`).normal(0, spec.affinitySd));
  }
  const draws: CellDraws[] = tasks.map(({ task }) => {
    const draw = random.fork(`cell/${task.id}/${worker.id}`);
    return {
      privateFit: draw.normal(0, spec.privateSd),
      outcomeUniform: draw.next(),
      statedZ: draw.normal(),
      tokenZ: draw.normal(),
      forecastZ: draw.normal(),
    };
  });
  // Log-odds without the ability: −δ + affinity + private fit.
  const offsets = tasks.map((t, j) => -t.difficulty + (affinity.get(t.repo) ?? 0) + draws[j]!.privateFit);

  const ability =
    worker.passRate === undefined
      ? worker.ability
      : bisect({ f: (theta) => meanOf(offsets, (o) => sigmoid(theta + o)), target: worker.passRate, low: -30, high: 30 });
  const trueLogits = offsets.map((o) => ability + o);
  const resolved = trueLogits.map((l, j) => draws[j]!.outcomeUniform < sigmoid(l));

  const stated = worker.stated;
  // What the worker perceives of its own fit does not depend on the bias, so the bias fit only
  // shifts and re-snaps these.
  const perceivedAt = (resolution: number) =>
    trueLogits.map((trueLogit, j) => resolution * (trueLogit - ability) + stated.noise * draws[j]!.statedZ);
  const statedAt = (perceived: readonly number[], bias: number) =>
    perceived.map((x) => snapToGrid({ p: sigmoid(ability + bias + x), anchorLogit: ability + bias, step: stated.step }));
  const fitBias = (perceived: readonly number[]) =>
    stated.meanP === undefined
      ? stated.bias
      : bisect({ f: (b) => meanOf(statedAt(perceived, b), (p) => p), target: stated.meanP, low: -30, high: 30 });
  const outcomes = resolved.map((r) => (r ? 1 : 0));
  // AUROC grows with the resolution (the signal's share of the true log-odds against fixed noise),
  // so a target AUROC is reached by bisection, each step with its own mean-p bias fit.
  const resolution =
    stated.auroc === undefined
      ? stated.resolution
      : bisect({
          f: (r) => {
            const perceived = perceivedAt(r);
            const value = auroc({ p: statedAt(perceived, fitBias(perceived)), y: outcomes });
            return Number.isNaN(value) ? 0.5 : value;
          },
          target: stated.auroc,
          low: -RESOLUTION_RANGE,
          high: RESOLUTION_RANGE,
          iterations: 40,
        });
  const perceived = perceivedAt(resolution);
  const bias = fitBias(perceived);
  const statedP = statedAt(perceived, bias);

  const tokenSpec = worker.tokens;
  const rawLogTokens = tasks.map(
    (t, j) =>
      spec.taskSizeSd * t.size + tokenSpec.logSd * draws[j]!.tokenZ + (resolved[j] ? 0 : spec.failureLogTokens),
  );
  const rawMedian = median(rawLogTokens);
  const tokenLogOffset = Math.log(tokenSpec.median) - rawMedian;
  const tokens = rawLogTokens.map((raw) => Math.max(2, Math.round(Math.exp(tokenLogOffset + raw))));
  // The forecast sees a share of how far this attempt's log tokens sit from the worker's median.
  const rawForecast = rawLogTokens.map(
    (raw, j) => tokenSpec.forecastResolution * (raw - rawMedian) + tokenSpec.forecastNoise * draws[j]!.forecastZ,
  );
  const forecastLogOffset =
    Math.log(tokenSpec.forecastRatio) - median(rawForecast.map((f, j) => f - Math.log(tokens[j]!)));

  const cells = tasks.map(({ task }, j): SimulatedCell => {
    const total = tokens[j]!;
    const inputTokens = Math.ceil(total / 2);
    const outputTokens = total - inputTokens;
    return {
      taskId: task.id,
      workerId: worker.id,
      trueLogit: trueLogits[j]!,
      trueP: sigmoid(trueLogits[j]!),
      resolved: resolved[j]!,
      statedP: statedP[j]!,
      expectedTokens: roundSignificant(Math.exp(forecastLogOffset + rawForecast[j]!), 2),
      tokens: total,
      inputTokens,
      outputTokens,
      costUsd: costOf({ inputTokens, outputTokens }, worker.pricing),
    };
  });
  return {
    fitted: {
      workerId: worker.id,
      ability,
      bias,
      resolution,
      noise: stated.noise,
      tokenLogOffset,
      forecastLogOffset,
    },
    cells,
  };
}

/** Key of a simulated cell (same as the matrix's). */
export function simulatedCellKey(cell: Pick<SimulatedCell, 'taskId' | 'workerId'>): string {
  return cellKey(cell.taskId, cell.workerId);
}

function meanOf(values: readonly number[], map: (value: number) => number): number {
  let sum = 0;
  for (const value of values) sum += map(value);
  return sum / values.length;
}

function roundSignificant(value: number, digits: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - digits + 1);
  return Math.max(1, Math.round(value / magnitude) * magnitude);
}
