import type { ViewData } from './view-data.js';
import { VIEW_SCRIPT } from './view-script.js';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d232b; background: #fafbfc; }
header { background: #24323f; color: #fff; padding: 10px 20px; font-weight: 600; }
header span { font-weight: 400; opacity: .75; margin-left: 10px; }
#app { padding: 12px 20px 40px; max-width: 1300px; }
h1 { font-size: 20px; margin: 8px 0 12px; } h2 { font-size: 16px; margin: 22px 0 8px; } h4 { margin: 6px 0; } h5 { margin: 10px 0 4px; }
table { border-collapse: collapse; margin: 6px 0 10px; background: #fff; }
th, td { border: 1px solid #dde2e8; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
a { color: #1559b3; text-decoration: none; } a:hover { text-decoration: underline; }
pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #dde2e8; padding: 6px 8px; margin: 4px 0; max-height: 360px; overflow: auto; font-size: 12.5px; }
pre.command { background: #1f2933; color: #e6edf3; border-color: #1f2933; }
pre.diff { background: #f6fff7; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; color: #fff; }
.badge.pass { background: #1a7f37; } .badge.fail { background: #b42318; }
.filters label { margin-right: 14px; } .filters select { font: inherit; }
.crumbs { color: #57606a; margin: 0; } .count { color: #57606a; }
.round, details.attempt { background: #fff; border: 1px solid #dde2e8; border-radius: 4px; padding: 6px 10px; margin: 8px 0; }
details.attempt > summary { cursor: pointer; padding: 2px 0; }
ol.steps { padding-left: 20px; } .step-head { color: #57606a; font-size: 12px; }
.winner { font-weight: 600; } .router { margin: 4px 0; }
`;

/** Escapes JSON for a `<script type="application/json">` block (no `</script>` or `<!--` inside). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Splits the viewer's data so a large run opens fast: an index with, per task, only what the run
 * table and its filters read (workers, arms, outcomes, cost), and one JSON block per task with its
 * statement, forecasts, rounds and attempts, parsed by the page when the task is opened.
 */
export function splitViewData(data: ViewData): { index: unknown; details: { id: string; json: string }[] } {
  const details: { id: string; json: string }[] = [];
  const runs = data.runs.map((run, r) => ({
    ...run,
    tasks: run.tasks.map((task, t) => {
      const id = `d${r}-${t}`;
      details.push({ id, json: scriptJson({ statement: task.statement, forecasts: task.forecasts, rounds: task.rounds, attempts: task.attempts }) });
      return {
        id: task.id,
        title: task.title,
        detail: id,
        forecasts: task.forecasts.map((forecast) => ({ workerId: forecast.workerId })),
        rounds: task.rounds.map((round) => ({ arm: round.arm, round: round.round, workerIds: round.workerIds })),
        attempts: task.attempts.map((attempt) => ({ workerId: attempt.workerId, arms: attempt.arms, resolved: attempt.resolved, costUsd: attempt.costUsd })),
      };
    }),
  }));
  return { index: { ...data, runs }, details };
}

/** The self-contained viewer page: styles, the data as embedded JSON (an index and a block per task), and the script; no network. */
export function viewPage(input: { data: ViewData; title: string; mock: boolean; simulated?: boolean }): string {
  const title = input.title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const { index, details } = splitViewData(input.data);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>MarketBench view — ${title}</title><style>${STYLE}</style></head>
<body><header>MarketBench run viewer<span>${title}${input.mock ? ' · includes MOCK (synthetic) workers' : ''}${input.simulated ? ' · includes SIMULATED runs (synthetic workers and tasks)' : ''}</span></header>
<div id="app"></div>
<script type="application/json" id="view-data">${scriptJson(index)}</script>
<script>${VIEW_SCRIPT}</script>
${details.map((detail) => `<script type="application/json" id="${detail.id}">${detail.json}</script>`).join('\n')}
</body></html>
`;
}
