import type { AnalysisReport } from '../metrics/analyze.js';
import type { Interval, Summary } from '../metrics/summary.js';
import type { ReplayReport } from '../replay/index.js';
import type { ReportInput } from './build-report.js';
import type { HtmlTable } from './html.js';

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

function withCi(value: number, ci: Interval, digits: number): string {
  return ci === null ? fixed(value, digits) : `${fixed(value, digits)} [${fixed(ci[0], digits)}, ${fixed(ci[1], digits)}]`;
}

/** A count, or an interpolated percentile of counts, to one decimal when not whole. */
function countText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function usd(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '–' : `$${value.toFixed(2)}`;
}

/** Calibration, token and auction tables of an analysis: overall first, then each worker. */
export function analysisHtmlTables(analysis: AnalysisReport): (HtmlTable & { title: string })[] {
  const entries: [string, Summary][] = [['overall', analysis.overall], ...Object.entries(analysis.byWorker)];
  return [
    {
      title: 'Calibration and discrimination',
      columns: ['worker', 'n', 'pass rate', 'mean p', 'Brier', 'Brier skill', 'ECE', 'log loss', 'AUROC', 'distinct p'],
      numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      rows: entries.map(([name, s]) => [
        name,
        String(s.n),
        withCi(s.passRate, s.passRateCi, 3),
        withCi(s.meanP, s.meanPCi, 3),
        withCi(s.brier, s.brierCi, 4),
        withCi(s.brierSkill, s.brierSkillCi, 3),
        withCi(s.ece, s.eceCi, 4),
        withCi(s.logLoss, s.logLossCi, 3),
        withCi(s.auroc, s.aurocCi, 3),
        String(s.distinctP),
      ]),
    },
    {
      title: 'Token forecasts (forecast ÷ actual)',
      columns: ['worker', 'rows', 'median ratio', 'IQR', 'mean log10 ratio'],
      numeric: [1, 2, 3, 4],
      rows: entries.map(([name, s]) => [
        name,
        String(s.tokenRatioN),
        withCi(s.medianTokenRatio, s.medianTokenRatioCi, 3),
        `${fixed(s.tokenRatioIqr[0], 3)} – ${fixed(s.tokenRatioIqr[1], 3)}`,
        withCi(s.meanLog10TokenRatio, s.meanLog10TokenRatioCi, 3),
      ]),
    },
    {
      title: `Reserve-price auction (F = $${analysis.parameters.penalty}, r ~ U[0, $${analysis.parameters.maxReserve}], ${analysis.parameters.method === 'exact' ? 'closed form' : `${analysis.parameters.draws} draws`}), USD per row`,
      columns: ['worker', 'win rate', 'expected profit', 'realized (paper)', 'realized (full accounting)', 'oracle', 'oracle gap', 'win share'],
      numeric: [1, 2, 3, 4, 5, 6, 7],
      rows: entries.map(([name, s]) => {
        const a = s.auction;
        return [
          name,
          withCi(a.winRate, a.winRateCi, 3),
          withCi(a.expectedProfit, a.expectedProfitCi, 4),
          withCi(a.realizedProfit, a.realizedProfitCi, 4),
          withCi(a.realizedProfitFull, a.realizedProfitFullCi, 4),
          withCi(a.oracleProfit, a.oracleProfitCi, 4),
          withCi(a.oracleGap, a.oracleGapCi, 4),
          fixed(a.winShare, 3),
        ];
      }),
      caption:
        'Realized (paper): y·(r − b*) on won draws. Realized (full accounting): y·r − c − (1 − y)·F on won draws, charging the actual cost and the penalty.',
    },
  ];
}

/** One row per replayed mechanism, as `marketbench replay` prints it. */
export function replayHtmlTable(replay: ReplayReport): HtmlTable & { title: string } {
  return {
    title: `Mechanisms on ${replay.settings.tasks} tasks × ${replay.settings.workers} workers (V = $${replay.settings.value}, up to ${replay.settings.maxAttempts} attempts)`,
    columns: ['mechanism', 'solved', 'solve rate', 'spend', 'cost per solve', 'surplus', 'tokens per solve', 'attempts'],
    numeric: [1, 2, 3, 4, 5, 6, 7],
    rows: Object.entries(replay.mechanisms).map(([name, r]) => [
      name,
      `${r.solved}/${r.n}`,
      `${(100 * r.solveRate).toFixed(1)}%`,
      usd(r.spendUsd),
      usd(r.costPerSolve),
      usd(r.surplus),
      r.tokensPerSolve === null ? '–' : Math.round(r.tokensPerSolve).toLocaleString('en-US'),
      String(r.attempts),
    ]),
    caption: `Area under the cost–solve frontier: ${replay.frontier.auf.toFixed(3)} (spend range $0–$${replay.frontier.spendMax.toFixed(2)}).`,
  };
}

/** Paired comparisons (exact McNemar and bootstrap CI of the difference in solved tasks). */
export function comparisonHtmlTable(replay: ReplayReport): HtmlTable & { title: string } {
  const reference = Object.keys(replay.mechanisms)[0];
  const shown = replay.comparisons.filter((c) => c.a === reference || c.b === reference || replay.comparisons.length <= 30);
  return {
    title: 'Paired comparisons on the same tasks',
    columns: ['A', 'B', 'only A', 'only B', 'solved A − B', '95% CI', 'McNemar p'],
    numeric: [2, 3, 4, 5, 6],
    rows: shown.map((c) => [
      c.a,
      c.b,
      String(c.onlyA),
      String(c.onlyB),
      String(c.solvedDiff),
      Number.isFinite(c.solvedDiffCi[0]) ? `[${countText(c.solvedDiffCi[0])}, ${countText(c.solvedDiffCi[1])}]` : '–',
      c.mcnemarP < 0.001 ? '<0.001' : c.mcnemarP.toFixed(3),
    ]),
  };
}

/** Every parameter, data source and version behind the report. */
export function methodsHtmlTable(input: ReportInput): HtmlTable {
  const rows: string[][] = [];
  for (const source of input.sources) rows.push(['data source', source]);
  const a = input.analysis?.parameters;
  if (a) {
    rows.push(['analysis rows', String(a.rows)]);
    rows.push(['failure penalty F', `$${a.penalty}`]);
    rows.push(['reserve r', `uniform on [0, $${a.maxReserve}]`]);
    rows.push(['auction method', a.method === 'exact' ? 'closed form' : `Monte Carlo, ${a.draws} draws per task`]);
    rows.push(['analysis seed', String(a.seed)]);
    rows.push(['bootstrap', `${a.resamples} task-clustered resamples, ${Math.round(100 * a.level)}% percentile intervals`]);
    rows.push(['ECE bins', '10 equal-width bins [0, 0.1), …, [0.9, 1.0] with p = 1 in the last']);
  }
  const r = input.replay?.settings;
  if (r) {
    rows.push(['value per solved task V', `$${r.value}`]);
    rows.push(['max attempts per task', String(r.maxAttempts)]);
    rows.push(['replay seed', String(r.seed)]);
    rows.push(['cross-fitting', `${r.folds}-fold by task`]);
    rows.push(['paired bootstrap', `${r.resamples} resamples`]);
    rows.push(['forecasts', r.informativeness === null ? 'as recorded' : `synthesized, informativeness ${r.informativeness}`]);
  }
  for (const [name, version] of Object.entries(input.versions)) rows.push([`version: ${name}`, version]);
  rows.push(['generated at', input.generatedAt]);
  return { columns: ['parameter', 'value'], rows };
}
