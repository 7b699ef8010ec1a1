import { type GroupedResults, rankByWelfare, type ReplayReport } from '../replay/index.js';
import { formatUsd } from './format-usd.js';
import type { HtmlTable } from './html.js';

type Spread = { mean: number; sd: number; ci?: [number, number] };

function spreadText(entry: Spread, format: (x: number) => string): string {
  const base = `${format(entry.mean)} ± ${format(entry.sd)}`;
  return entry.ci ? `${base} [${format(entry.ci[0])}, ${format(entry.ci[1])}]` : base;
}

/**
 * The learned mechanisms' spread over repetitions the replay controls: under full feedback their
 * mean ± sd over seeded fold assignments (`foldSpread`), under bandit feedback their mean ± sd
 * with a 95% t interval over seeded arrival orders (`arrivalSpread`). Undefined when no mechanism
 * has one.
 */
export function replaySpreadHtmlTable(replay: ReplayReport): (HtmlTable & { title: string }) | undefined {
  const bandit = replay.settings.feedback === 'bandit';
  const rows = rankByWelfare(replay.mechanisms).flatMap((name) => {
    const result = replay.mechanisms[name];
    const spread = bandit ? result?.arrivalSpread : result?.foldSpread;
    if (!spread) return [];
    const count = (x: number) => x.toFixed(1);
    return [[name, spreadText(spread.solved, count), spreadText(spread.actualCostUsd, formatUsd), spreadText(spread.welfare, formatUsd)]];
  });
  if (rows.length === 0) return undefined;
  const repetitions = bandit ? `${replay.settings.arrivalSeeds} seeded arrival orders` : `${replay.settings.foldSeeds} seeded fold assignments`;
  return {
    title: `Learned mechanisms over ${repetitions}`,
    columns: ['mechanism', 'solved', 'actual cost', 'welfare'],
    numeric: [1, 2, 3],
    rows,
    caption: bandit
      ? 'Bandit feedback: tasks arrive in a seeded order and each learner sees only its own earlier attempts, so the result depends on the order. Mean ± sample sd over the orders, with the 95% t interval of the mean; the mechanism table above is order 0.'
      : 'Full feedback, cross-fitted: mean ± sample sd over seeded assignments of tasks to folds (the synthesized forecasts stay those of assignment 0); the mechanism table above is assignment 0.',
  };
}

/** Solved, actual cost and welfare per group of a task feature (`--group-by`), mechanisms by welfare within each group. */
export function groupHtmlTable(grouped: GroupedResults): HtmlTable & { title: string } {
  const rows = Object.entries(grouped.groups).flatMap(([group, byMechanism]) =>
    Object.entries(byMechanism)
      .sort(([, a], [, b]) => b.welfare - a.welfare)
      .map(([name, figures]) => [group, name, `${figures.solved}/${figures.n}`, formatUsd(figures.actualCostUsd), formatUsd(figures.welfare)]),
  );
  return {
    title: `Mechanisms by ${grouped.feature}`,
    columns: [grouped.feature, 'mechanism', 'solved', 'actual cost', 'welfare'],
    numeric: [2, 3, 4],
    rows,
    caption: `Each mechanism's solved tasks, actual cost and welfare on the tasks of each ${grouped.feature} (groups by size; the sums over groups give the mechanism table).`,
  };
}
