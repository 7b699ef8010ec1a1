import type { LabeledForecast } from '../../core/labeled-forecast.js';
import { quantile } from '../../metrics/quantile.js';

/** Rows of the same repository needed before the card gets a repository line (§6). */
export const SAME_REPO_MIN_TASKS = 5;

/** Under this many percentage points between mean stated p and pass rate, the card says "close to calibrated". */
export const CALIBRATED_WITHIN_POINTS = 3;

/** The numbers on a self-knowledge card. */
export interface CardStats {
  /** Held-out tasks the card summarizes. */
  tasks: number;
  /** Tasks solved among them. */
  solved: number;
  /** Mean stated probability (per task, repeats averaged first). */
  meanP: number;
  /** Median of actual ÷ forecast tokens over rows where both are known; null when none. */
  tokenMultiple: number | null;
  /** The same-repository line, when at least `SAME_REPO_MIN_TASKS` held-out tasks share the repository. */
  sameRepo: { repo: string; tasks: number; solved: number; meanP: number } | undefined;
}

interface TaskSummary {
  p: number;
  y: number;
  repo: string | undefined;
}

/**
 * The card's numbers for one worker on one task, leave-one-out: `rows` are that worker's labeled
 * forecasts; rows of `taskId` itself are dropped. Each task counts once (stated p averaged over
 * repeats); the token multiple is the median over rows of actual tokens (or cost ÷ blended price
 * when only the cost is known, §5) ÷ forecast tokens. Undefined when no held-out task remains.
 */
export function cardStats(input: { rows: readonly LabeledForecast[]; taskId: string; repo?: string }): CardStats | undefined {
  const byTask = new Map<string, { ps: number[]; y: number; repo: string | undefined }>();
  const multiples: number[] = [];
  for (const row of input.rows) {
    if (row.taskId === input.taskId) continue;
    const entry = byTask.get(row.taskId) ?? { ps: [], y: row.y, repo: row.groups.repo };
    entry.ps.push(row.p);
    byTask.set(row.taskId, entry);
    const actual = row.tokens ?? (row.costUsd !== null && row.blendedPrice ? row.costUsd / row.blendedPrice : null);
    if (actual !== null && actual > 0 && row.expectedTokens !== null && row.expectedTokens > 0) {
      multiples.push(actual / row.expectedTokens);
    }
  }
  if (byTask.size === 0) return undefined;
  const tasks: TaskSummary[] = [...byTask.values()].map((entry) => ({
    p: entry.ps.reduce((sum, p) => sum + p, 0) / entry.ps.length,
    y: entry.y,
    repo: entry.repo,
  }));
  const same = input.repo === undefined ? [] : tasks.filter((task) => task.repo === input.repo);
  return {
    tasks: tasks.length,
    solved: tasks.reduce((sum, task) => sum + task.y, 0),
    meanP: mean(tasks.map((task) => task.p)),
    tokenMultiple: multiples.length > 0 ? quantile(multiples, 0.5) : null,
    sameRepo:
      input.repo !== undefined && same.length >= SAME_REPO_MIN_TASKS
        ? { repo: input.repo, tasks: same.length, solved: same.reduce((sum, task) => sum + task.y, 0), meanP: mean(same.map((task) => task.p)) }
        : undefined,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function percent(part: number, whole: number): string {
  return `${Math.round((100 * part) / whole)}%`;
}

/** "overconfident by 12 points", "underconfident by 5 points" or "close to calibrated (within 3 points)". */
export function calibrationPhrase(meanP: number, passRate: number): string {
  const points = Math.round((meanP - passRate) * 100);
  if (Math.abs((meanP - passRate) * 100) < CALIBRATED_WITHIN_POINTS) {
    return `close to calibrated (within ${CALIBRATED_WITHIN_POINTS} points of your pass rate)`;
  }
  return points > 0 ? `overconfident by ${points} points` : `underconfident by ${-points} points`;
}

/** The card text of DESIGN §6 (or a one-line note when there is no track record). */
export function renderCard(stats: CardStats | undefined): string {
  if (!stats) return 'Self-knowledge card: no track record is available for you yet; estimate from the task alone.';
  const passRate = stats.solved / stats.tasks;
  const lines = [
    `Self-knowledge card: your own track record on ${stats.tasks} earlier tasks (this task is not among them).`,
    `- Pass rate: you solved ${stats.solved} of ${stats.tasks} tasks (${percent(stats.solved, stats.tasks)}).`,
    `- Your mean stated probability of success was ${stats.meanP.toFixed(2)}: ${calibrationPhrase(stats.meanP, passRate)}.`,
  ];
  if (stats.tokenMultiple !== null) {
    lines.push(`- Your actual token use was typically ${formatMultiple(stats.tokenMultiple)} your forecast (median of actual ÷ forecast).`);
  }
  if (stats.sameRepo) {
    const same = stats.sameRepo;
    lines.push(
      `- On ${same.tasks} earlier tasks from the same repository (${same.repo}) you solved ${same.solved} (${percent(same.solved, same.tasks)}); ` +
        `your mean stated probability there was ${same.meanP.toFixed(2)}.`,
    );
  }
  lines.push('Start from these tendencies and move away from them only when this task gives you a clear reason.');
  return lines.join('\n');
}

function formatMultiple(multiple: number): string {
  return multiple >= 10 ? `${Math.round(multiple)} times` : `${multiple.toFixed(multiple >= 1 ? 1 : 2)} times`;
}
