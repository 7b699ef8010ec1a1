import { rankByWelfare } from './frontier.js';
import type { GroupedResults } from './group-results.js';
import type { MechanismComparison, ReplayReport } from './types.js';

/** Output formats of a replay report. */
export type ReplayFormat = 'table' | 'md' | 'json';

function money(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

function count(value: number): string {
  return String(Number(value.toFixed(1)));
}

function pValue(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function tokens(value: number | null): string {
  if (value === null) return '—';
  return value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : value.toFixed(0);
}

function render(header: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
  }
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The JSON document of `replay --format json`: per mechanism its totals (without per-task detail
 * unless `perTask`), every pairwise comparison, the frontier and the settings.
 */
export function replayJson(report: ReplayReport, options: { perTask?: boolean; warnings?: string[] } = {}): unknown {
  const mechanisms: Record<string, unknown> = {};
  for (const [name, result] of Object.entries(report.mechanisms)) {
    const { perTask, ...totals } = result;
    mechanisms[name] = options.perTask ? result : totals;
  }
  return {
    mechanisms,
    comparisons: report.comparisons,
    frontier: report.frontier,
    settings: report.settings,
    ...(options.warnings && options.warnings.length > 0 ? { warnings: options.warnings } : {}),
  };
}

/** One line naming the synthesized signal (target and realized quality), or '' when the matrix had its own forecasts. */
export function signalLine(settings: ReplayReport['settings']): string {
  if (settings.signalAuroc === null) return '';
  const quality = settings.signalQuality;
  const realized = quality ? `; realized AUROC ${quality.auroc.toFixed(3)}, Brier ${quality.brier.toFixed(3)}` : '';
  return `synthesized forecasts: target within-worker AUROC ${settings.signalAuroc}${settings.signalBias ? `, bias ${settings.signalBias}` : ''}${realized}`;
}

/** Rows of the mechanism table, best welfare first (the primary ranking, DESIGN §5). */
export function mechanismRows(report: ReplayReport): string[][] {
  return rankByWelfare(report.mechanisms).map((name) => {
    const result = report.mechanisms[name] as ReplayReport['mechanisms'][string];
    return [
      name,
      `${result.solved}/${result.n}`,
      money(result.actualCostUsd),
      money(result.welfare),
      result.welfareCi ? `[${money(result.welfareCi[0])}, ${money(result.welfareCi[1])}]` : '—',
      money(result.costPerSolve),
      money(result.spendUsd),
      money(result.workerRentUsd),
      money(result.surplus),
      tokens(result.tokensPerSolve),
      String(result.attempts),
    ];
  });
}

/** Rows of mean ± sd over fold assignments, one per learned mechanism that has them, in welfare order. */
function foldSpreadRows(report: ReplayReport): string[][] {
  const pm = (entry: { mean: number; sd: number }, format: (x: number) => string) => `${format(entry.mean)} ± ${format(entry.sd)}`;
  return rankByWelfare(report.mechanisms).flatMap((name) => {
    const spread = report.mechanisms[name]?.foldSpread;
    if (!spread) return [];
    return [[name, pm(spread.solved, (x) => x.toFixed(1)), pm(spread.actualCostUsd, money), pm(spread.welfare, money)]];
  });
}

/** Rows of mean ± sd [95% CI of the mean] over arrival orders, one per learner that has them, in welfare order. */
function arrivalSpreadRows(report: ReplayReport): string[][] {
  const pm = (entry: { mean: number; sd: number; ci: [number, number] }, format: (x: number) => string) =>
    `${format(entry.mean)} ± ${format(entry.sd)} [${format(entry.ci[0])}, ${format(entry.ci[1])}]`;
  return rankByWelfare(report.mechanisms).flatMap((name) => {
    const spread = report.mechanisms[name]?.arrivalSpread;
    if (!spread) return [];
    return [[name, pm(spread.solved, (x) => x.toFixed(1)), pm(spread.actualCostUsd, money), pm(spread.welfare, money)]];
  });
}

/** Column headers matching `mechanismRows`. */
export const MECHANISM_COLUMNS = ['mechanism', 'solved', 'cost $', 'welfare $', 'welfare 95% CI', 'cost/solve $', 'paid $', 'rent $', 'surplus $', 'tokens/solve', 'attempts'];

/**
 * Renders a replay report as an aligned text table or markdown: one row per mechanism ranked by
 * welfare (solved, actual cost, welfare = V·solved − actual cost with its 95% task-level interval,
 * actual cost per solve; then the
 * payments as a transfer, worker rent = paid − actual cost, principal surplus = V·solved − paid),
 * the frontier on actual cost and its area score, and the paired comparisons against the reference
 * mechanism (the first one given) — or all pairs with `allPairs` — with Holm-adjusted p-values and
 * bootstrap CIs of the welfare and cost differences.
 */
export function formatReplayReport(report: ReplayReport, options: { format: 'table' | 'md'; allPairs?: boolean }): string {
  const markdown = options.format === 'md';
  const { settings } = report;
  const parts: string[] = [];
  const heading = (text: string) => (markdown ? `### ${text}` : text);
  const signal = signalLine(settings);
  parts.push(
    heading(
      `Replay: ${settings.tasks} tasks × ${settings.workers} workers, V = $${settings.value}, maxAttempts ${settings.maxAttempts}, ${settings.feedback === 'bandit' ? 'bandit feedback (each learner sees only its own earlier attempts, seeded arrival order)' : `full feedback, ${settings.folds}-fold cross-fitting`}, seed ${settings.seed}${signal === '' ? '' : `, ${signal}`}`,
    ),
  );
  parts.push(render(MECHANISM_COLUMNS, mechanismRows(report), markdown));
  const best = rankByWelfare(report.mechanisms).filter((name) => name !== 'oracle')[0];
  if (best !== undefined) {
    const result = report.mechanisms[best] as ReplayReport['mechanisms'][string];
    parts.push(`best by welfare (oracle aside): ${best}, ${result.solved}/${result.n} solved, actual cost $${money(result.actualCostUsd)}, welfare $${money(result.welfare)}`);
  }
  const spread = foldSpreadRows(report);
  if (spread.length > 0) {
    parts.push(
      `${heading(`Learned mechanisms over ${settings.foldSeeds} seeded fold assignments (mean ± sd; the table above is assignment 0)`)}\n${render(
        ['mechanism', 'solved', 'cost $', 'welfare $'],
        spread,
        markdown,
      )}`,
    );
  }
  const arrivals = arrivalSpreadRows(report);
  if (arrivals.length > 0) {
    parts.push(
      `${heading(`Learners over ${settings.arrivalSeeds} seeded arrival orders (bandit feedback; mean ± sd [95% t interval of the mean]; the table above is order 0)`)}\n${render(
        ['mechanism', 'solved', 'cost $', 'welfare $'],
        arrivals,
        markdown,
      )}`,
    );
  }
  const frontier = report.frontier.points.map((point) => `${point.name} (${point.solved}, $${money(point.actualCostUsd)})`).join(' → ');
  parts.push(`${heading('Cost–solve frontier (actual cost)')}\n${frontier}\nAUF = ${report.frontier.auf.toFixed(3)} (area under the solved-vs-actual-cost step curve over [0, $${money(report.frontier.costMax)}], ÷ (cost range × tasks))`);
  const names = Object.keys(report.mechanisms);
  const reference = names[0];
  const pairs: MechanismComparison[] = options.allPairs
    ? report.comparisons
    : report.comparisons.filter((pair) => pair.a === reference || pair.b === reference);
  if (pairs.length > 0) {
    const interval = (ci: [number, number], format: (x: number) => string) => `[${format(ci[0])}, ${format(ci[1])}]`;
    const comparisonRows = pairs.map((pair) => [
      `${pair.a} vs ${pair.b}`,
      String(pair.solvedDiff),
      interval(pair.solvedDiffCi, count),
      money(pair.welfareDiff),
      interval(pair.welfareDiffCi, money),
      money(pair.costDiff),
      interval(pair.costDiffCi, money),
      `${pair.onlyA}/${pair.onlyB}`,
      pValue(pair.mcnemarP),
      pValue(pair.mcnemarPHolm),
    ]);
    parts.push(
      `${heading(options.allPairs ? 'Paired comparisons' : `Paired comparisons against ${reference}`)}\n${render(
        ['pair', 'Δ solved', '95% CI', 'Δ welfare $', '95% CI', 'Δ cost $', '95% CI', 'only a/only b', 'McNemar p', `Holm p (${report.comparisons.length})`],
        comparisonRows,
        markdown,
      )}`,
    );
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * Renders per-group results (`groupResults`): one row per group × mechanism, groups by size,
 * mechanisms by welfare within each group.
 */
export function formatGroupedResults(grouped: GroupedResults, options: { format: 'table' | 'md' }): string {
  const markdown = options.format === 'md';
  const rows = Object.entries(grouped.groups).flatMap(([group, byMechanism]) =>
    Object.entries(byMechanism)
      .sort(([, a], [, b]) => b.welfare - a.welfare)
      .map(([name, figures]) => [group, name, `${figures.solved}/${figures.n}`, money(figures.actualCostUsd), money(figures.welfare)]),
  );
  const heading = `By ${grouped.feature} (solved, actual cost and welfare on each group's tasks)`;
  return `${markdown ? `### ${heading}` : heading}\n${render([grouped.feature, 'mechanism', 'solved', 'cost $', 'welfare $'], rows, markdown)}\n`;
}
