import { planArmsTable, planCalibrationChart, planLevels, planLevelsTable, planMonotonicityLines } from './plans-section.js';
import type { LabeledForecast } from '../core/index.js';
import type { AnalysisReport } from '../metrics/analyze.js';
import type { GroupedResults, ReplayReport } from '../replay/index.js';
import type { SweepReport } from '../sim/signal-sweep.js';
import type { StrategicSweepReport } from '../sim/strategic/index.js';
import type { StoredMarket } from '../runtime/market/stored-comparison.js';
import { reliabilityChart, statedVersusActualChart, tokenRatioChart } from './calibration-charts.js';
import type { ReportDocument, ReportSection } from './html-document.js';
import { renderHtmlDocument } from './html-document.js';
import { incentivesParagraphs, incentivesPathChart, incentivesTable } from './incentives-section.js';
import { auctionProfitChart, frontierChart, treatmentDeltaChart, winShareChart } from './market-charts.js';
import { type ChartSpec, renderSvg } from './render-chart.js';
import {
  auctionProfitPoints,
  frontierPoints,
  marketFrontierPoints,
  reliabilityPoints,
  statedActualPoints,
  tokenRatioPoints,
  treatmentDeltaPoints,
  winSharePoints,
} from './report-data.js';
import { analysisHtmlTables, comparisonHtmlTable, marketHtmlTables, methodsHtmlTable, replayHtmlTable } from './report-tables.js';
import { groupHtmlTable, replaySpreadHtmlTable } from './replay-spread-tables.js';
import { type SignalWorthLevel, signalWorthHtmlTable } from './signal-worth.js';
import { sweepSection } from './sweep-section.js';

/** Everything a report shows; each part is optional and its sections appear only when present. */
export interface ReportInput {
  /** Page title. */
  title: string;
  /** Where the data came from (files, store and run), for the methods section. */
  sources: string[];
  /** The Phase I analysis, when forecasts with outcomes were available. */
  analysis?: AnalysisReport;
  /** The rows behind the analysis (for per-row distributions). */
  rows?: readonly LabeledForecast[];
  /** The mechanisms' replay, when a matrix was available. */
  replay?: ReplayReport;
  /** What the replay's matrix left out of its source (a store's cells without an attempt), shown with the replay. */
  replayNotes?: string[];
  /** The replay's results per group of a task feature (`--group-by`). */
  groups?: GroupedResults;
  /** The markets replayed at several target AUROCs of synthesized forecasts (`--signal-aurocs`). */
  signalWorth?: SignalWorthLevel[];
  /** A signal-AUROC sweep, shown as the "sweep" section. */
  sweep?: SweepReport;
  /** A live market run's matched comparison, when the report is of a market run. */
  market?: StoredMarket;
  /** A strategic-bidders sweep, shown as the "incentives" section. */
  incentives?: StrategicSweepReport;
  /** Workers run on the offline mock provider: the report says up front that their results are synthetic. */
  mockWorkers?: string[];
  /** Simulated runs in the report's data: the report says up front that they are not measurements. */
  simulatedRuns?: string[];
  /** Software versions (MarketBench, Node.js, ...). */
  versions: Record<string, string>;
  /** When the report was generated (ISO-8601), passed in so builds are reproducible. */
  generatedAt: string;
}

/** A built report: the HTML page and every chart with its SVG. */
export interface BuiltReport {
  /** The self-contained HTML. */
  html: string;
  /** Every chart in page order, with its rendered SVG. */
  charts: { chart: ChartSpec; svg: string }[];
}

/** The charts of the calibration and market sections for the given input. */
export function reportCharts(input: ReportInput): { calibration: ChartSpec[]; market: ChartSpec[]; live: ChartSpec[] } {
  const calibration: ChartSpec[] = [];
  const market: ChartSpec[] = [];
  const live: ChartSpec[] = [];
  const { analysis, replay } = input;
  if (analysis) {
    calibration.push(reliabilityChart(reliabilityPoints(analysis)), statedVersusActualChart(statedActualPoints(analysis)));
    const ratios = tokenRatioPoints(input.rows ?? []);
    if (ratios.length > 0) calibration.push(tokenRatioChart(ratios));
    market.push(auctionProfitChart(auctionProfitPoints(analysis)));
    const deltas = treatmentDeltaPoints(analysis);
    if (deltas.length > 0 && analysis.comparison) {
      calibration.push(treatmentDeltaChart(deltas, `${analysis.comparison.treatment} − ${analysis.comparison.baseline}`));
    }
  }
  const shares = winSharePoints(analysis, replay);
  if (shares.length > 0) market.push(winShareChart(shares));
  if (replay) market.push(frontierChart(frontierPoints(replay)));
  if (input.market) {
    const chart = frontierChart(marketFrontierPoints(input.market.comparison));
    live.push({
      ...chart,
      name: 'market-arms',
      title: 'Live market: arms by cost and tasks solved',
      caption: 'Each arm of the live run on the tasks every arm finished, by total USD (attempts plus bids or router calls) and tasks solved; the grey step line joins the arms no other arm beats on both.',
    });
  }
  return { calibration, market, live };
}

async function rendered(charts: ChartSpec[]): Promise<{ chart: ChartSpec; svg: string }[]> {
  const out: { chart: ChartSpec; svg: string }[] = [];
  for (const chart of charts) out.push({ chart, svg: await renderSvg(chart) });
  return out;
}

/** Builds the report page: summary, calibration, market and methods sections. */
export async function buildReport(input: ReportInput): Promise<BuiltReport> {
  const { calibration, market, live } = reportCharts(input);
  const calibrationCharts = await rendered(calibration);
  const marketCharts = await rendered(market);
  const liveCharts = await rendered(live);
  const sections: ReportSection[] = [];
  if (input.analysis) {
    sections.push({
      id: 'self-knowledge',
      title: 'How well each worker knows itself',
      paragraphs: [
        'Calibration compares stated probabilities with outcomes (Brier score, expected calibration error over ten equal-width bins, log loss); discrimination asks whether higher stated probabilities go with more successes (AUROC, and how many distinct probabilities a worker used). Token forecasts are compared with the tokens actually used. Intervals are 95% task-clustered bootstrap intervals.',
      ],
      tables: analysisHtmlTables(input.analysis),
      charts: calibrationCharts,
    });
  }
  if (input.analysis || input.replay) {
    sections.push({
      id: 'market',
      title: 'What each mechanism bought',
      paragraphs: [
        'The reserve-price auction turns each forecast into a breakeven bid b* = (ĉ + F(1 − p)) / p against a reserve r drawn uniformly from [0, R]; the oracle knows the outcome in advance. The replay runs every allocation mechanism over the same task × worker outcomes, so the comparisons are paired task by task.',
      ],
      tables: input.replay ? replayTables(input.replay, { groups: input.groups, worth: input.signalWorth, notes: input.replayNotes }) : [],
      charts: marketCharts,
    });
  }
  if (input.market) {
    sections.push({
      id: 'live-market',
      title: `Live market run ${input.market.runId}`,
      paragraphs: [
        `Arms ${input.market.arms.join(', ')} on the same ${input.market.comparison.summaries[0]?.n ?? 0} tasks, interleaved task by task, each with its own share of the budget. Paired tests are exact McNemar tests on the tasks both arms finished.`,
      ],
      tables: marketHtmlTables(input.market.comparison),
      charts: liveCharts,
    });
  }
  const plansCharts = input.market && input.market.planAttempts.length > 0 ? await rendered([planCalibrationChart(planLevels(input.market.planAttempts))]) : [];
  if (input.market && input.market.planAttempts.length > 0) {
    const plansInput = { rows: input.market.planAttempts, comparison: input.market.comparison, valueUsd: input.market.valueUsd, menus: input.market.menus };
    const versus = planArmsTable(plansInput);
    sections.push({
      id: 'plans',
      title: 'Production plans: which plans won, and did they deliver?',
      paragraphs: [
        'In the plan arms each worker stated a menu — its probability of solving the task and its tokens at each budget the market offered — and the mechanism bought the (worker, plan) pair with the best score. The won plan’s caps bound the attempt: an attempt that reached them was stopped and judged on what it had changed.',
        ...planMonotonicityLines(plansInput),
      ],
      tables: [planLevelsTable(planLevels(input.market.planAttempts)), ...(versus ? [versus] : [])],
      charts: plansCharts,
    });
  }
  const sweepCharts = input.sweep ? await rendered(sweepSection(input.sweep).charts) : [];
  if (input.sweep) sections.push({ ...sweepSection(input.sweep), charts: sweepCharts });
  const incentivesCharts = input.incentives ? await rendered([incentivesPathChart(input.incentives)]) : [];
  if (input.incentives) {
    sections.push({
      id: 'incentives',
      title: 'Incentives: do learning bidders keep reporting honestly?',
      paragraphs: incentivesParagraphs(input.incentives),
      tables: [incentivesTable(input.incentives)],
      charts: incentivesCharts,
    });
  }
  sections.push({
    id: 'methods',
    title: 'Methods and parameters',
    paragraphs: ['Every parameter needed to reproduce the figures above from the same data.'],
    tables: [methodsHtmlTable(input)],
  });
  const document: ReportDocument = {
    title: input.title,
    lead: leadSentence(input),
    sections,
  };
  return { html: renderHtmlDocument(document), charts: [...calibrationCharts, ...marketCharts, ...liveCharts, ...plansCharts, ...sweepCharts, ...incentivesCharts] };
}

/** The replay's tables: mechanisms, their spread over fold assignments or arrival orders, groups, paired comparisons. */
function replayTables(replay: ReplayReport, extra: { groups: GroupedResults | undefined; worth: SignalWorthLevel[] | undefined; notes: string[] | undefined }) {
  const { groups, worth } = extra;
  const spread = replaySpreadHtmlTable(replay);
  const router = replay.mechanisms['router:learned'];
  const worthTable = worth && worth.length > 0 ? [signalWorthHtmlTable(worth, router ? { name: 'router:learned', result: router } : undefined)] : [];
  return [replayHtmlTable(replay, extra.notes), ...(spread ? [spread] : []), ...worthTable, ...(groups ? [groupHtmlTable(groups)] : []), comparisonHtmlTable(replay)];
}

function leadSentence(input: ReportInput): string {
  const parts: string[] = [];
  if (input.mockWorkers && input.mockWorkers.length > 0) {
    parts.push(`MOCK data: ${input.mockWorkers.join(', ')} ran on the offline mock provider, so ${input.mockWorkers.length === 1 ? 'its' : 'their'} forecasts and outcomes are synthetic, not measurements of real models.`);
  }
  if (input.simulatedRuns && input.simulatedRuns.length > 0) {
    parts.push(`SIMULATED data: ${input.simulatedRuns.join(', ')} ${input.simulatedRuns.length === 1 ? 'is a simulated run' : 'are simulated runs'} (synthetic workers and tasks), not measurements of real models.`);
  }
  if (input.analysis) {
    const o = input.analysis.overall;
    parts.push(
      `${o.n} forecasts on ${o.tasks} tasks from ${Object.keys(input.analysis.byWorker).length} workers: pass rate ${(100 * o.passRate).toFixed(1)}%, mean stated p ${(100 * o.meanP).toFixed(1)}%, Brier ${o.brier.toFixed(3)}, ECE ${o.ece.toFixed(3)}.`,
    );
  }
  if (input.replay) {
    const entries = Object.entries(input.replay.mechanisms);
    const best = entries
      .filter(([name]) => name !== 'oracle')
      .sort((a, b) => b[1].welfare - a[1].welfare || a[1].actualCostUsd - b[1].actualCostUsd)[0];
    const oracle = input.replay.mechanisms.oracle;
    if (best) {
      parts.push(
        `Best mechanism by welfare (V·solved − actual cost): ${best[0]}, ${best[1].solved}/${best[1].n} solved at an actual cost of $${best[1].actualCostUsd.toFixed(2)}, welfare $${best[1].welfare.toFixed(2)}${oracle ? ` (oracle: ${oracle.solved} for $${oracle.actualCostUsd.toFixed(2)})` : ''}.`,
      );
    }
  }
  if (input.sweep) {
    const { settings } = input.sweep;
    parts.push(`Signal sweep of the ${settings.population} population over ${input.sweep.levels.length} levels × ${settings.seeds.length} seeds: where the scoring and reputation auctions overtake the router and the best solo worker, with intervals over seeds.`);
  }
  return parts.join(' ') || 'MarketBench report.';
}
