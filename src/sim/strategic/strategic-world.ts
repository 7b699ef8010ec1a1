import type { Random } from '../../core/random.js';
import { spreadForAuroc } from './signal-spread.js';

/** One worker of a strategic game: what it truly is, fixed over every round. */
export interface StrategicWorker {
  /** Worker id. */
  id: string;
  /** Its pass rate (the centre of its success log-odds). */
  passRate: number;
  /** Actual cost of one attempt, USD (the same on every task, so its honest ask is known). */
  costUsd: number;
  /** False keeps the worker honest every round (a non-strategic rival); default true. */
  learns?: boolean;
}

/** The fixed world of a strategic game: workers and each worker's true P(success) per task. */
export interface StrategicWorld {
  /** The workers, in roster order (ties go to the earlier one). */
  workers: StrategicWorker[];
  /**
   * `truth[w][t]`: worker w's true probability of solving task t, which is also its private,
   * calibrated belief: the honest report. Outcomes are drawn from it afresh every round.
   */
  truth: number[][];
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * A world of `tasks` tasks: worker w's probability on task t is σ(logit(passRate_w) + s_w·z_wt)
 * with z_wt = ρ·d_t + √(1 − ρ²)·e_wt (d_t a shared difficulty, e_wt the worker's own), and s_w
 * chosen so that the worker's calibrated beliefs reach AUROC `signalAuroc` against its outcomes.
 */
export function strategicWorld(options: {
  /** The workers. */
  workers: StrategicWorker[];
  /** Tasks auctioned every round. */
  tasks: number;
  /** AUROC every worker's private signal (its honest p) reaches. */
  signalAuroc: number;
  /** Correlation ρ of the workers' log-odds across tasks (shared difficulty); default 0.6. */
  sharedDifficulty?: number;
  /** Seeded random source for the tasks. */
  random: Random;
}): StrategicWorld {
  const { workers, tasks, signalAuroc, random } = options;
  const rho = options.sharedDifficulty ?? 0.6;
  const difficulty = Array.from({ length: tasks }, () => random.normal());
  const truth = workers.map((worker) => {
    const spread = spreadForAuroc({ base: worker.passRate, signalAuroc });
    const centre = Math.log(worker.passRate / (1 - worker.passRate));
    return difficulty.map((d) => sigmoid(centre + spread * (rho * d + Math.sqrt(1 - rho * rho) * random.normal())));
  });
  return { workers, truth };
}
