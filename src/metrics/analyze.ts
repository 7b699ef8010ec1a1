import { InvalidInputError, type LabeledForecast, type Random } from '../core/index.js';
import { DEFAULT_BINS } from './calibration.js';
import { type AuctionSettings, rowEconomics } from './row-economics.js';
import { pickRows, type SetInput, type SetSummaries, summarizeSet } from './set-summaries.js';
import type { Summary } from './summary.js';
import { tokenRatios } from './token-ratio.js';
import { compareTreatments, type TreatmentComparison } from './treatment-comparison.js';

/** Options of `analyzeRows`; every default is the paper's Phase I setting. */
export interface AnalyzeOptions {
  /** Seeded randomness (auction draws and bootstrap resamples are forked from it). */
  random: Random;
  /** Failure penalty F in USD (default 2). */
  penalty?: number;
  /** R of the reserve r ~ U[0, R] in USD (default 1). */
  maxReserve?: number;
  /** Monte Carlo reserve draws per task (default 100). */
  draws?: number;
  /** Closed-form auction figures instead of Monte Carlo (default false). */
  exact?: boolean;
  /** Task-clustered bootstrap resamples (default 2000; 0 = no intervals). */
  resamples?: number;
  /** Interval coverage (default 0.95). */
  level?: number;
  /** Reliability/ECE bins (default 10). */
  bins?: number;
  /**
   * Repeat the summaries per value of this field: `worker`, `treatment`, `task`, or any key of
   * the rows' `groups` (e.g. `repo`). When absent and the rows carry several elicitation
   * treatments, summaries are also grouped by `treatment`.
   */
  groupBy?: string | undefined;
  /**
   * Treatments to compare (baseline first). When absent and the rows carry exactly two or more
   * treatments, the baseline is `direct` if present (else the first in sorted order) and the
   * other is the first remaining treatment in sorted order.
   */
  compare?: { baseline: string; treatment: string } | undefined;
}

/** Everything `marketbench analyze` reports. */
export interface AnalysisReport {
  /** The settings the figures were computed with. */
  parameters: {
    /** Rows analyzed. */
    rows: number;
    /** Failure penalty F. */
    penalty: number;
    /** R of r ~ U[0, R]. */
    maxReserve: number;
    /** `monte-carlo` or `exact`. */
    method: 'monte-carlo' | 'exact';
    /** Draws per task (null when exact). */
    draws: number | null;
    /** Seed of the random source. */
    seed: number | string;
    /** Bootstrap resamples. */
    resamples: number;
    /** Interval coverage. */
    level: number;
  };
  /** All rows. */
  overall: Summary;
  /** Per worker. */
  byWorker: Record<string, Summary>;
  /** The field of `groups`, when grouped. */
  groupBy?: string;
  /** Summaries per value of `groupBy`. */
  groups?: Record<string, SetSummaries>;
  /** Paired comparison of two elicitation treatments, when the rows carry several. */
  comparison?: TreatmentComparison;
}

/** Fields every row has, whatever its source. */
const BUILT_IN_FIELDS = new Set(['worker', 'workerId', 'treatment', 'task', 'taskId']);

/** The value of a `--group-by` field for a row; `(none)` when the row lacks it. */
export function groupValue(row: LabeledForecast, field: string): string {
  if (field === 'worker' || field === 'workerId') return row.workerId;
  if (field === 'treatment') return row.treatment;
  if (field === 'task' || field === 'taskId') return row.taskId;
  return row.groups[field] ?? '(none)';
}

/**
 * Actual tokens of a row: the recorded count, or cost / blended price when only the cost is
 * known (the paper's external outcomes); null when neither is available.
 */
export function actualTokensOf(row: LabeledForecast): number | null {
  if (row.tokens !== null) return row.tokens;
  if (row.costUsd !== null && row.blendedPrice !== null && row.blendedPrice > 0) return row.costUsd / row.blendedPrice;
  return null;
}

/**
 * The Phase I analysis of DESIGN.md §5 on forecasts joined with outcomes: calibration,
 * discrimination, token forecasts and the reserve-price auction with its oracle, overall and per
 * worker, with task-clustered bootstrap intervals; optionally per group and a paired treatment
 * comparison. Pure: the same rows, options and seed give the same report.
 */
export function analyzeRows(rows: readonly LabeledForecast[], options: AnalyzeOptions): AnalysisReport {
  const settings: AuctionSettings = {
    penalty: options.penalty ?? 2,
    maxReserve: options.maxReserve ?? 1,
    draws: options.draws ?? 100,
    exact: options.exact ?? false,
  };
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const bins = options.bins ?? DEFAULT_BINS;
  const { random } = options;
  const input: SetInput = {
    rows,
    ratios: tokenRatios({ expected: rows.map((row) => row.expectedTokens), actual: rows.map(actualTokensOf) }),
    economics: rowEconomics({ rows, settings, random: random.fork('auction') }),
  };
  const bootstrap = (label: string) => ({ resamples, level, random: random.fork(`bootstrap/${label}`) });
  const { overall, byWorker } = summarizeSet({ input, bootstrap: bootstrap('all'), exact: settings.exact, bins });
  const report: AnalysisReport = {
    parameters: {
      rows: rows.length,
      penalty: settings.penalty,
      maxReserve: settings.maxReserve,
      method: settings.exact ? 'exact' : 'monte-carlo',
      draws: settings.exact ? null : settings.draws,
      seed: random.seed,
      resamples,
      level,
    },
    overall,
    byWorker,
  };
  const treatments = [...new Set(rows.map((row) => row.treatment))].sort();
  const groupBy = options.groupBy ?? (treatments.length > 1 ? 'treatment' : undefined);
  if (groupBy !== undefined) {
    if (!BUILT_IN_FIELDS.has(groupBy) && !rows.some((row) => groupBy in row.groups)) {
      const known = [...new Set([...BUILT_IN_FIELDS, ...rows.flatMap((row) => Object.keys(row.groups))])].sort();
      throw new InvalidInputError(`no row has this field; known fields: ${known.join(', ')}`, { field: groupBy });
    }
    report.groupBy = groupBy;
    report.groups = {};
    for (const value of [...new Set(rows.map((row) => groupValue(row, groupBy)))].sort()) {
      const subset = pickRows(input, (row) => groupValue(row, groupBy) === value);
      report.groups[value] = summarizeSet({ input: subset, bootstrap: bootstrap(`group/${value}`), exact: settings.exact, bins });
    }
  }
  const compare = options.compare ?? defaultComparison(treatments);
  if (compare !== undefined) {
    report.comparison = compareTreatments({ input, ...compare, bootstrap: bootstrap('comparison'), bins });
  }
  return report;
}

function defaultComparison(treatments: readonly string[]): { baseline: string; treatment: string } | undefined {
  if (treatments.length < 2) return undefined;
  const baseline = treatments.includes('direct') ? 'direct' : (treatments[0] as string);
  const treatment = treatments.find((name) => name !== baseline) as string;
  return { baseline, treatment };
}
