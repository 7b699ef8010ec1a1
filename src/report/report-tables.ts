import type { AnalysisReport } from '../metrics/analyze.js';
import { rankByWelfare, type ReplayReport } from '../replay/index.js';
import { marketTables } from './format-market.js';
import type { MarketComparison } from '../market/comparison.js';
import { analysisTables } from './analysis-table.js';
import type { ReportInput } from './build-report.js';
import { formatUsd } from './format-usd.js';
import type { HtmlTable } from './html.js';

/** A count, or an interpolated percentile of counts, to one decimal when not whole. */
function countText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function usd(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '–' : formatUsd(value);
}

/** The tables `analyze` prints, as HTML tables. */
export function analysisHtmlTables(analysis: AnalysisReport): (HtmlTable & { title: string })[] {
  return analysisTables(analysis).map((table) => ({
    title: table.title,
    columns: table.headers,
    rows: table.rows,
    numeric: table.headers.map((_, index) => index).filter((index) => index >= table.numericFrom),
  }));
}

/** One row per replayed mechanism, as `marketbench replay` prints it; `notes` (what the matrix left out) lead the caption. */
export function replayHtmlTable(replay: ReplayReport, notes: readonly string[] = []): HtmlTable & { title: string } {
  const lead = notes.map((note) => `${note.charAt(0).toUpperCase()}${note.slice(1)}. `).join('');
  return {
    title: `Mechanisms on ${replay.settings.tasks} tasks × ${replay.settings.workers} workers (V = $${replay.settings.value}, up to ${replay.settings.maxAttempts} attempts)`,
    columns: ['mechanism', 'solved', 'solve rate', 'actual cost', 'welfare', 'welfare 95% CI', 'cost per solve', 'paid', 'worker rent', 'surplus', 'tokens per solve', 'attempts'],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    rows: rankByWelfare(replay.mechanisms).map((name) => {
      const r = replay.mechanisms[name] as ReplayReport['mechanisms'][string];
      return [
        name,
        `${r.solved}/${r.n}`,
        `${(100 * r.solveRate).toFixed(1)}%`,
        usd(r.actualCostUsd),
        usd(r.welfare),
        r.welfareCi ? `${usd(r.welfareCi[0])} to ${usd(r.welfareCi[1])}` : '–',
        usd(r.costPerSolve),
        usd(r.spendUsd),
        usd(r.workerRentUsd),
        usd(r.surplus),
        r.tokensPerSolve === null ? '–' : Math.round(r.tokensPerSolve).toLocaleString('en-US'),
        String(r.attempts),
      ];
    }),
    caption: `${lead}Ranked by welfare = V·solved − actual cost (actual cost: the recorded cost of every attempt, else tokens × price), under ${replay.settings.feedback} feedback. The welfare interval is task-level and closed form (welfare ± 1.96·√n·sd of the per-task welfare, the normal limit of the task bootstrap); each row is one seeded replay (one draw of any reserve prices, tie-breaks, Thompson samples and synthesized forecasts).${replay.mechanisms.reserve ? ' The reserve auction buys almost nothing: it pays a reserve r drawn uniformly from [0, R], and a worker wins only when its breakeven bid (ĉ + F(1 − p))/p is at most r; with p near the base rate that bid sits near or above R, so most tasks clear no bidder.' : ''} "Paid" is what the mechanism's rules transfer to the workers (auctions pay asks built from token forecasts, which can sit far below the actual cost); worker rent = paid − actual cost; surplus = V·solved − paid. Area under the cost–solve frontier on actual cost: ${replay.frontier.auf.toFixed(3)} (cost range $0–$${replay.frontier.costMax.toFixed(2)}).${replay.settings.signalAuroc === null ? '' : ` Forecasts synthesized at a target within-worker AUROC of ${replay.settings.signalAuroc}${replay.settings.signalQuality ? ` (realized ${replay.settings.signalQuality.auroc.toFixed(3)}, Brier ${replay.settings.signalQuality.brier.toFixed(3)})` : ''}.`}`,
  };
}

/** Paired comparisons: exact McNemar (raw and Holm-adjusted), bootstrap CIs of the solved, welfare and cost differences. */
export function comparisonHtmlTable(replay: ReplayReport): HtmlTable & { title: string } {
  const reference = Object.keys(replay.mechanisms)[0];
  const shown = replay.comparisons.filter((c) => c.a === reference || c.b === reference || replay.comparisons.length <= 30);
  return {
    title: 'Paired comparisons on the same tasks',
    columns: ['A', 'B', 'only A', 'only B', 'solved A − B', '95% CI', 'welfare A − B', '95% CI', 'cost A − B', '95% CI', 'McNemar p', 'Holm p'],
    numeric: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    rows: shown.map((c) => [
      c.a,
      c.b,
      String(c.onlyA),
      String(c.onlyB),
      String(c.solvedDiff),
      Number.isFinite(c.solvedDiffCi[0]) ? `[${countText(c.solvedDiffCi[0])}, ${countText(c.solvedDiffCi[1])}]` : '–',
      usd(c.welfareDiff),
      Number.isFinite(c.welfareDiffCi[0]) ? `[${usd(c.welfareDiffCi[0])}, ${usd(c.welfareDiffCi[1])}]` : '–',
      usd(c.costDiff),
      Number.isFinite(c.costDiffCi[0]) ? `[${usd(c.costDiffCi[0])}, ${usd(c.costDiffCi[1])}]` : '–',
      c.mcnemarP < 0.001 ? '<0.001' : c.mcnemarP.toFixed(3),
      c.mcnemarPHolm < 0.001 ? '<0.001' : c.mcnemarPHolm.toFixed(3),
    ]),
    caption: `Holm p adjusts the McNemar p-values over all ${replay.comparisons.length} pairs of the replay. CIs are 95% task-level paired bootstrap percentile intervals (${replay.settings.resamples} resamples, shared by every pair).`,
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
    rows.push([
      'feedback',
      r.feedback === 'bandit'
        ? `bandit: seeded arrival order, each learner sees only its own earlier attempts; spread over ${r.arrivalSeeds} arrival order(s)`
        : `full: cross-fitted on every worker's outcomes on other tasks; spread over ${r.foldSeeds} fold assignment(s)`,
    ]);
    rows.push([
      'forecasts',
      r.signalAuroc === null
        ? 'as recorded'
        : `synthesized, target within-worker AUROC ${r.signalAuroc}, bias ${r.signalBias ?? 0}${r.signalQuality ? `; realized AUROC ${r.signalQuality.auroc.toFixed(3)}, Brier ${r.signalQuality.brier.toFixed(3)}` : ''}`,
    ]);
  }
  for (const [name, version] of Object.entries(input.versions)) rows.push([`version: ${name}`, version]);
  rows.push(['generated at', input.generatedAt]);
  return { columns: ['parameter', 'value'], rows };
}

/** The tables `marketbench market` prints: arms, paired tests, each worker's wins per arm. */
export function marketHtmlTables(comparison: MarketComparison): (HtmlTable & { title: string })[] {
  const { arms, pairs, workers } = marketTables(comparison);
  return [
    { title: 'Arms on the matched tasks', ...arms },
    { title: 'Paired comparisons (exact McNemar)', ...pairs },
    { title: 'Wins and conversions per worker', ...workers },
  ];
}
