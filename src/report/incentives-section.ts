import type { TopLevelSpec } from 'vega-lite';
import type { SeedInterval, StrategicSweepReport } from '../sim/strategic/index.js';
import type { HtmlTable } from './html.js';
import type { ChartSpec } from './render-chart.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function interval(value: SeedInterval, digits: number): string {
  return `${value.mean.toFixed(digits)} [${value.lo.toFixed(digits)}, ${value.hi.toFixed(digits)}]`;
}

/** Convergence paths: the learners' mean p shift and ask shading by round, one line per mechanism. */
export function incentivesPathChart(report: StrategicSweepReport): ChartSpec {
  const values = report.mechanisms.flatMap((m) =>
    m.path.flatMap((point) => [
      { mechanism: m.mechanism, round: point.round, measure: 'p shift (absolute)', shading: point.pShift },
      { mechanism: m.mechanism, round: point.round, measure: 'ask shading (relative)', shading: point.askShading },
    ]),
  );
  const spec = {
    $schema: SCHEMA,
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 200,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'round', type: 'quantitative', title: 'round' },
        y: { field: 'shading', type: 'quantitative', title: 'mean shading of learning workers' },
        color: { field: 'mechanism', type: 'nominal', title: 'mechanism' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  return {
    name: 'incentives-paths',
    title: 'Strategic bidders: where the learned reports go',
    caption:
      'Mean over learning workers (and seeds) of the shading their strategies put on p (added to the true probability) and on the ask (relative to the honest ask, the attempt cost), round by round. Zero is honest reporting.',
    spec,
  };
}

/** The converged shading and welfare-loss table, one row per mechanism, 95% intervals over seeds. */
export function incentivesTable(report: StrategicSweepReport): HtmlTable {
  return {
    columns: ['mechanism', 'p shift', '|p shift|', 'ask shading', 'workers’ profit $/task', 'welfare $/task', 'honest welfare $/task', 'welfare loss $/task'],
    numeric: [1, 2, 3, 4, 5, 6, 7],
    rows: report.mechanisms.map((m) => [
      m.mechanism,
      interval(m.pShift, 3),
      interval(m.absPShift, 3),
      interval(m.askShading, 2),
      interval(m.workerProfit, 4),
      interval(m.welfare, 4),
      interval(m.honestWelfare, 4),
      interval(m.welfareLoss, 4),
    ]),
    caption: `Converged play: averages over the last ${report.settings.convergedRounds} of ${report.settings.rounds} rounds; welfare = V·solved − actual cost of every attempt; the loss is honest minus learned welfare on the same draws. Intervals: 95% t-intervals over ${report.settings.seeds.length} seeds.`,
  };
}

/** The "incentives" section's prose. */
export function incentivesParagraphs(report: StrategicSweepReport): string[] {
  const { settings } = report;
  return [
    `Each of ${settings.workers.length} workers keeps its true ability and its private, calibrated signal (AUROC ${settings.signalAuroc}; realised ${report.realizedAuroc.toFixed(3)}, Brier ${report.realizedBrier.toFixed(3)}) and chooses each round how to shade its reported p and its ask, by ${settings.learner}, on the profit it realised over ${settings.tasks} tasks a round for ${settings.rounds} rounds. The principal values a solved task at $${settings.params.value}.`,
    'reserve: the paper’s pay-reserve auction (bid (ask + F(1 − p))/p, paid r on success, F on failure). scoring: the paper’s live-market scoring auction (paid the ask). reputation: the same with each worker’s p mapped by an isotonic calibration map fitted on its own earlier attempts. liability: reputation, and a winner that fails pays φ = rate·B·(0.5 + p) of its stated p. proper: the truthful reference — allocated like scoring, the winner reimbursed its cost, and every bidder paid a + b·(1 − (p − y)²) on its own outcome (losers audited at random and paid 1/α times over), so the report does not change the expected payment from winning and a risk-neutral worker’s best report is its true probability. Under proper the ask moves no payment, so its learned shading is noise.',
  ];
}
