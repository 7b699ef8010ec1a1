import { type MechanismComparison, rankByWelfare, type ReplayReport } from '../replay/index.js';
import type { WorkerAggregate } from '../sim/index.js';
import { markdownTable } from './markdown-table.js';

/** The mechanism comparison: one row per mechanism with the principal's figures. */
export function mechanismTable(report: ReplayReport): string {
  return markdownTable({
    columns: ['mechanism', 'solved', 'rate', 'cost $', 'welfare $', 'cost/solve $', 'paid $', 'rent $', 'surplus $', 'tokens/solve', 'attempts', 'most wins'],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    rows: rankByWelfare(report.mechanisms).map((name) => {
      const m = report.mechanisms[name] as ReplayReport['mechanisms'][string];
      const top = Object.entries(m.winShare).sort((a, b) => b[1] - a[1])[0];
      return [
        name,
        `${m.solved}/${m.n}`,
        m.solveRate.toFixed(3),
        m.actualCostUsd.toFixed(2),
        m.welfare.toFixed(2),
        m.costPerSolve === null ? '–' : m.costPerSolve.toFixed(3),
        m.spendUsd.toFixed(2),
        m.workerRentUsd.toFixed(2),
        m.surplus.toFixed(2),
        m.tokensPerSolve === null ? '–' : String(Math.round(m.tokensPerSolve)),
        String(m.attempts),
        top ? `${top[0]} ${(100 * top[1]).toFixed(0)}%` : '–',
      ];
    }),
  });
}

/** The solo mechanism that solved most tasks (ties to lower actual cost); undefined when there is none. */
export function bestSolo(report: ReplayReport): string | undefined {
  return Object.entries(report.mechanisms)
    .filter(([name]) => name.startsWith('solo:'))
    .sort((a, b) => b[1].solved - a[1].solved || a[1].actualCostUsd - b[1].actualCostUsd)[0]?.[0];
}

/** Markets set against the router stand-in and each other in the summary, when replayed. */
const marketPairs: [string, string][] = [
  ['scoring', 'router:learned'],
  ['reputation', 'router:learned'],
  ['reputation', 'scoring'],
];

/**
 * The pairs the summary compares: every non-solo mechanism against the best solo worker, then
 * the markets against the learned router and each other.
 */
export function keyPairs(report: ReplayReport): [string, string][] {
  const names = Object.keys(report.mechanisms);
  const solo = bestSolo(report);
  const versusSolo: [string, string][] = solo
    ? names.filter((name) => !name.startsWith('solo:')).map((name) => [name, solo])
    : [];
  return [...versusSolo, ...marketPairs.filter(([a, b]) => names.includes(a) && names.includes(b))];
}

/** The comparison of a with b among `comparisons`, oriented so `solvedDiff` is solved(a) − solved(b). */
export function comparisonOf(comparisons: readonly MechanismComparison[], a: string, b: string): MechanismComparison | undefined {
  const direct = comparisons.find((c) => c.a === a && c.b === b);
  if (direct) return direct;
  const flipped = comparisons.find((c) => c.a === b && c.b === a);
  if (!flipped) return undefined;
  return {
    a,
    b,
    onlyA: flipped.onlyB,
    onlyB: flipped.onlyA,
    mcnemarP: flipped.mcnemarP,
    mcnemarPHolm: flipped.mcnemarPHolm,
    solvedDiff: -flipped.solvedDiff,
    solvedDiffCi: [-flipped.solvedDiffCi[1], -flipped.solvedDiffCi[0]],
    welfareDiff: -flipped.welfareDiff,
    welfareDiffCi: [-flipped.welfareDiffCi[1], -flipped.welfareDiffCi[0]],
    costDiff: -flipped.costDiff,
    costDiffCi: [-flipped.costDiffCi[1], -flipped.costDiffCi[0]],
  };
}

/** Options of `demoSummaryMarkdown`. */
export interface DemoSummaryOptions {
  /** The replay. */
  report: ReplayReport;
  /** Comparisons of `keyPairs(report)`. */
  keyComparisons: readonly MechanismComparison[];
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
  const row = ([a, b]: [string, string]) => {
    const c = comparisonOf(options.keyComparisons, a, b);
    return c
      ? [
          [
            a,
            `${c.solvedDiff >= 0 ? '+' : ''}${c.solvedDiff}`,
            `[${formatBound(c.solvedDiffCi[0])}, ${formatBound(c.solvedDiffCi[1])}]`,
            c.welfareDiff.toFixed(2),
            `[${c.welfareDiffCi[0].toFixed(2)}, ${c.welfareDiffCi[1].toFixed(2)}]`,
            `${c.onlyA} / ${c.onlyB}`,
            formatP(c.mcnemarP),
            formatP(c.mcnemarPHolm),
          ],
        ]
      : [];
  };
  const pairs = keyPairs(report);
  const versus = pairs.filter(([, b]) => b === solo).flatMap(row);
  const markets = pairs
    .filter(([, b]) => b !== solo)
    .flatMap((pair) => row(pair).map(([, ...rest]) => [`${pair[0]} vs ${pair[1]}`, ...rest]));
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
    'Ranked by welfare = V × solved − actual cost (cost: what the attempts actually cost). Payments are a transfer: "paid" is what the mechanism\'s rules pay the workers (auctions pay asks built from the workers\' token forecasts, which run far below actual use), rent = paid − cost, surplus = V × solved − paid; "most wins" is the worker given the largest share of attempts.',
    '',
    mechanismTable(report),
    '',
  ];
  if (solo && versus.length > 0) {
    lines.push(
      `## Paired comparisons with the best solo worker (${solo})`,
      '',
      'Difference in tasks solved and in welfare on the same tasks, their 95% task-level paired bootstrap CIs, the discordant tasks (only this / only the solo), the exact McNemar p-value and its Holm adjustment over every pair of the replay.',
      '',
      markdownTable({ columns: ['mechanism', 'Δ solved', '95% CI', 'Δ welfare $', '95% CI', 'discordant', 'McNemar p', 'Holm p'], numeric: [1, 2, 3, 4, 5, 6, 7], rows: versus }),
      '',
    );
  }
  if (markets.length > 0) {
    lines.push(
      '## Markets against the router',
      '',
      'There is no language model in the demo: `router:learned` (P(success | public task features, worker), cross-fitted) stands in for the central router.',
      '',
      markdownTable({ columns: ['pair', 'Δ solved', '95% CI', 'Δ welfare $', '95% CI', 'discordant', 'McNemar p', 'Holm p'], numeric: [1, 2, 3, 4, 5, 6, 7], rows: markets }),
      '',
    );
  }
  lines.push(
    '## Cost–solve frontier',
    '',
    `Mechanisms no other mechanism beats on both actual cost and tasks solved (area under the frontier ${report.frontier.auf.toFixed(3)}):`,
    '',
    ...report.frontier.points.map((p) => `- ${p.name}: ${p.solved} solved at an actual cost of $${p.actualCostUsd.toFixed(2)}`),
    '',
  );
  return lines.join('\n');
}

/** CI bounds of a count difference: whole numbers as they are, interpolated percentiles to one decimal. */
function formatBound(bound: number): string {
  if (Number.isNaN(bound)) return '–';
  return Number.isInteger(bound) ? String(bound) : bound.toFixed(1);
}

function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}
