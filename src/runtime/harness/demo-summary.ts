import type { MechanismComparison, ReplayReport } from '../../replay/index.js';
import type { WorkerAggregate } from '../../sim/index.js';
import { markdownTable } from './markdown-table.js';

/** The mechanism comparison: one row per mechanism with the principal's figures. */
export function mechanismTable(report: ReplayReport): string {
  return markdownTable({
    columns: ['mechanism', 'solved', 'rate', 'spend $', '$/solve', 'surplus $', 'tokens/solve', 'attempts', 'most wins'],
    numeric: [1, 2, 3, 4, 5, 6, 7],
    rows: Object.entries(report.mechanisms).map(([name, m]) => {
      const top = Object.entries(m.winShare).sort((a, b) => b[1] - a[1])[0];
      return [
        name,
        `${m.solved}/${m.n}`,
        m.solveRate.toFixed(3),
        m.spendUsd.toFixed(2),
        m.costPerSolve === null ? '–' : m.costPerSolve.toFixed(3),
        m.surplus.toFixed(2),
        m.tokensPerSolve === null ? '–' : String(Math.round(m.tokensPerSolve)),
        String(m.attempts),
        top ? `${top[0]} ${(100 * top[1]).toFixed(0)}%` : '–',
      ];
    }),
  });
}

/** The solo mechanism that solved most tasks (ties to lower spend); undefined when there is none. */
export function bestSolo(report: ReplayReport): string | undefined {
  return Object.entries(report.mechanisms)
    .filter(([name]) => name.startsWith('solo:'))
    .sort((a, b) => b[1].solved - a[1].solved || a[1].spendUsd - b[1].spendUsd)[0]?.[0];
}

/** The comparison of a with b, oriented so `solvedDiff` is solved(a) − solved(b). */
export function comparisonOf(report: ReplayReport, a: string, b: string): MechanismComparison | undefined {
  const direct = report.comparisons.find((c) => c.a === a && c.b === b);
  if (direct) return direct;
  const flipped = report.comparisons.find((c) => c.a === b && c.b === a);
  if (!flipped) return undefined;
  return {
    a,
    b,
    onlyA: flipped.onlyB,
    onlyB: flipped.onlyA,
    mcnemarP: flipped.mcnemarP,
    solvedDiff: -flipped.solvedDiff,
    solvedDiffCi: [-flipped.solvedDiffCi[1], -flipped.solvedDiffCi[0]],
  };
}

/** Options of `demoSummaryMarkdown`. */
export interface DemoSummaryOptions {
  /** The replay. */
  report: ReplayReport;
  /** Per-worker aggregates of the simulated population. */
  aggregates: readonly WorkerAggregate[];
  /** Id of the simulate run. */
  simulateRunId: string;
  /** Id of the replay run. */
  replayRunId: string;
  /** The demo's settings. */
  settings: { seed: number; tasks: number; value: number; maxAttempts: number; resamples: number };
  /** Store file name, relative to the summary. */
  dbFile: string;
}

/** The demo's `summary.md`: what ran, the population, every mechanism, paired comparisons, frontier. */
export function demoSummaryMarkdown(options: DemoSummaryOptions): string {
  const { report, settings } = options;
  const solo = bestSolo(report);
  const others = Object.keys(report.mechanisms).filter((name) => !name.startsWith('solo:'));
  const versus = solo
    ? others.flatMap((name) => {
        const c = comparisonOf(report, name, solo);
        return c
          ? [[name, `${c.solvedDiff >= 0 ? '+' : ''}${c.solvedDiff}`, `[${c.solvedDiffCi[0]}, ${c.solvedDiffCi[1]}]`, `${c.onlyA} / ${c.onlyB}`, formatP(c.mcnemarP)]]
          : [];
      })
    : [];
  const lines = [
    '# MarketBench demo',
    '',
    `Simulated \`paper\` population (DESIGN.md §7): ${settings.tasks} synthetic SWE-bench-like tasks × ${options.aggregates.length} workers, seed ${settings.seed}. ` +
      `Every mechanism was replayed over the task × worker matrix read back from \`${options.dbFile}\` ` +
      `(run \`${options.simulateRunId}\`; replay run \`${options.replayRunId}\`), with value V = $${settings.value} per solved task, ` +
      `at most ${settings.maxAttempts} attempts per task, ${settings.resamples} bootstrap resamples per comparison. No keys, no network.`,
    '',
    '## Population',
    '',
    'Pass rate, mean stated p and median forecast ÷ actual tokens are fitted to the paper; AUROC shows how little the stated p discriminates.',
    '',
    markdownTable({
      columns: ['worker', 'pass rate', 'mean p', 'distinct p', 'AUROC', 'median T̂/T', '$/attempt', '$/token'],
      numeric: [1, 2, 3, 4, 5, 6, 7],
      rows: options.aggregates.map((a) => [
        a.workerId,
        a.passRate.toFixed(3),
        a.meanP.toFixed(3),
        String(a.distinctP),
        Number.isNaN(a.auroc) ? '–' : a.auroc.toFixed(3),
        a.medianTokenRatio.toPrecision(3),
        a.meanCostUsd.toFixed(4),
        a.blendedPrice.toExponential(3),
      ]),
    }),
    '',
    '## Mechanisms',
    '',
    'Spend is what the principal paid; surplus = V × solved − spend; "most wins" is the worker given the largest share of attempts.',
    '',
    mechanismTable(report),
    '',
  ];
  if (solo && versus.length > 0) {
    lines.push(
      `## Paired comparisons with the best solo worker (${solo})`,
      '',
      'Difference in tasks solved on the same tasks, its 95% task-level paired bootstrap CI, the discordant tasks (only this / only the solo) and the exact McNemar p-value.',
      '',
      markdownTable({ columns: ['mechanism', 'Δ solved', '95% CI', 'discordant', 'McNemar p'], numeric: [1, 2, 3, 4], rows: versus }),
      '',
    );
  }
  lines.push(
    '## Cost–solve frontier',
    '',
    `Mechanisms no other mechanism beats on both spend and tasks solved (area under the frontier ${report.frontier.auf.toFixed(3)}):`,
    '',
    ...report.frontier.points.map((p) => `- ${p.name}: ${p.solved} solved for $${p.spendUsd.toFixed(2)}`),
    '',
  );
  return lines.join('\n');
}

function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}
