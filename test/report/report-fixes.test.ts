import { describe, expect, it } from 'vitest';
import { statedVersusActualChart } from '../../src/report/calibration-charts.js';
import { placeFrontierLabels } from '../../src/report/frontier-labels.js';
import { formatUsd } from '../../src/report/format-usd.js';
import { htmlTable } from '../../src/report/html.js';
import { costScaleConstant, costTickLabel, costTicks } from '../../src/report/cost-axis.js';
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

describe('frontier cost axis below $1', () => {
  it('the symlog constant is the decade of the cheapest non-zero cost, within [$0.0001, $1]', () => {
    expect(costScaleConstant([0, 0.004, 0.3])).toBe(0.001);
    expect(costScaleConstant([120, 0.35])).toBe(0.1);
    expect(costScaleConstant([5, 900])).toBe(1);
    expect(costScaleConstant([0])).toBe(1);
    expect(costScaleConstant([1e-7])).toBe(1e-4);
  });

  it('ticks: the densest of the 1–2–5, 1–3 and 1 ladders whose labels do not touch', () => {
    // px(t) = 480·ln(1 + t)/ln(1 + xMax); a label is ~6.2 px a character; neighbours need half their widths + 8 px.
    // xMax 1,000: the tightest pair is $500 → $1,000 (431.9 → 480 = 48.1 px; needs (24.8 + 37.2)/2 + 8 = 39): 1–2–5 fits.
    expect(costTicks({ constant: 1, xMax: 1000, width: 480 })).toEqual([0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    // xMax 5,500: $1,000 → $2,000 is 385.1 → 423.6 = 38.5 px but needs 45.2, so 1–3 ($1,000 → $3,000: 61.2 px).
    expect(costTicks({ constant: 1, xMax: 5500, width: 480 })).toEqual([0, 1, 3, 10, 30, 100, 300, 1000, 3000]);
    expect(costTickLabel(1000)).toBe('$1,000');
    expect(costTickLabel(0.002)).toBe('$0.002');
  });

  it('a market costing cents gets readable dollar ticks, not 0.0 and piled-up points', async () => {
    const points = [
      { name: 'oracle', actualCostUsd: 0.004, solved: 3, kind: 'oracle' as const, onFrontier: true },
      { name: 'scoring', actualCostUsd: 0.011, solved: 2, kind: 'mechanism' as const, onFrontier: true },
      { name: 'router', actualCostUsd: 0.031, solved: 3, kind: 'mechanism' as const, onFrontier: false },
    ];
    const svg = await renderSvg(frontierChart(points));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] as string);
    const ticks = texts.slice(0, texts.indexOf('actual cost (USD, symmetric log scale)'));
    expect(ticks).toEqual(['$0', '$0.001', '$0.002', '$0.005', '$0.01', '$0.02']);
  });
});
