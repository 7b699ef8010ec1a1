import { describe, expect, it } from 'vitest';
import { statedVersusActualChart } from '../../src/report/calibration-charts.js';
import { placeFrontierLabels } from '../../src/report/frontier-labels.js';
import { formatUsd } from '../../src/report/format-usd.js';
import { htmlTable } from '../../src/report/html.js';
import { frontierChart, winShareChart } from '../../src/report/market-charts.js';
import { renderSvg } from '../../src/report/render-chart.js';

/** x of every filled mark of one colour in a Vega SVG (`transform="translate(x,y)"`). */
function xsOfFill(svg: string, fill: string): number[] {
  const xs: number[] = [];
  for (const match of svg.matchAll(/<path[^>]*transform="translate\(([-\d.]+),[-\d.]+\)"[^>]*fill="([^"]+)"/g)) {
    if (match[2] === fill) xs.push(Number(match[1]));
  }
  return xs;
}

describe('report fixes', () => {
  it('money: −$289.19, never $-289.19; two decimals and thousands separators', () => {
    expect(formatUsd(-289.19)).toBe('−$289.19');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.004)).toBe('$0.00');
    expect(formatUsd(-0.001)).toBe('$0.00');
  });

  it('an interval cell prints one pair of brackets', () => {
    const html = htmlTable({ columns: ['Brier [95% CI]'], rows: [['0.18 [0.16, 0.19]'], ['−0.02 [−0.05, 0.01]']] });
    expect(html).toContain('0.18<span class="ci">[0.16, 0.19]</span>');
    expect(html).toContain('−0.02<span class="ci">[−0.05, 0.01]</span>');
    expect(html).not.toContain('[[');
  });

  it('stated-vs-actual: orange is the stated p and blue the pass rate, as the caption says', async () => {
    // Stated 0.9, actual 0.1: the orange point must be drawn right of the blue one.
    const chart = statedVersusActualChart([{ worker: 'w', meanP: 0.9, passRate: 0.1, meanPCi: null, passRateCi: null } as never]);
    expect(chart.caption).toMatch(/^Orange: the mean probability a worker stated; blue: how often it actually succeeded/);
    const svg = await renderSvg(chart);
    const orange = xsOfFill(svg, '#f58518');
    const blue = xsOfFill(svg, '#4c78a8');
    // One point each plus its legend swatch (drawn at the legend's own origin, left of the points).
    expect(orange).toHaveLength(2);
    expect(blue).toHaveLength(2);
    expect(Math.max(...orange) - Math.max(...blue)).toBeCloseTo(0.8 * 420, 0);
  });

  it('frontier: 12 allocators on one spot all get labels, none overlapping', () => {
    const names = ['cheapest', 'cascade:learned', 'first-price', 'second-price', 'reputation', 'reputation:platt', 'scoring', 'router:learned', 'a', 'bb', 'ccc', 'dddd'];
    const frame = { width: 480, height: 320, xMax: 100, yMin: 0, yMax: 400 };
    const labels = placeFrontierLabels(
      names.map((name) => ({ name, actualCostUsd: 20, solved: 200, priority: false })),
      frame,
    );
    expect(labels.map((label) => label.name).sort()).toEqual([...names].sort());
    // Same side: anchors at least one text line (12 px = 400·12/320 = 15 tasks) apart.
    for (const side of ['left', 'right'] as const) {
      const ys = labels.filter((label) => label.align === side).map((label) => label.labelSolved).sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect((ys[i] as number) - (ys[i - 1] as number)).toBeGreaterThanOrEqual(15 - 1e-9);
    }
    expect(labels.filter((label) => label.leader).length).toBeGreaterThanOrEqual(names.length - 2);
  });

  it('frontier chart renders every label of a crowded corner', async () => {
    const points = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'].map((name) => ({ name, actualCostUsd: 1, solved: 10, kind: 'mechanism' as const, onFrontier: false }));
    const svg = await renderSvg(frontierChart([...points, { name: 'oracle', actualCostUsd: 0.5, solved: 12, kind: 'oracle', onFrontier: true }]));
    for (const name of ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'oracle']) expect(svg).toContain(`>${name}</text>`);
  });

  it('win share: 25 workers get 25 colours and their full names in the legend', async () => {
    const workers = Array.from({ length: 25 }, (_, i) => `worker-with-a-long-model-name-${String(i).padStart(2, '0')}`);
    const svg = await renderSvg(winShareChart(workers.map((worker) => ({ mechanism: 'parallel-all', worker, share: 1 / 25 }))));
    const fills = new Set([...svg.matchAll(/<path[^>]*fill="(#[0-9a-f]{6})"/g)].map((match) => match[1]));
    expect(fills.size).toBeGreaterThanOrEqual(25);
    for (const worker of workers) expect(svg).toContain(`>${worker}</text>`);
  });
});
