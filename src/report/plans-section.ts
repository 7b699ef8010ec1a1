import type { TopLevelSpec } from 'vega-lite';
import type { MarketComparison } from '../market/comparison.js';
import { planCalibrationByLevel, planMonotonicity, type StatedMenu } from '../metrics/plan-calibration.js';
import type { PlanAttemptRow } from '../market/plan-bids.js';
import { formatUsd } from './format-usd.js';
import type { HtmlTable } from './html.js';
import type { ChartSpec } from './render-chart.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** What the plans section reads of a market run. */
export interface PlansSectionInput {
  /** Attempts run under won plans. */
  rows: readonly PlanAttemptRow[];
  /** The run's matched comparison (for the plan arms against their single-point twins). */
  comparison: MarketComparison;
  /** V of a solved task, USD (welfare = V·solved − actual cost); undefined when the run did not store it. */
  valueUsd: number | undefined;
  /** Every valid menu stated in the run (levels = USD budgets), for the monotonicity check. */
  menus?: readonly StatedMenu[];
}

/** One budget level of one plan arm: the plans won there, what their winners stated and what happened. */
export interface PlanLevel {
  /** The arm. */
  arm: string;
  /** The level's caps as a label, e.g. `$0.50 · 5 steps`. */
  budget: string;
  /** Sort key (USD budget, else tokens). */
  order: number;
  /** Attempts run under a plan of this level. */
  won: number;
  /** Of those, judged resolved. */
  resolved: number;
  /** Of those, stopped by the plan's caps. */
  capped: number;
  /** Mean stated p of the won plans. */
  meanP: number;
  /** Brier score of the stated p against the outcomes. */
  brier: number;
  /** Expected calibration error (ten equal-width bins). */
  ece: number;
  /** Mean actual USD of the attempts. */
  meanCostUsd: number;
}

/** A plan's caps as a short label. */
export function budgetLabel(plan: { budgetUsd?: number | undefined; budgetTokens?: number | undefined; maxSteps?: number | undefined }): string {
  const parts: string[] = [];
  if (plan.budgetUsd !== undefined) parts.push(`$${plan.budgetUsd.toFixed(2)}`);
  if (plan.budgetTokens !== undefined) parts.push(`${Math.round(plan.budgetTokens).toLocaleString('en-US')} tokens`);
  if (plan.maxSteps !== undefined) parts.push(`${plan.maxSteps} steps`);
  return parts.join(' · ') || 'uncapped';
}

/** Groups the won plans by arm and budget level, in budget order. */
export function planLevels(rows: readonly PlanAttemptRow[]): PlanLevel[] {
  const groups = new Map<string, PlanAttemptRow[]>();
  for (const row of rows) {
    const key = `${row.arm}\u0000${budgetLabel(row.plan)}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const levels = [...groups.values()].map((group) => {
    const first = group[0] as PlanAttemptRow;
    const n = group.length;
    const sum = (value: (row: PlanAttemptRow) => number) => group.reduce((total, row) => total + value(row), 0);
    const calibration = planCalibrationByLevel(group.map((row) => ({ workerId: row.workerId, taskId: row.taskId, level: 0, pSuccess: row.plan.pSuccess, resolved: row.resolved })))[0];
    return {
      arm: first.arm,
      budget: budgetLabel(first.plan),
      order: first.plan.budgetUsd ?? first.plan.budgetTokens ?? Number.POSITIVE_INFINITY,
      won: n,
      resolved: group.filter((row) => row.resolved).length,
      capped: group.filter((row) => row.exitReason === 'budget_exhausted').length,
      meanP: calibration?.meanStatedP ?? Number.NaN,
      brier: calibration?.brier ?? Number.NaN,
      ece: calibration?.ece ?? Number.NaN,
      meanCostUsd: sum((row) => row.costUsd) / n,
    };
  });
  return levels.sort((a, b) => a.arm.localeCompare(b.arm) || a.order - b.order);
}

/** Which plans won and how their stated p compared with what happened, per arm and budget level. */
export function planLevelsTable(levels: readonly PlanLevel[]): HtmlTable {
  return {
    columns: ['arm', 'budget level', 'plans won', 'resolved', 'observed rate', 'mean stated p', 'Brier', 'ECE', 'stopped at the cap', 'mean cost'],
    numeric: [2, 3, 4, 5, 6, 7, 8, 9],
    rows: levels.map((level) => [
      level.arm,
      level.budget,
      String(level.won),
      String(level.resolved),
      (level.resolved / level.won).toFixed(2),
      level.meanP.toFixed(2),
      level.brier.toFixed(3),
      level.ece.toFixed(3),
      String(level.capped),
      `$${level.meanCostUsd.toFixed(4)}`,
    ]),
    caption:
      'Each row counts the attempts a plan arm ran under a plan of that budget level (a won plan binds its attempt: it stops at the cap and is judged on what it changed by then). The observed rate is the share of those attempts resolved; the mean stated p is what their winners stated for that budget.',
  };
}

/** The single-point twin of a plan arm (`scoring:plans` → `scoring`), when the run has it. */
export function twinArm(arm: string, arms: readonly string[]): string | undefined {
  const twin = arm.replace(/:plans(?=$|:)/, '');
  return twin !== arm && arms.includes(twin) ? twin : undefined;
}

/** Each plan arm against its single-point twin on the same matched tasks: solved, actual cost, welfare. */
export function planArmsTable(input: PlansSectionInput): HtmlTable | undefined {
  const { comparison, valueUsd } = input;
  const rows: string[][] = [];
  for (const arm of comparison.arms) {
    const twin = twinArm(arm, comparison.arms);
    if (!twin) continue;
    for (const name of [arm, twin]) {
      const summary = comparison.summaries.find((entry) => entry.arm === name);
      if (!summary) continue;
      const welfare = valueUsd === undefined ? '–' : formatUsd(valueUsd * summary.solved - summary.totalCostUsd);
      rows.push([name, `${summary.solved}/${summary.n}`, formatUsd(summary.totalCostUsd), welfare]);
    }
    const pair = comparison.pairs.find((entry) => (entry.a === arm && entry.b === twin) || (entry.a === twin && entry.b === arm));
    if (pair) rows.push([`${pair.a} vs ${pair.b}`, `only ${pair.a}: ${pair.onlyA}, only ${pair.b}: ${pair.onlyB}`, '', `McNemar p = ${pair.pValue.toFixed(3)}`]);
  }
  if (rows.length === 0) return undefined;
  return {
    columns: ['arm', 'solved', 'actual cost', 'welfare'],
    numeric: [2, 3],
    rows,
    caption: `Plan arms against their single-point twins on the same ${comparison.matchedTasks.length} matched tasks. Welfare = V·solved − actual cost (attempts plus the arm's share of bids or menus)${input.valueUsd === undefined ? '' : `, V = ${formatUsd(input.valueUsd)}`}.`,
  };
}

/** Stated p against the observed rate per budget level, one panel per plan arm. */
export function planCalibrationChart(levels: readonly PlanLevel[]): ChartSpec {
  const values = levels.flatMap((level) => [
    { arm: level.arm, budget: level.budget, order: level.order, measure: 'mean stated p', value: level.meanP, n: level.won },
    { arm: level.arm, budget: level.budget, order: level.order, measure: 'observed rate', value: level.resolved / level.won, n: level.won },
  ]);
  const spec = {
    $schema: SCHEMA,
    data: { values },
    facet: { column: { field: 'arm', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 200,
      mark: { type: 'point', filled: true, size: 90 },
      encoding: {
        x: { field: 'budget', type: 'ordinal', title: 'budget level of the won plan', sort: { field: 'order' }, axis: { labelAngle: 0 } },
        y: { field: 'value', type: 'quantitative', title: 'probability', scale: { domain: [0, 1] } },
        color: { field: 'measure', type: 'nominal', title: null, scale: { domain: ['mean stated p', 'observed rate'], range: ['#4c78a8', '#e45756'] } },
        shape: { field: 'measure', type: 'nominal', title: null },
        tooltip: [{ field: 'budget' }, { field: 'measure' }, { field: 'value', format: '.2f' }, { field: 'n', title: 'plans won' }],
      },
    },
  } as unknown as TopLevelSpec;
  return {
    name: 'plans-calibration',
    title: 'Production plans: stated p against what happened, per budget level',
    caption: 'For the plans that won, the mean p their workers stated for that budget (blue) and the share of their attempts that resolved under its caps (red). Levels with few won plans are noisy.',
    spec,
  };
}

/**
 * One sentence per plan arm on whether stated p rises with the budget as outcomes do
 * (`planMonotonicity`): the share of monotone menus, and the slopes of mean stated p and of the
 * observed rate per budget step among the plans the arm bought.
 */
export function planMonotonicityLines(input: PlansSectionInput): string[] {
  const arms = [...new Set(input.rows.map((row) => row.arm))].sort();
  const menus = input.menus ?? [];
  return arms.map((arm) => {
    const rows = input.rows
      .filter((row) => row.arm === arm)
      .map((row) => ({ workerId: row.workerId, taskId: row.taskId, level: row.plan.budgetUsd ?? row.plan.budgetTokens ?? 0, pSuccess: row.plan.pSuccess, resolved: row.resolved }));
    const check = planMonotonicity({ menus, rows });
    const slope = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}` : 'n/a (one level)');
    return `${arm}: ${Number.isFinite(check.monotoneShare) ? `${(100 * check.monotoneShare).toFixed(0)}% of ${check.menus} stated menus never lower p as the budget rises; ` : ''}among the plans it bought, mean stated p moves ${slope(check.statedSlope)} per budget step and the observed rate ${slope(check.observedSlope)}.`;
  });
}
