import { brier, ece } from './calibration.js';

/** One stated plan whose attempt was observed: its budget level, stated p and outcome. */
export interface PlanOutcomeRow {
  /** The worker. */
  workerId: string;
  /** The task. */
  taskId: string;
  /**
   * The plan's budget level: a budget (USD or tokens, one axis per call) or a level index; rows
   * with equal levels are pooled, and levels are ordered by this number.
   */
  level: number;
  /** The plan's stated probability of success. */
  pSuccess: number;
  /** Whether the attempt under this plan's caps resolved the task. */
  resolved: boolean;
}

/** Calibration of stated p at one budget level. */
export interface BudgetLevelCalibration {
  /** The level (see `PlanOutcomeRow.level`). */
  level: number;
  /** Rows at the level. */
  n: number;
  /** Mean stated p. */
  meanStatedP: number;
  /** Observed success rate. */
  observedRate: number;
  /** Mean stated p − observed rate (> 0: over-confident at this budget). */
  gap: number;
  /** Brier score. */
  brier: number;
  /** Expected calibration error over the usual 10 bins. */
  ece: number;
}

/** Calibration per budget level, sorted by level; levels without rows are absent. */
export function planCalibrationByLevel(rows: readonly PlanOutcomeRow[]): BudgetLevelCalibration[] {
  const byLevel = new Map<number, PlanOutcomeRow[]>();
  for (const row of rows) byLevel.set(row.level, [...(byLevel.get(row.level) ?? []), row]);
  return [...byLevel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, group]) => {
      const p = group.map((row) => row.pSuccess);
      const y = group.map((row) => (row.resolved ? 1 : 0));
      const meanStatedP = mean(p);
      const observedRate = mean(y);
      return { level, n: group.length, meanStatedP, observedRate, gap: meanStatedP - observedRate, brier: brier({ p, y }), ece: ece({ p, y }) };
    });
}

/** Calibration per budget level for each worker, and for all workers pooled. */
export function planCalibration(rows: readonly PlanOutcomeRow[]): {
  /** All rows pooled by level. */
  overall: BudgetLevelCalibration[];
  /** Per worker, its rows by level. */
  perWorker: Record<string, BudgetLevelCalibration[]>;
} {
  const workers = [...new Set(rows.map((row) => row.workerId))].sort();
  return {
    overall: planCalibrationByLevel(rows),
    perWorker: Object.fromEntries(workers.map((workerId) => [workerId, planCalibrationByLevel(rows.filter((row) => row.workerId === workerId))])),
  };
}

/** A stated menu: its plans' levels and stated p, in any order. */
export interface StatedMenu {
  /** The worker. */
  workerId: string;
  /** The task. */
  taskId: string;
  /** Each plan's level (budget) and stated p. */
  plans: { level: number; pSuccess: number }[];
}

/** Does stated p rise with the budget as outcomes do? */
export interface PlanMonotonicity {
  /** Menus checked. */
  menus: number;
  /** Share of menus whose stated p never falls as the budget rises (NaN with no menus). */
  monotoneShare: number;
  /** Slope of mean stated p per level step (levels ranked 0, 1, 2… in order), weighted by rows; NaN with fewer than two levels. */
  statedSlope: number;
  /** Slope of the observed rate per level step, the same way. */
  observedSlope: number;
  /**
   * observedSlope / statedSlope: 1 when stated p rises with the budget exactly as outcomes do,
   * below 1 when workers overstate what more budget buys; NaN when the stated slope is 0.
   */
  slopeRatio: number;
  /** Share of adjacent level pairs where the observed rate does not fall as the budget rises. */
  observedRisingShare: number;
}

/**
 * Checks whether stated p rises with the budget as outcomes do: the share of monotone menus, and
 * the weighted least-squares slopes of mean stated p and of the observed rate against the level's
 * rank, with their ratio.
 */
export function planMonotonicity(options: {
  /** Stated menus (every plan, attempted or not). */
  menus: readonly StatedMenu[];
  /** Observed plans (see `planCalibrationByLevel`). */
  rows: readonly PlanOutcomeRow[];
}): PlanMonotonicity {
  const { menus, rows } = options;
  const monotone = menus.filter((menu) => {
    const sorted = menu.plans.slice().sort((a, b) => a.level - b.level);
    return sorted.every((plan, i) => i === 0 || plan.pSuccess >= (sorted[i - 1] as { pSuccess: number }).pSuccess);
  }).length;
  const levels = planCalibrationByLevel(rows);
  const statedSlope = weightedSlope(levels.map((l, rank) => ({ x: rank, y: l.meanStatedP, w: l.n })));
  const observedSlope = weightedSlope(levels.map((l, rank) => ({ x: rank, y: l.observedRate, w: l.n })));
  let rising = 0;
  for (let i = 1; i < levels.length; i++) if ((levels[i] as BudgetLevelCalibration).observedRate >= (levels[i - 1] as BudgetLevelCalibration).observedRate) rising++;
  return {
    menus: menus.length,
    monotoneShare: menus.length > 0 ? monotone / menus.length : Number.NaN,
    statedSlope,
    observedSlope,
    slopeRatio: statedSlope !== 0 ? observedSlope / statedSlope : Number.NaN,
    observedRisingShare: levels.length > 1 ? rising / (levels.length - 1) : Number.NaN,
  };
}

function weightedSlope(points: readonly { x: number; y: number; w: number }[]): number {
  const total = points.reduce((sum, p) => sum + p.w, 0);
  if (points.length < 2 || total <= 0) return Number.NaN;
  const mx = points.reduce((sum, p) => sum + p.w * p.x, 0) / total;
  const my = points.reduce((sum, p) => sum + p.w * p.y, 0) / total;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += p.w * (p.x - mx) * (p.y - my);
    sxx += p.w * (p.x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}
