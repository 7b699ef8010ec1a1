import type { TopLevelSpec } from 'vega-lite';
import { type SeedCrossover, SWEEP_METRICS, type SweepCell, type SweepLevel, type SweepMetric, type SweepReport } from '../sim/signal-sweep.js';
import type { HtmlTable } from './html.js';
import type { ChartSpec } from './render-chart.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const ROLES = ['scoring', 'router', 'reputation'] as const;

const METRIC_TITLES: Record<SweepMetric, string> = {
  solved: 'Tasks solved',
  welfare: 'Welfare V·solved − actual cost, $',
  surplus: 'Principal surplus V·solved − payments, $',
};

function levelName(report: SweepReport, level: SweepLevel): string {
  return level.level === null ? `${report.settings.population} as is` : String(level.level);
}

function cellText(cell: SweepCell, metric: SweepMetric, seeds: number): string {
  const digits = metric === 'solved' ? 1 : 2;
  const { mean, se } = cell[metric];
  return seeds > 1 ? `${mean.toFixed(digits)} ± ${se.toFixed(digits)}` : mean.toFixed(digits);
}

/** One table per metric: mean ± SE over seeds at every level, for the markets, the router and the best solo worker. */
export function sweepLevelTable(report: SweepReport, metric: SweepMetric): HtmlTable & { title: string } {
  const seeds = report.settings.seeds.length;
  const levels = [...report.levels, ...(report.reference ? [report.reference] : [])];
  return {
    title: `${METRIC_TITLES[metric]} by ${report.settings.knob === 'informativeness' ? 'informativeness' : 'target AUROC'}`,
    columns: ['level', 'realized AUROC', 'scoring', 'router', 'reputation', 'best solo'],
    numeric: [1, 2, 3, 4, 5],
    rows: levels.map((level) => [
      levelName(report, level),
      level.meanAuroc.toFixed(3),
      ...ROLES.map((role) => cellText(level[role], metric, seeds)),
      `${cellText(level.solo[level.bestSolo[metric]] as SweepCell, metric, seeds)} (${level.bestSolo[metric]})`,
    ]),
    caption: `Mean${seeds > 1 ? ' ± standard error' : ''} over ${seeds} seed(s) (${report.settings.seeds.join(', ')}); every level replays the same simulated tasks and outcomes per seed, so levels differ only in the bids.`,
  };
}

/** Where a crossing lies, in words: the grid level, the interpolated point and the interval over seeds. */
export function crossingText(crossing: SeedCrossover): { from: string; point: string; interval: string; seeds: string } {
  const crossed = crossing.perSeed.filter((x) => x !== null).length;
  return {
    from: crossing.fromLevel === null ? 'never' : crossing.interpolated === null ? `ahead from ${crossing.fromLevel}` : String(crossing.fromLevel),
    point: crossing.interpolated === null ? '–' : crossing.interpolated.toFixed(3),
    interval: crossing.interval === null ? '–' : `[${crossing.interval[0].toFixed(3)}, ${crossing.interval[1].toFixed(3)}]`,
    seeds: `${crossed} of ${crossing.perSeed.length}`,
  };
}

/** Where each market overtakes the router and the best solo worker, per metric, with the interval over seeds. */
export function sweepCrossingTable(report: SweepReport): HtmlTable & { title: string } {
  const rows = (['scoring', 'reputation'] as const).flatMap((market) =>
    SWEEP_METRICS.flatMap((metric) =>
      (['router', 'bestSolo'] as const).map((rival) => {
        const text = crossingText(report.crossovers[market][metric][rival]);
        return [market, metric, rival === 'router' ? 'router' : 'best solo', text.from, text.point, text.interval, text.seeds];
      }),
    ),
  );
  return {
    title: 'Where the markets overtake',
    columns: ['market', 'metric', 'overtakes', 'from level', 'crossing ≈', '95% interval', 'seeds that cross'],
    numeric: [3, 4, 5, 6],
    rows,
    caption:
      '"From level": the lowest grid level from which the market is at least as good at that level and every higher one (on the seed means). "Crossing ≈": the straight-line zero of the lead between the last level behind and that one. Interval: mean ± 1.96·SE of the per-seed crossings, over the seeds that cross (– with fewer than two).',
  };
}

/** Welfare against the level: one line per mechanism with ± 1.96·SE bars over seeds. */
export function sweepWelfareChart(report: SweepReport): ChartSpec {
  const values = report.levels.flatMap((level) => {
    const entries: [string, SweepCell][] = [
      ...ROLES.map((role): [string, SweepCell] => [role, level[role]]),
      [`best solo (${level.bestSolo.welfare})`, level.solo[level.bestSolo.welfare] as SweepCell],
    ];
    return entries.map(([mechanism, cell]) => ({
      level: level.level,
      mechanism,
      welfare: cell.welfare.mean,
      lo: cell.welfare.mean - 1.96 * cell.welfare.se,
      hi: cell.welfare.mean + 1.96 * cell.welfare.se,
    }));
  });
  const x = { field: 'level', type: 'quantitative', title: report.settings.knob === 'informativeness' ? 'informativeness' : 'target within-worker AUROC', scale: { zero: false } };
  const spec = {
    $schema: SCHEMA,
    width: 420,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'welfare', type: 'quantitative', title: 'welfare, $', scale: { zero: false } }, color: { field: 'mechanism', type: 'nominal' } } },
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'mechanism', type: 'nominal' } } },
    ],
  } as unknown as TopLevelSpec;
  return {
    name: 'sweep-welfare',
    title: 'Welfare by signal quality',
    caption: `Mean welfare over ${report.settings.seeds.length} seed(s) at each level, bars ± 1.96·SE over seeds.`,
    spec,
  };
}

/** The report's "sweep" section: what it varied, one table per metric with SE per level, the crossings with intervals, and the welfare chart. */
export function sweepSection(report: SweepReport): { id: string; title: string; paragraphs: string[]; tables: (HtmlTable & { title: string })[]; charts: ChartSpec[] } {
  const { settings } = report;
  return {
    id: 'sweep',
    title: 'When do informative bids pay? (signal sweep)',
    paragraphs: [
      `Simulated ${settings.population} population, ${settings.tasks} tasks per simulation, seeds ${settings.seeds.join(', ')}, V = $${settings.value}, up to ${settings.maxAttempts} attempts per task. Each level sets every worker's stated p to a target within-worker AUROC; the router is ${settings.mechanisms.router} (public task features and cross-fitted history, no bids).`,
    ],
    tables: [sweepLevelTable(report, 'solved'), sweepLevelTable(report, 'welfare'), sweepLevelTable(report, 'surplus'), sweepCrossingTable(report)],
    charts: [sweepWelfareChart(report)],
  };
}
