import type { MechanismComparison, ReplayReport } from './types.js';

/** Output formats of a replay report. */
export type ReplayFormat = 'table' | 'md' | 'json';

function money(value: number | null): string {
  if (value === null) return '—';
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

/**
 * Renders a replay report as an aligned text table or markdown: one row per mechanism (solved,
 * rate, spend, actual cost, spend per solve, surplus at V, tokens per solve, attempts), the
 * frontier and its area score, and the paired comparisons against the reference mechanism (the
 * first one) — or all pairs with `allPairs`.
 */
export function formatReplayReport(report: ReplayReport, options: { format: 'table' | 'md'; allPairs?: boolean }): string {
  const markdown = options.format === 'md';
  const { settings } = report;
  const rows = Object.entries(report.mechanisms).map(([name, result]) => [
    name,
    `${result.solved}/${result.n}`,
    `${(100 * result.solveRate).toFixed(1)}%`,
    money(result.spendUsd),
    money(result.costUsd),
    money(result.costPerSolve),
    money(result.surplus),
    tokens(result.tokensPerSolve),
    String(result.attempts),
  ]);
  const parts: string[] = [];
  const heading = (text: string) => (markdown ? `### ${text}` : text);
  parts.push(
    heading(
      `Replay: ${settings.tasks} tasks × ${settings.workers} workers, V = $${settings.value}, maxAttempts ${settings.maxAttempts}, ${settings.folds}-fold cross-fitting, seed ${settings.seed}${
        settings.informativeness === null ? '' : `, synthesized forecasts (informativeness ${settings.informativeness})`
      }`,
    ),
  );
  parts.push(
    render(['mechanism', 'solved', 'rate', 'spend $', 'cost $', '$/solve', 'surplus $', 'tokens/solve', 'attempts'], rows, markdown),
  );
  const frontier = report.frontier.points.map((point) => `${point.name} (${point.solved}, $${money(point.spendUsd)})`).join(' → ');
  parts.push(`${heading('Cost–solve frontier')}\n${frontier}\nAUF = ${report.frontier.auf.toFixed(3)} (area under the solved-vs-spend step curve over [0, $${money(report.frontier.spendMax)}], ÷ (spend range × tasks))`);
  const names = Object.keys(report.mechanisms);
  const reference = names[0];
  const pairs: MechanismComparison[] = options.allPairs
    ? report.comparisons
    : report.comparisons.filter((pair) => pair.a === reference || pair.b === reference);
  if (pairs.length > 0) {
    const comparisonRows = pairs.map((pair) => [
      `${pair.a} vs ${pair.b}`,
      String(pair.solvedDiff),
      `[${count(pair.solvedDiffCi[0])}, ${count(pair.solvedDiffCi[1])}]`,
      `${pair.onlyA}/${pair.onlyB}`,
      pValue(pair.mcnemarP),
    ]);
    parts.push(
      `${heading(options.allPairs ? 'Paired comparisons' : `Paired comparisons against ${reference}`)}\n${render(
        ['pair', 'Δ solved', '95% CI', 'only a/only b', 'McNemar p'],
        comparisonRows,
        markdown,
      )}`,
    );
  }
  return `${parts.join('\n\n')}\n`;
}
