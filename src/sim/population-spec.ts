import { z } from 'zod';
import { PricingSchema } from '../core/index.js';

/** How one simulated worker states its probability of success (all on the logit scale). */
export const StatedProbabilitySpecSchema = z.object({
  /**
   * Target mean stated p over the simulated tasks; when set, the bias is fitted to reach it and
   * `bias` is ignored.
   */
  meanP: z.number().gt(0).lt(1).optional(),
  /** Shift of the stated log-odds: > 0 over-confident, < 0 under-confident. */
  bias: z.number().default(0),
  /** Share of the worker's true log-odds deviation it perceives: 0 says one number, 1 knows. */
  resolution: z.number().min(0).max(1),
  /**
   * Target within-worker AUROC of the stated p over the simulated tasks (the signal-quality knob
   * shared with replay, `signalAuroc`); when set, the resolution is fitted to reach it (negative
   * below ½: a worker whose confidence points the wrong way) and `resolution` is ignored.
   */
  auroc: z.number().gt(0).lt(1).optional(),
  /** Standard deviation of Gaussian noise added to the stated log-odds. */
  noise: z.number().nonnegative(),
  /** Spacing of the values the worker says, anchored on its typical p (0.1 at 0.62 gives 0.52, 0.62, 0.72); 0 = unrounded. */
  step: z.number().min(0).max(0.5).default(0),
});

/** How one simulated worker states its probability of success. */
export type StatedProbabilitySpec = z.infer<typeof StatedProbabilitySpecSchema>;

/** Actual token use of one simulated worker and how it forecasts it. */
export const TokenSpecSchema = z.object({
  /** Median actual tokens of an attempt over the simulated tasks (fitted on the sample). */
  median: z.number().positive(),
  /** Standard deviation of the worker's own log-token noise (on top of task size and failure). */
  logSd: z.number().nonnegative(),
  /** Median of forecast ÷ actual tokens (fitted on the sample); 0.25 forecasts a quarter. */
  forecastRatio: z.number().positive(),
  /** Share of the deviation of its log tokens from their median that the forecast reflects. */
  forecastResolution: z.number().min(0).max(1),
  /** Standard deviation of Gaussian noise in the log forecast. */
  forecastNoise: z.number().nonnegative(),
});

/** Actual token use of one simulated worker and how it forecasts it. */
export type TokenSpec = z.infer<typeof TokenSpecSchema>;

/** One simulated worker: true ability, how it reports, what it costs. */
export const SimWorkerSpecSchema = z.object({
  /** Worker id, e.g. `claude-opus-4.5`. */
  id: z.string().min(1),
  /** Model reference `provider:model`. */
  model: z.string().min(1),
  /** Token prices; the blended price (mean of input and output) prices every attempt. */
  pricing: PricingSchema,
  /** Target expected pass rate over the simulated tasks; when set, `ability` is fitted to it. */
  passRate: z.number().gt(0).lt(1).optional(),
  /** Ability θ on the logit scale (ignored when `passRate` is set). */
  ability: z.number().default(0),
  /** How the worker states p. */
  stated: StatedProbabilitySpecSchema,
  /** Token use and token forecasts. */
  tokens: TokenSpecSchema,
});

/** One simulated worker: true ability, how it reports, what it costs. */
export type SimWorkerSpec = z.infer<typeof SimWorkerSpecSchema>;
/** Input shape of a simulated worker (defaults not yet applied). */
export type SimWorkerSpecInput = z.input<typeof SimWorkerSpecSchema>;

/** A repository label and its share of the simulated tasks. */
export const RepoSpecSchema = z.object({
  /** Repository name, e.g. `django/django`. */
  name: z.string().min(1),
  /** Relative weight (normalised over all repositories). */
  weight: z.number().positive(),
});

/** A repository label and its share of the simulated tasks. */
export type RepoSpec = z.infer<typeof RepoSpecSchema>;

/** A whole synthetic population: tasks, workers and how they relate. */
export const PopulationSpecSchema = z.object({
  /** Name shown in runs and reports. */
  name: z.string().min(1),
  /** Suite name given to the synthetic tasks. */
  suite: z.string().min(1).default('sim'),
  /** Repositories the tasks are drawn from. */
  repos: z.array(RepoSpecSchema).min(1),
  /** Standard deviation of repository-level difficulty (logit scale). */
  repoDifficultySd: z.number().nonnegative(),
  /** Standard deviation of task difficulty within a repository (logit scale). */
  taskDifficultySd: z.number().nonnegative(),
  /** Standard deviation of worker × repository affinity (public, learnable from history). */
  affinitySd: z.number().nonnegative(),
  /** Standard deviation of worker × task fit: the private information a self-report can carry. */
  privateSd: z.number().nonnegative(),
  /** Correlation between a task's (public) statement length and its within-repo difficulty. */
  featureSignal: z.number().min(0).max(1),
  /** Standard deviation of the log task size shared by every worker's token use. */
  taskSizeSd: z.number().nonnegative(),
  /** Extra log tokens of a failed attempt (failures flail longer). */
  failureLogTokens: z.number(),
  /** The workers. */
  workers: z.array(SimWorkerSpecSchema).min(1),
});

/** A whole synthetic population: tasks, workers and how they relate. */
export type PopulationSpec = z.infer<typeof PopulationSpecSchema>;
/** Input shape of a population (defaults not yet applied). */
export type PopulationSpecInput = z.input<typeof PopulationSpecSchema>;
