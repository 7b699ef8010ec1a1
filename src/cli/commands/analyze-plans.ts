import { resolve } from 'node:path';
import {
  type BudgetLevelCalibration,
  type PlanMonotonicity,
  type PlanOutcomeRow,
  planCalibration,
  planMonotonicity,
  type StatedMenu,
} from '../../metrics/index.js';
import { markdownTable } from '../../report/markdown-table.js';
import { storedMarketComparison } from '../../runtime/market/stored-comparison.js';
import { Store } from '../../runtime/store/index.js';

/** An attempt run under a won plan, as a market run stores it (only the fields the analysis reads). */
export interface PlannedAttempt {
  /** The market arm whose attempt it was. */
  arm: string;
  /** The task. */
  taskId: string;
  /** The worker. */
  workerId: string;
  /** Whether it was judged resolved. */
  resolved: boolean;
  /** The plan won: its budget is the level, its p what the worker stated for it. */
  plan: { budgetUsd?: number | undefined; budgetTokens?: number | undefined; pSuccess: number };
}

/**
 * The plan-calibration rows of attempts run under won plans: level = the plan's USD budget (its
 * token budget when it has none); each arm's attempt is one row, and a row repeated for the same
 * (arm, task, worker, level) counts once.
 */
export function plannedAttemptRows(attempts: readonly PlannedAttempt[]): PlanOutcomeRow[] {
  const seen = new Set<string>();
  const rows: PlanOutcomeRow[] = [];
  for (const attempt of attempts) {
    const level = attempt.plan.budgetUsd ?? attempt.plan.budgetTokens;
    if (level === undefined) continue;
    const key = `${attempt.arm}\u0000${attempt.taskId}\u0000${attempt.workerId}\u0000${level}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ workerId: attempt.workerId, taskId: attempt.taskId, level, pSuccess: attempt.plan.pSuccess, resolved: attempt.resolved });
  }
  return rows;
}

/** The plan analysis of `marketbench analyze`: calibration per budget level and monotonicity. */
export interface PlanAnalysis {
  /** Rows analysed (attempts under won plans). */
  rows: number;
  /** Calibration per level, pooled and per worker. */
  calibration: { overall: BudgetLevelCalibration[]; perWorker: Record<string, BudgetLevelCalibration[]> };
  /** Whether stated p rises with the budget as outcomes do. */
  monotonicity: PlanMonotonicity;
}

/** Runs the plan-calibration metrics on recorded plans. */
export function planAnalysis(options: { rows: readonly PlanOutcomeRow[]; menus: readonly StatedMenu[] }): PlanAnalysis {
  return { rows: options.rows.length, calibration: planCalibration(options.rows), monotonicity: planMonotonicity(options) };
}

/** The plan analysis as text: a table per level (pooled, then per worker) and the monotonicity line. */
export function planAnalysisText(analysis: PlanAnalysis): string {
  const levelRows = (workerId: string, levels: readonly BudgetLevelCalibration[]) =>
    levels.map((l) => [workerId, String(l.level), String(l.n), l.meanStatedP.toFixed(3), l.observedRate.toFixed(3), l.gap.toFixed(3), l.brier.toFixed(3), l.ece.toFixed(3)]);
  const table = markdownTable({
    columns: ['worker', 'budget level', 'n', 'mean stated p', 'observed rate', 'stated − observed', 'Brier', 'ECE'],
    numeric: [1, 2, 3, 4, 5, 6, 7],
    rows: [
      ...levelRows('all', analysis.calibration.overall),
      ...Object.entries(analysis.calibration.perWorker).flatMap(([workerId, levels]) => levelRows(workerId, levels)),
    ],
  });
  const m = analysis.monotonicity;
  const share = Number.isNaN(m.monotoneShare) ? 'no stated menus' : `${(100 * m.monotoneShare).toFixed(0)}% of ${m.menus} stated menus are monotone`;
  return [
    `Production plans: ${analysis.rows} attempts under won plans, stated p against outcomes per budget level`,
    '',
    table,
    '',
    `Does stated p rise with the budget as outcomes do? ${share}; slope per level step: stated ${m.statedSlope.toFixed(3)}, observed ${m.observedSlope.toFixed(3)} (ratio ${m.slopeRatio.toFixed(2)}; 1 = as outcomes do).`,
    '',
  ].join('\n');
}

/** The plan rows and stated menus of a store's market runs (one run, or every market run); empty without plan arms. */
export function planRowsOfStore(options: {
  /** Working directory. */
  cwd: string;
  /** Store file. */
  dbFile: string;
  /** One run (default every market run). */
  runId?: string | undefined;
}): { rows: PlanOutcomeRow[]; menus: StatedMenu[] } {
  const store = Store.open(resolve(options.cwd, options.dbFile));
  try {
    const runs = store.listRuns().filter((run) => run.kind === 'market' && (options.runId === undefined || run.id === options.runId));
    const markets = runs.map((run) => storedMarketComparison(store, run.id));
    return {
      rows: markets.flatMap((market) => plannedAttemptRows(market.planAttempts.map((row) => ({ ...row, taskId: `${market.runId}/${row.taskId}` })))),
      menus: markets.flatMap((market) => market.menus),
    };
  } finally {
    store.close();
  }
}
