import { markdownTable, type TextTable } from './markdown-table.js';
import type { ArmSummary, MarketComparison } from '../market/comparison.js';

/** What the market report shows besides the comparison. */
export interface MarketReportHeader {
  /** The run id. */
  runId: string;
  /** Tasks in the run. */
  tasks: number;
  /** Arms that stopped early, and why. */
  stopped: Record<string, string>;
  /** Units that failed for another reason. */
  failedUnits: number;
  /** USD paid to providers in this session and in all. */
  sessionSpendUsd: number;
  /** USD over every session. */
  totalSpendUsd: number;
  /** The budget (Infinity when none). */
  budgetUsd: number;
  /** V, USD per solved task (the bounty in USD), when known. */
  valueUsd?: number;
}

function usd(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

/** Welfare can be negative: a minus sign before the dollar sign. */
function signedUsd(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return value < 0 ? `−${usd(-value)}` : usd(value);
}

function count(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return Math.round(value).toLocaleString('en-US');
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–';
}

/** Arms best first by welfare at actual cost; in the run's order when V is not known. */
function byWelfare(summaries: readonly ArmSummary[]): ArmSummary[] {
  return summaries.slice().sort((a, b) => (a.welfare === null || b.welfare === null ? 0 : b.welfare - a.welfare));
}

/**
 * The three tables of a market comparison: arms ranked by welfare (with welfare = V·solved − total $, when the
 * comparison knows V), paired tests, workers per arm.
 */
export function marketTables(comparison: MarketComparison): { arms: TextTable; pairs: TextTable; workers: TextTable } {
  const arms: TextTable = {
    columns: ['arm', 'solved', 'rate', 'attempts', 'attempts $', 'allocation $', 'total $', '$/solve', 'welfare', 'tokens/solve', 'fallbacks', 'abstained'],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    rows: byWelfare(comparison.summaries).map((summary) => [
      summary.arm,
      `${summary.solved}/${summary.n}`,
      percent(summary.rate),
      String(summary.attempts),
      usd(summary.attemptCostUsd),
      usd(summary.overheadCostUsd),
      usd(summary.totalCostUsd),
      usd(summary.costPerSolve),
      signedUsd(summary.welfare),
      count(summary.tokensPerSolve),
      String(summary.fallbackBids + summary.routerFallbacks),
      String(summary.abstentions),
    ]),
  };
  const pairs: TextTable = {
    columns: ['arm a', 'arm b', 'solved a', 'solved b', 'only a', 'only b', 'McNemar p'],
    numeric: [2, 3, 4, 5, 6],
    rows: comparison.pairs.map((pair) => {
      const solved = (arm: string) => comparison.summaries.find((summary) => summary.arm === arm)?.solved ?? 0;
      return [pair.a, pair.b, String(solved(pair.a)), String(solved(pair.b)), String(pair.onlyA), String(pair.onlyB), pair.pValue.toFixed(3)];
    }),
  };
  const workers: TextTable = {
    columns: ['arm', 'worker', 'won', 'converted', 'conversion'],
    numeric: [2, 3, 4],
    rows: comparison.summaries.flatMap((summary) =>
      summary.workers.map((entry) => [
        summary.arm,
        entry.workerId,
        String(entry.won),
        String(entry.converted),
        entry.won === 0 ? '–' : percent(entry.converted / entry.won),
      ]),
    ),
  };
  return { arms, pairs, workers };
}

/**
 * The market report as text (aligned tables that are also markdown): a header line, the arms on
 * the matched tasks, the paired exact McNemar tests, and each worker's wins and conversions per arm.
 */
export function formatMarketReport(header: MarketReportHeader, comparison: MarketComparison): string {
  const tables = marketTables(comparison);
  const budget = Number.isFinite(header.budgetUsd) ? ` of ${usd(header.budgetUsd)} (${usd(header.budgetUsd / Math.max(1, comparison.arms.length))} per arm)` : '';
  const lines = [
    `market run ${header.runId}: ${header.tasks} tasks × ${comparison.arms.length} arms; compared on the ${comparison.matchedTasks.length} tasks every arm finished`,
    `spent ${usd(header.sessionSpendUsd)} this session, ${usd(header.totalSpendUsd)} in all${budget}`,
  ];
  for (const [arm, reason] of Object.entries(header.stopped)) lines.push(`arm ${arm} stopped early (${reason}); rerun the same command to continue`);
  if (header.failedUnits > 0) lines.push(`${header.failedUnits} (task, arm) units failed; rerun the same command to retry them`);
  if (comparison.unmatchedTasks.length > 0) lines.push(`left out (not finished by every arm): ${comparison.unmatchedTasks.join(', ')}`);
  lines.push(
    '',
    markdownTable(tables.arms),
    '',
    'allocation $ = the arm\'s share of the bids, or the router\'s calls; total $ = what the work cost (attempts + allocation); fallbacks = operator fallback bids + unusable router replies',
    `welfare = V·solved − total $, with V = the bounty in USD${header.valueUsd === undefined ? '' : ` (${usd(header.valueUsd)})`} as the value of a solved task`,
    '',
    'paired on the same tasks (exact McNemar, two-sided):',
    '',
    tables.pairs.rows.length > 0 ? markdownTable(tables.pairs) : '(one arm: nothing to compare)',
    '',
    'workers: won = tasks assigned, converted = of those, resolved:',
    '',
    markdownTable(tables.workers),
    '',
  );
  return lines.join('\n');
}
