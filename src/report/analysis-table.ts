import pc from 'picocolors';
import type { RESERVE_TREATMENTS } from '../economics/index.js';
import type { AnalysisReport, Interval, SetSummaries, Summary, TreatmentComparison, TreatmentDelta } from '../metrics/index.js';

/** A row the loader skipped (file, line, field, reason). */
export interface SkippedRowView {
  /** File. */
  file: string;
  /** 1-based line. */
  line: number;
  /** Offending field. */
  field: string;
  /** Why. */
  reason: string;
}

/** How to print an analysis. */
export interface AnalysisFormatOptions {
  /** `table` (aligned terminal text) or `md` (GitHub markdown). */
  format: 'table' | 'md';
  /** Colour headings and intervals (terminal only). */
  color: boolean;
  /** Rows skipped on import. */
  skipped: readonly SkippedRowView[];
}

/** One table of an analysis, already formatted as text cells. */
export interface AnalysisTable {
  /** Heading. */
  title: string;
  /** Column headers. */
  headers: string[];
  /** Right-align columns from this index on (numbers). */
  numericFrom: number;
  /** Rows of formatted cells. */
  rows: string[][];
}

type Table = AnalysisTable;

const MAX_SKIPPED_LISTED = 10;

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function withCi(value: number, ci: Interval, digits: number): string {
  const point = fixed(value, digits);
  return ci === null ? point : `${point} [${fixed(ci[0], digits)}, ${fixed(ci[1], digits)}]`;
}

function signed(value: number, digits: number): string {
  return Number.isFinite(value) && value > 0 ? `+${value.toFixed(digits)}` : fixed(value, digits);
}

function deltaCi(value: number, ci: Interval, digits: number): string {
  return ci === null ? signed(value, digits) : `${signed(value, digits)} [${signed(ci[0], digits)}, ${signed(ci[1], digits)}]`;
}

function entries(set: SetSummaries): [string, Summary][] {
  return [['overall', set.overall], ...Object.entries(set.byWorker)];
}

function calibrationTable(set: SetSummaries, title: string): Table {
  return {
    title,
    headers: ['worker', 'n', 'pass rate', 'mean p', 'Brier [95% CI]', 'skill', 'ECE [95% CI]', 'log loss', 'AUROC [95% CI]', '#p'],
    numericFrom: 1,
    rows: entries(set).map(([name, s]) => [
      name,
      String(s.n),
      fixed(s.passRate, 3),
      fixed(s.meanP, 3),
      withCi(s.brier, s.brierCi, 4),
      fixed(s.brierSkill, 3),
      withCi(s.ece, s.eceCi, 4),
      fixed(s.logLoss, 3),
      withCi(s.auroc, s.aurocCi, 3),
      String(s.distinctP),
    ]),
  };
}

function tokenTable(set: SetSummaries, title: string): Table {
  return {
    title,
    headers: ['worker', 'n', 'median T̂/T [95% CI]', 'IQR', 'mean log10 T̂/T'],
    numericFrom: 1,
    rows: entries(set).map(([name, s]) => [
      name,
      String(s.tokenRatioN),
      withCi(s.medianTokenRatio, s.medianTokenRatioCi, 3),
      `${fixed(s.tokenRatioIqr[0], 3)}–${fixed(s.tokenRatioIqr[1], 3)}`,
      withCi(s.meanLog10TokenRatio, s.meanLog10TokenRatioCi, 2),
    ]),
  };
}

function auctionTable(set: SetSummaries, title: string): Table {
  return {
    title,
    headers: [
      'worker',
      'n',
      'mean b*',
      'win rate',
      'expected',
      'realized (paper) [95% CI]',
      'realized (full)',
      'oracle',
      'oracle gap [95% CI]',
      'win share',
    ],
    numericFrom: 1,
    rows: entries(set).map(([name, s]) => {
      const a = s.auction;
      return [
        name,
        String(a.n),
        fixed(a.meanBreakevenBid, 3),
        fixed(a.winRate, 3),
        fixed(a.expectedProfit, 4),
        withCi(a.realizedProfit, a.realizedProfitCi, 4),
        fixed(a.realizedProfitFull, 4),
        fixed(a.oracleProfit, 4),
        withCi(a.oracleGap, a.oracleGapCi, 4),
        fixed(a.winShare, 3),
      ];
    }),
  };
}

function treatmentTable(summary: Summary, title: string): Table {
  const names = Object.keys(summary.auction.treatments) as (typeof RESERVE_TREATMENTS)[number][];
  return {
    title,
    headers: ['treatment', 'win rate', 'expected', 'realized (paper)', 'realized (full)', 'oracle', 'oracle gap', 'win share'],
    numericFrom: 1,
    rows: names.map((name) => {
      const a = summary.auction.treatments[name];
      return [
        name,
        fixed(a.winRate, 3),
        fixed(a.expectedProfit, 4),
        fixed(a.realizedProfit, 4),
        fixed(a.realizedProfitFull, 4),
        fixed(a.oracleProfit, 4),
        fixed(a.oracleGap, 4),
        fixed(a.winShare, 3),
      ];
    }),
  };
}

function comparisonTable(comparison: TreatmentComparison): Table {
  const rows: [string, TreatmentDelta][] = [['overall', comparison.overall], ...Object.entries(comparison.byWorker)];
  return {
    title: `Treatment comparison: ${comparison.treatment} − ${comparison.baseline} on the same tasks (paired task bootstrap)`,
    headers: ['worker', 'n', 'Δ Brier [95% CI]', 'Δ ECE [95% CI]', 'Δ AUROC [95% CI]', 'Δ median T̂/T [95% CI]', 'Δ realized profit [95% CI]'],
    numericFrom: 1,
    rows: rows.map(([name, d]) => [
      name,
      String(d.n),
      deltaCi(d.brier, d.brierCi, 4),
      deltaCi(d.ece, d.eceCi, 4),
      deltaCi(d.auroc, d.aurocCi, 3),
      deltaCi(d.medianTokenRatio, d.medianTokenRatioCi, 3),
      deltaCi(d.realizedProfit, d.realizedProfitCi, 4),
    ]),
  };
}

function renderText(table: Table, color: boolean): string {
  const c = pc.createColors(color);
  const widths = table.headers.map((header, k) => Math.max([...header].length, ...table.rows.map((row) => [...(row[k] ?? '')].length)));
  const pad = (cell: string, k: number) => {
    const gap = ' '.repeat((widths[k] as number) - [...cell].length);
    return k >= table.numericFrom ? gap + cell : cell + gap;
  };
  const lines = [c.bold(table.title), c.dim(table.headers.map(pad).join('  '))];
  for (const row of table.rows) lines.push(row.map(pad).join('  '));
  return `${lines.join('\n')}\n`;
}

function renderMarkdown(table: Table): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [
    `### ${table.title}`,
    '',
    `| ${table.headers.map(escapeCell).join(' | ')} |`,
    `|${table.headers.map((_, k) => (k >= table.numericFrom ? '---:' : ':---')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Every table of an analysis in print order: calibration, token forecasts, the reserve auction and
 * its treatments, then per group, then the treatment comparison. `analyze` prints them and the
 * HTML report shows the same tables.
 */
export function analysisTables(report: AnalysisReport): AnalysisTable[] {
  const all: SetSummaries = { overall: report.overall, byWorker: report.byWorker };
  const tables: Table[] = [
    calibrationTable(all, 'Calibration and discrimination'),
    tokenTable(all, 'Token forecasts (T̂ = stated tokens, T = actual tokens)'),
    auctionTable(all, 'Reserve-price auction (pay-reserve)'),
    treatmentTable(report.overall, 'Auction treatments (all rows)'),
  ];
  for (const [value, set] of Object.entries(report.groups ?? {})) {
    tables.push(calibrationTable(set, `${report.groupBy} = ${value}: calibration`));
    tables.push(tokenTable(set, `${report.groupBy} = ${value}: token forecasts`));
    tables.push(auctionTable(set, `${report.groupBy} = ${value}: reserve auction (pay-reserve)`));
  }
  if (report.comparison) tables.push(comparisonTable(report.comparison));
  return tables;
}

/** The analysis as aligned terminal tables or GitHub markdown. */
export function formatAnalysis(report: AnalysisReport, options: AnalysisFormatOptions): string {
  const p = report.parameters;
  const method = p.method === 'exact' ? 'closed form' : `Monte Carlo, ${p.draws} reserve draws per task`;
  const intervals = p.resamples > 0 ? `${Math.round(p.level * 100)}% CIs from ${p.resamples} task-clustered bootstrap resamples` : 'no CIs';
  const header = [
    `MarketBench Phase I analysis: ${report.overall.n} rows, ${report.overall.tasks} tasks, ${Object.keys(report.byWorker).length} workers`,
    `Reserve auction: F = $${p.penalty}, r ~ U[0, $${p.maxReserve}], ${method}, seed ${p.seed}; ${intervals}.`,
    'Profits are USD per forecast row. realized (paper) = y·(r − b*) on won draws; realized (full) = y·r − c − (1−y)·F on won draws; oracle gap = oracle − realized (paper).',
  ];
  const tables = analysisTables(report);
  const footer: string[] = [];
  if (options.skipped.length > 0) {
    footer.push(`Skipped ${options.skipped.length} bad row(s) (use --strict to make them fatal):`);
    for (const row of options.skipped.slice(0, MAX_SKIPPED_LISTED)) footer.push(`  ${row.file}:${row.line}: field '${row.field}': ${row.reason}`);
    if (options.skipped.length > MAX_SKIPPED_LISTED) footer.push(`  … and ${options.skipped.length - MAX_SKIPPED_LISTED} more (see --format json)`);
  }
  if (options.format === 'md') {
    return [`## ${header[0]}`, '', ...header.slice(1), '', ...tables.map(renderMarkdown), ...footer.map((line) => `${line}\n`)].join('\n');
  }
  const c = pc.createColors(options.color);
  return [c.bold(header[0] as string), ...header.slice(1).map((line) => c.dim(line)), '', tables.map((t) => renderText(t, options.color)).join('\n'), ...footer]
    .join('\n')
    .concat('\n');
}
