import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellKey, type Matrix, Random } from '../../src/core/index.js';
import { groupResults, runReplay } from '../../src/replay/index.js';
import { buildReport, compileChart, formatUsd, signalWorth, sweepSection } from '../../src/report/index.js';
import { getPreset, sweepSignalAuroc } from '../../src/sim/index.js';
import { gridMatrix } from '../replay/matrix-fixture.js';
import { runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-report-spread-');

/** 48 tasks in two repositories × 3 workers with noisy outcomes; worker w costs $0.1·(w + 1). */
function world(): Matrix {
  const random = new Random(13);
  const workers = ['w0', 'w1', 'w2'];
  const tasks = Array.from({ length: 48 }, (_, i) => `t${i}`);
  const features: Record<string, Record<string, string>> = {};
  const grid = tasks.map((taskId, i) => {
    features[taskId] = { repo: i % 3 === 0 ? 'small' : 'large' };
    return workers.map((_, w) => ({ resolved: random.bernoulli(0.4 + 0.15 * w), cost: 0.1 * (w + 1), p: 0.5 }));
  });
  return gridMatrix({ tasks, workers, grid, features });
}

const cells = (html: string, first: string): string[] => {
  const row = new RegExp(`<tr><td>${first}</td>(.*?)</tr>`).exec(html)?.[1] ?? '';
  return [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((match) => (match[1] as string).replace(/<[^>]+>/g, ''));
};

describe('the report shows the replay spread and groups', () => {
  it('bandit feedback: learners as mean ± sd with the t interval over arrival orders, and a table per repository', async () => {
    const matrix = world();
    const replay = runReplay({ matrix, mechanisms: ['router:thompson', 'cheapest'], value: 2, seed: 1, resamples: 0, feedback: 'bandit', arrivalSeeds: 4 });
    const groups = groupResults({ report: replay, matrix, feature: 'repo' });
    const { html } = await buildReport({ title: 't', sources: [], replay, groups, versions: {}, generatedAt: 'now' });
    expect(html).toContain('Learned mechanisms over 4 seeded arrival orders');
    const spread = replay.mechanisms['router:thompson']!.arrivalSpread!;
    // The solved column, worked out from the per-order values.
    const values = spread.solved.values;
    const mean = values.reduce((a, b) => a + b, 0) / 4;
    const sd = Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / 3);
    const half = (3.182 * sd) / 2; // t(0.975, 3) = 3.182, √4 = 2
    const spreadRow = cells(html.slice(html.indexOf('seeded arrival orders')), 'router:thompson');
    expect(spreadRow[0]).toBe(`${mean.toFixed(1)} ± ${sd.toFixed(1)}[${(mean - half).toFixed(1)}, ${(mean + half).toFixed(1)}]`);
    // Per repository: the small group's figures from a separate loop over the per-task results.
    const small = new Set(matrix.taskIds.filter((_, i) => i % 3 === 0));
    let solved = 0;
    let cost = 0;
    for (const task of replay.mechanisms.cheapest!.perTask) {
      if (!small.has(task.taskId)) continue;
      solved += task.solved ? 1 : 0;
      cost += task.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0);
    }
    expect(html).toContain('Mechanisms by repo');
    const groupRow = new RegExp(`<tr><td>small</td><td>cheapest</td><td class="num">${solved}/16</td><td class="num">${formatUsd(cost).replace('$', '\\$')}</td><td class="num">${formatUsd(2 * solved - cost).replace('$', '\\$')}</td></tr>`);
    expect(html).toMatch(groupRow);
    expect(html).toContain('bandit: seeded arrival order');
  });

  it('full feedback: learned mechanisms as mean ± sd over fold assignments', async () => {
    const replay = runReplay({ matrix: world(), mechanisms: ['cascade:pair', 'cheapest'], value: 2, seed: 1, resamples: 0, folds: 4, foldSeeds: 3 });
    const { html } = await buildReport({ title: 't', sources: [], replay, versions: {}, generatedAt: 'now' });
    expect(html).toContain('Learned mechanisms over 3 seeded fold assignments');
    const spread = replay.mechanisms['cascade:pair']!.foldSpread!;
    const row = cells(html.slice(html.indexOf('seeded fold assignments')), 'cascade:pair');
    expect(row[0]).toBe(`${spread.solved.mean.toFixed(1)} ± ${spread.solved.sd.toFixed(1)}`);
  });

  it('report --feedback bandit from a matrix file, and a bad --feedback is one line and no file', async () => {
    const matrix = world();
    const lines = matrix.taskIds.flatMap((taskId) =>
      matrix.workerIds.map((workerId) => {
        const cell = matrix.cells.get(cellKey(taskId, workerId))!;
        return JSON.stringify({ task_id: taskId, worker: workerId, resolved: cell.resolved, cost_usd: cell.costUsd, tokens: Math.round(cell.costUsd * 1e6) });
      }),
    );
    writeFileSync(join(dir, 'm.jsonl'), `${lines.join('\n')}\n`);
    const ok = await runCli(['report', '--matrix', 'm.jsonl', '--feedback', 'bandit', '--arrival-seeds', '3', '--resamples', '0', '--out', 'b.html'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'b.html'), 'utf8')).toContain('seeded arrival orders');
    const bad = await runCli(['report', '--matrix', 'm.jsonl', '--feedback', 'partial', '--out', 'c.html'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain("--feedback is 'partial'");
    expect(existsSync(join(dir, 'c.html'))).toBe(false);
  });
});

describe('the report sweep section', () => {
  const spec = getPreset('paper');
  const report = sweepSignalAuroc({ spec, tasks: 80, seeds: [1, 2, 3], levels: [0.5, 0.7, 0.9], value: 5 });

  it('shows SE per level and each crossing with the interval worked out from the per-seed crossings', async () => {
    const section = sweepSection(report);
    for (const chart of section.charts) expect(() => compileChart(chart)).not.toThrow();
    const { html } = await buildReport({ title: 't', sources: [], sweep: report, versions: {}, generatedAt: 'now' });
    expect(html).toContain('id="chart-sweep-welfare"');
    // SE of solved for scoring at the first level, from its per-seed values.
    const first = report.levels[0]!.scoring.solved.values;
    const m = first.reduce((a, b) => a + b, 0) / 3;
    const se = Math.sqrt(first.reduce((a, x) => a + (x - m) ** 2, 0) / 2 / 3);
    expect(html).toContain(`${m.toFixed(1)} ± ${se.toFixed(1)}`);
    // Every crossing that has an interval shows mean ± 1.96·SE of the seeds that cross.
    let shown = 0;
    for (const market of ['scoring', 'reputation'] as const) {
      for (const metric of ['surplus', 'welfare', 'solved'] as const) {
        for (const rival of ['router', 'bestSolo'] as const) {
          const crossing = report.crossovers[market][metric][rival];
          const xs = crossing.perSeed.filter((x): x is number => x !== null);
          if (xs.length < 2) continue;
          const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
          const half = 1.96 * Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1) / xs.length);
          expect(html).toContain(`[${(mean - half).toFixed(3)}, ${(mean + half).toFixed(3)}]`);
          shown++;
        }
      }
    }
    expect(shown).toBeGreaterThan(0);
  });

  it('sweep --report writes the section, and --seed-offset gives other seeds', async () => {
    const result = await runCli(['sweep', '--tasks', '40', '--seeds', '2', '--seed-offset', '10', '--steps', '2', '--report', 'sweep.html'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(join(dir, 'sweep.html'), 'utf8');
    expect(html).toContain('Where the markets overtake');
    expect(html).toContain('seeds 11, 12');
  });
});

describe('the report worth table', () => {
  /** The world above without forecasts, so the markets' bids are synthesized. */
  function bare(): Matrix {
    const matrix = world();
    const cells = new Map([...matrix.cells].map(([key, cell]) => [key, { ...cell, p: null }]));
    return { ...matrix, cells };
  }

  it('replays the markets at each target AUROC exactly as `replay --signal-auroc A --mechanisms scoring,reputation` would', async () => {
    const matrix = bare();
    const levels = signalWorth({ matrix, levels: [0.6, 0.9], value: 2, maxAttempts: 2, seed: 4 });
    expect(levels.map((level) => level.signalAuroc)).toEqual([0.6, 0.9]);
    for (const level of levels) {
      const alone = runReplay({ matrix, mechanisms: ['scoring', 'reputation'], value: 2, maxAttempts: 2, seed: 4, resamples: 0, foldSeeds: 1, signalAuroc: level.signalAuroc });
      expect(level.results.scoring.solved).toBe(alone.mechanisms.scoring!.solved);
      expect(level.results.reputation.actualCostUsd).toBeCloseTo(alone.mechanisms.reputation!.actualCostUsd, 9);
      expect(level.realizedAuroc).toBeCloseTo(alone.settings.signalQuality!.auroc, 9);
    }
    const { html } = await buildReport({ title: 't', sources: [], replay: runReplay({ matrix, value: 2, seed: 4, resamples: 0, foldSeeds: 1 }), signalWorth: levels, versions: {}, generatedAt: 'now' });
    expect(html).toContain('What self-knowledge would be worth');
    expect(html).toContain(`${levels[1]!.results.scoring.solved} / ${formatUsd(levels[1]!.results.scoring.actualCostUsd)}`);
    expect(html).toContain('The reserve auction buys almost nothing');
    // A matrix with its own forecasts has nothing to synthesize.
    expect(signalWorth({ matrix: world(), levels: [0.6], value: 2, maxAttempts: 2, seed: 4 })).toEqual([]);
  });
});
