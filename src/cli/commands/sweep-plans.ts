import type { Command } from 'commander';
import { markdownTable } from '../../report/markdown-table.js';
import { getPreset, type PlanSeedInterval, type PlanSweepReport, sweepPlans } from '../../sim/index.js';
import type { CliIo } from '../command-spec.js';
import { countProgress } from '../progress.js';

/** Adds the production-plans option to `sweep` (kept here so `sweep.ts` changes by a few lines). */
export function addPlansOptions(command: Command): Command {
  return command.option(
    '--plans',
    'production plans: compare single-point bids with menus of plans at 5 budgets (scoring vs scoring:plans, reputation vs reputation:plans) on welfare',
  );
}

/** Flags the plans sweep reads. */
export interface PlansFlags {
  preset: string;
  tasks: number;
  seeds: number;
  seedOffset: number;
  value: number;
  maxAttempts: number;
  format: 'table' | 'json';
}

/** Runs `sweep --plans` over the given target AUROCs and prints its table (or JSON). */
export function runPlansSweep(options: { flags: PlansFlags; levels: number[]; io: CliIo }): void {
  const { flags, levels, io } = options;
  const seeds = Array.from({ length: flags.seeds }, (_, i) => flags.seedOffset + i + 1);
  const progress = countProgress(io, { label: 'plans sweep', every: flags.seeds });
  let report: PlanSweepReport;
  try {
    report = sweepPlans({
      spec: getPreset(flags.preset),
      tasks: flags.tasks,
      seeds,
      levels,
      value: flags.value,
      maxAttempts: flags.maxAttempts,
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  io.out(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : plansSweepText(report));
}

/** The plans sweep as text: welfare per arm with intervals, the paired gain of menus, the plans won, and when menus pay. */
export function plansSweepText(report: PlanSweepReport): string {
  const { settings } = report;
  const several = settings.seeds.length > 1;
  const cell = (x: PlanSeedInterval) =>
    several ? `${x.mean.toFixed(2)} [${x.ci[0].toFixed(2)}, ${x.ci[1].toFixed(2)}]` : x.mean.toFixed(2);
  const welfare = markdownTable({
    columns: ['target AUROC', 'realized AUROC', 'Brier', 'scoring', 'scoring:plans', 'menus − single', 'reputation', 'reputation:plans', 'menus − single'],
    numeric: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    rows: report.levels.map((level) => [
      String(level.signalAuroc),
      level.realizedAuroc.toFixed(3),
      level.realizedBrier.toFixed(3),
      cell(level.arms.scoring.welfare),
      cell(level.arms['scoring:plans'].welfare),
      cell(level.gain.scoring),
      cell(level.arms.reputation.welfare),
      cell(level.arms['reputation:plans'].welfare),
      cell(level.gain.reputation),
    ]),
  });
  const multiples = settings.budgetMultipliers.map((m) => `${m}×`);
  const wins = markdownTable({
    columns: ['target AUROC', 'arm', 'solved', 'actual cost $', ...multiples.map((m) => `${m} need`)],
    numeric: [0, 2, 3, ...multiples.map((_, i) => 4 + i)],
    rows: report.levels.flatMap((level) =>
      (['scoring:plans', 'reputation:plans'] as const).map((arm) => [
        String(level.signalAuroc),
        arm,
        level.arms[arm].solved.mean.toFixed(1),
        level.arms[arm].actualCostUsd.mean.toFixed(2),
        ...level.arms[arm].levelShare.map((share) => `${(100 * share).toFixed(0)}%`),
      ]),
    ),
  });
  const calibration = markdownTable({
    columns: ['target AUROC', ...multiples.map((m) => `${m}: stated / observed`), 'ECE by level', 'monotone menus', 'slope observed ÷ stated'],
    numeric: [0, ...multiples.map((_, i) => 1 + i), multiples.length + 1, multiples.length + 2, multiples.length + 3],
    rows: report.levels.map((level) => [
      String(level.signalAuroc),
      ...level.calibration.levels.map((l) => `${l.meanStatedP.toFixed(2)} / ${l.observedRate.toFixed(2)}`),
      level.calibration.levels.map((l) => l.ece.toFixed(2)).join(' '),
      `${(100 * level.calibration.monotonicity.monotoneShare).toFixed(0)}%`,
      level.calibration.monotonicity.slopeRatio.toFixed(2),
    ]),
  });
  const pays = (market: 'scoring' | 'reputation') => {
    const c = report.menusPay[market];
    const crossing = c.perSeed.filter((x) => x !== null).length;
    const spread = c.interval === null ? '' : `; per-seed crossings ${c.interval[0].toFixed(2)}–${c.interval[1].toFixed(2)} (mean ± 1.96·SE, ${crossing} of ${c.perSeed.length} seeds)`;
    if (c.fromLevel === null) return `- ${market}: menus never pay on this grid${spread}`;
    if (c.interpolated === null) return `- ${market}: menus pay at every level from ${c.fromLevel}${spread}`;
    return `- ${market}: menus pay from AUROC ${c.fromLevel} (crossing ≈ ${c.interpolated.toFixed(2)}${spread})`;
  };
  return [
    `Production-plans sweep: ${settings.population} population, ${settings.tasks} tasks, seeds ${settings.seeds.join(', ')}, V = $${settings.value}, up to ${settings.maxAttempts} attempts per task.`,
    `Menus: plans at ${multiples.join(', ')} each worker's median need (USD); a single-point bid is the plan at ${settings.singlePointMultiplier}×. Stated p carry the target AUROC; realized AUROC and Brier = single-point p against its outcome.`,
    `Welfare = V·solved − actual cost, $, mean${several ? ' [95% interval over seeds]' : ''}; menus − single is paired by seed (same tasks, curves and draws).`,
    '',
    welfare,
    '',
    'Plans that won (share of attempts at each budget level):',
    '',
    wins,
    '',
    'Stated p against outcomes per budget level (every plan of every menu played out, seeds pooled):',
    '',
    calibration,
    '',
    'When menus pay (welfare gain ≥ 0 at that AUROC and every higher one):',
    pays('scoring'),
    pays('reputation'),
    '',
  ].join('\n');
}
