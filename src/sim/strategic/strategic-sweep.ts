import { Random } from '../../core/random.js';
import { auroc } from '../../metrics/index.js';
import type { PopulationSpec } from '../population-spec.js';
import { DEFAULT_SHADING_GRID, type ShadingGrid } from './shading-grid.js';
import { type StageParams, STRATEGIC_MECHANISMS, type StrategicMechanism } from './stage-mechanisms.js';
import { type ShadingPathPoint, playStrategicGame, type StrategicGameResult } from './strategic-game.js';
import { type StrategicWorker, strategicWorld } from './strategic-world.js';

/** Defaults of a strategic sweep (one place). */
export const STRATEGIC_DEFAULTS = {
  tasks: 40,
  rounds: 200,
  seeds: 5,
  signalAuroc: 0.6,
  value: 1,
  penaltyRate: 0.1,
  reservePenalty: 2,
  maxReserve: 1,
  properBase: 0,
  properScale: 1,
  auditRate: 0.1,
} as const;

/** The stage parameters with every default filled in (bounty B = V unless given). */
export function stageParams(overrides: Partial<StageParams> = {}): StageParams {
  const value = overrides.value ?? STRATEGIC_DEFAULTS.value;
  return {
    value,
    bounty: overrides.bounty ?? value,
    penaltyRate: overrides.penaltyRate ?? STRATEGIC_DEFAULTS.penaltyRate,
    reservePenalty: overrides.reservePenalty ?? STRATEGIC_DEFAULTS.reservePenalty,
    maxReserve: overrides.maxReserve ?? STRATEGIC_DEFAULTS.maxReserve,
    properBase: overrides.properBase ?? STRATEGIC_DEFAULTS.properBase,
    properScale: overrides.properScale ?? STRATEGIC_DEFAULTS.properScale,
    auditRate: overrides.auditRate ?? STRATEGIC_DEFAULTS.auditRate,
  };
}

/** The workers of a simulation preset as strategic workers: its pass rates and median attempt costs. */
export function strategicWorkersFromPreset(spec: PopulationSpec): StrategicWorker[] {
  return spec.workers.map((worker) => ({
    id: worker.id,
    passRate: worker.passRate ?? 1 / (1 + Math.exp(-worker.ability)),
    costUsd: worker.tokens.median * ((worker.pricing.inputPerToken + worker.pricing.outputPerToken) / 2),
  }));
}

/** A mean over seeds with its 95% t-interval (the mean itself with one seed). */
export interface SeedInterval {
  /** Mean over seeds. */
  mean: number;
  /** Lower end of the 95% interval. */
  lo: number;
  /** Upper end of the 95% interval. */
  hi: number;
}

/** One mechanism's converged play, over seeds. */
export interface StrategicMechanismSummary {
  /** The mechanism. */
  mechanism: StrategicMechanism;
  /** Mean over learning workers of the converged p shift (> 0 overstates). */
  pShift: SeedInterval;
  /** Mean over learning workers of |converged p shift|. */
  absPShift: SeedInterval;
  /** Mean over learning workers of the converged ask shading (relative; > 0 asks more). */
  askShading: SeedInterval;
  /** Workers' total profit per task, USD. */
  workerProfit: SeedInterval;
  /** Workers' total profit per task when everyone reports honestly, USD. */
  honestWorkerProfit: SeedInterval;
  /** Principal's welfare V·solved − actual cost per task, USD. */
  welfare: SeedInterval;
  /** The same with honest reports on the same draws, USD. */
  honestWelfare: SeedInterval;
  /** Honest welfare − strategic welfare per task, USD (> 0: strategic reports cost welfare). */
  welfareLoss: SeedInterval;
  /** Share of tasks solved. */
  solvedRate: SeedInterval;
  /** Per worker: converged shading and profit per task, means over seeds. */
  workers: { id: string; pShift: number; askShading: number; profitPerTask: number }[];
  /** The learners' mean shading by round, mean over seeds. */
  path: ShadingPathPoint[];
}

/** The sweep: settings and one summary per mechanism. */
export interface StrategicSweepReport {
  /** What was run. */
  settings: {
    workers: StrategicWorker[];
    mechanisms: StrategicMechanism[];
    tasks: number;
    rounds: number;
    seeds: number[];
    signalAuroc: number;
    params: StageParams;
    grid: ShadingGrid;
    learner: string;
    convergedRounds: number;
  };
  /** Realised AUROC of the honest reports against one round's outcomes, mean over workers and seeds. */
  realizedAuroc: number;
  /** Realised Brier score of the honest reports against the same outcomes. */
  realizedBrier: number;
  /** One summary per mechanism, in the order asked. */
  mechanisms: StrategicMechanismSummary[];
}

/** Options of `sweepStrategic`. */
export interface StrategicSweepOptions {
  /** The workers. */
  workers: StrategicWorker[];
  /** Mechanisms to repeat (default all). */
  mechanisms?: readonly StrategicMechanism[];
  /** Tasks per round. */
  tasks?: number;
  /** Rounds per game. */
  rounds?: number;
  /** Seeds (one world and one game per seed and mechanism). */
  seeds: readonly number[];
  /** AUROC of the workers' private signals. */
  signalAuroc?: number;
  /** Stage parameters (defaults filled by `stageParams`). */
  params?: Partial<StageParams>;
  /** The reports workers choose from. */
  grid?: ShadingGrid;
  /** Multiplier κ of the learners' rate. */
  learningRate?: number;
  /** Called after each game, for progress. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * For each mechanism and seed: a world of fixed true abilities and signals, a repeated game with
 * learning workers, and the same game with honest workers on the same draws; the converged
 * shading, profits and welfare with 95% t-intervals over seeds.
 */
export function sweepStrategic(options: StrategicSweepOptions): StrategicSweepReport {
  const mechanisms = [...(options.mechanisms ?? STRATEGIC_MECHANISMS)];
  const tasks = options.tasks ?? STRATEGIC_DEFAULTS.tasks;
  const rounds = options.rounds ?? STRATEGIC_DEFAULTS.rounds;
  const signalAuroc = options.signalAuroc ?? STRATEGIC_DEFAULTS.signalAuroc;
  const params = stageParams(options.params);
  const grid = options.grid ?? DEFAULT_SHADING_GRID;
  const worlds = options.seeds.map((seed) =>
    strategicWorld({ workers: options.workers, tasks, signalAuroc, random: new Random(`${seed}:tasks`) }),
  );
  const quality = worlds.map((world, i) => signalQuality(world.truth, new Random(`${options.seeds[i]}:quality`)));
  const total = mechanisms.length * options.seeds.length;
  let done = 0;
  let convergedRounds = 0;
  const summaries = mechanisms.map((mechanism) => {
    const pairs = options.seeds.map((seed, i) => {
      const common = { world: worlds[i]!, mechanism, params, grid, rounds, seed, ...(options.learningRate === undefined ? {} : { learningRate: options.learningRate }) };
      const strategic = playStrategicGame(common);
      const honest = playStrategicGame({ ...common, honest: true });
      convergedRounds = strategic.convergedRounds;
      done += 1;
      options.onProgress?.(done, total);
      return { strategic, honest };
    });
    return summarize(mechanism, pairs, options.workers);
  });
  return {
    settings: {
      workers: options.workers,
      mechanisms,
      tasks,
      rounds,
      seeds: [...options.seeds],
      signalAuroc,
      params,
      grid,
      learner: `Hedge (multiplicative weights, full information), rate multiplier ${options.learningRate ?? 4}`,
      convergedRounds,
    },
    realizedAuroc: mean(quality.map((q) => q.auroc)),
    realizedBrier: mean(quality.map((q) => q.brier)),
    mechanisms: summaries,
  };
}

function summarize(
  mechanism: StrategicMechanism,
  pairs: { strategic: StrategicGameResult; honest: StrategicGameResult }[],
  workers: readonly StrategicWorker[],
): StrategicMechanismSummary {
  const learning = workers.map((worker) => worker.learns !== false);
  const learnerMean = (result: StrategicGameResult, pick: (w: StrategicGameResult['workers'][number]) => number) =>
    mean(result.workers.filter((_, w) => learning[w]).map(pick));
  const profit = (result: StrategicGameResult) => result.workers.reduce((sum, w) => sum + w.profitPerTask, 0);
  const rounds = pairs[0]?.strategic.path.length ?? 0;
  return {
    mechanism,
    pShift: seedInterval(pairs.map((p) => learnerMean(p.strategic, (w) => w.pShift))),
    absPShift: seedInterval(pairs.map((p) => learnerMean(p.strategic, (w) => Math.abs(w.pShift)))),
    askShading: seedInterval(pairs.map((p) => learnerMean(p.strategic, (w) => w.askShading))),
    workerProfit: seedInterval(pairs.map((p) => profit(p.strategic))),
    honestWorkerProfit: seedInterval(pairs.map((p) => profit(p.honest))),
    welfare: seedInterval(pairs.map((p) => p.strategic.welfarePerTask)),
    honestWelfare: seedInterval(pairs.map((p) => p.honest.welfarePerTask)),
    welfareLoss: seedInterval(pairs.map((p) => p.honest.welfarePerTask - p.strategic.welfarePerTask)),
    solvedRate: seedInterval(pairs.map((p) => p.strategic.solvedRate)),
    workers: workers.map((worker, w) => ({
      id: worker.id,
      pShift: mean(pairs.map((p) => p.strategic.workers[w]!.pShift)),
      askShading: mean(pairs.map((p) => p.strategic.workers[w]!.askShading)),
      profitPerTask: mean(pairs.map((p) => p.strategic.workers[w]!.profitPerTask)),
    })),
    path: Array.from({ length: rounds }, (_, r) => ({
      round: r + 1,
      pShift: mean(pairs.map((p) => p.strategic.path[r]!.pShift)),
      askShading: mean(pairs.map((p) => p.strategic.path[r]!.askShading)),
    })),
  };
}

function signalQuality(truth: number[][], random: Random): { auroc: number; brier: number } {
  const per = truth.map((row) => {
    const y = row.map((q) => (random.bernoulli(q) ? 1 : 0));
    const brier = mean(row.map((q, t) => (q - (y[t] as number)) ** 2));
    return { auroc: auroc({ p: row, y }), brier };
  });
  return { auroc: mean(per.map((q) => q.auroc).filter((a) => Number.isFinite(a))), brier: mean(per.map((q) => q.brier)) };
}

// Two-sided 97.5% quantiles of Student's t for 1–30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101,
  2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean over seeds with its 95% t-interval. */
export function seedInterval(values: readonly number[]): SeedInterval {
  const m = mean(values);
  if (values.length < 2) return { mean: m, lo: m, hi: m };
  const variance = values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1);
  const t = T975[values.length - 2] ?? 1.96;
  const half = t * Math.sqrt(variance / values.length);
  return { mean: m, lo: m - half, hi: m + half };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}
