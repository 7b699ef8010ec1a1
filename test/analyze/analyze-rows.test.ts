import { describe, expect, it } from 'vitest';
import { type LabeledForecast, Random } from '../../src/core/index.js';
import { analyzeRows } from '../../src/metrics/index.js';

function row(partial: Partial<LabeledForecast> & Pick<LabeledForecast, 'taskId' | 'workerId' | 'p' | 'y'>): LabeledForecast {
  return { treatment: 'direct', expectedTokens: null, tokens: null, costUsd: null, blendedPrice: null, groups: {}, ...partial };
}

// Two tasks × two workers; every ĉ = T̂·π = 0.1. F = 2, R = 1, closed form.
//  A t1: p 1.0, y 1, c 0.05, π 1e-4 → T = 500, T̂/T = 2;  b* = 0.1
//  A t2: p 0.5, y 0, c 0.10, π 1e-4 → T = 1000, ratio 1;  b* = (0.1 + 1)/0.5 = 2.2 > R
//  B t1: p 0.8, y 1, T = 5000 (given), c 1.0 → ratio 0.1;  b* = 0.625
//  B t2: p 0.8, y 1, T = 1000, c 0.2 → ratio 0.5;          b* = 0.625
const rows: LabeledForecast[] = [
  row({ taskId: 'o__r-1', workerId: 'A', p: 1, y: 1, expectedTokens: 1000, costUsd: 0.05, blendedPrice: 1e-4 }),
  row({ taskId: 'o__q-2', workerId: 'A', p: 0.5, y: 0, expectedTokens: 1000, costUsd: 0.1, blendedPrice: 1e-4 }),
  row({ taskId: 'o__r-1', workerId: 'B', p: 0.8, y: 1, expectedTokens: 500, tokens: 5000, costUsd: 1, blendedPrice: 2e-4 }),
  row({ taskId: 'o__q-2', workerId: 'B', p: 0.8, y: 1, expectedTokens: 500, tokens: 1000, costUsd: 0.2, blendedPrice: 2e-4 }),
];
for (const r of rows) r.groups.repo = r.taskId.startsWith('o__r') ? 'o/r' : 'o/q';

describe('analyzeRows on a hand-worked fixture', () => {
  const report = analyzeRows(rows, { random: new Random(1), exact: true, resamples: 0 });
  const o = report.overall;

  it('calibration and discrimination', () => {
    expect(o.n).toBe(4);
    expect(o.tasks).toBe(2);
    expect(o.passRate).toBeCloseTo(0.75, 12);
    expect(o.meanP).toBeCloseTo(0.775, 12); // (1 + 0.5 + 0.8 + 0.8)/4
    expect(o.brier).toBeCloseTo(0.0825, 12); // (0 + 0.25 + 0.04 + 0.04)/4
    expect(o.ece).toBeCloseTo(0.225, 12); // bins 9: 0; 5: |0.5 − 0|; 8: 2·|0.8 − 1| → (0.5 + 0.4)/4
    expect(o.auroc).toBe(1); // every positive (1, 0.8, 0.8) above the negative (0.5)
    expect(o.distinctP).toBe(3);
    expect(o.brierCi).toBeNull();
    expect(report.byWorker.B?.auroc).toBeNaN(); // B never failed
    expect(report.byWorker.A?.brier).toBeCloseTo(0.125, 12);
  });

  it('token ratios use cost / price when tokens are unknown', () => {
    // ratios 2, 1, 0.1, 0.5 → sorted 0.1, 0.5, 1, 2 → median 0.75
    expect(o.tokenRatioN).toBe(4);
    expect(o.medianTokenRatio).toBeCloseTo(0.75, 12);
    expect(report.byWorker.A?.medianTokenRatio).toBeCloseTo(1.5, 12);
  });

  it('reserve auction, oracle and several-bidder shares', () => {
    const a = o.auction;
    expect(a.method).toBe('exact');
    // win: (0.9 + 0 + 0.375 + 0.375)/4 = 0.4125
    expect(a.winRate).toBeCloseTo(0.4125, 12);
    // realized (paper): A t1 0.9²/2 = 0.405; B rows 0.375²/2 = 0.0703125 each → 0.545625/4
    expect(a.realizedProfit).toBeCloseTo(0.13640625, 12);
    // full: A t1 (1 − 0.01)/2 − 0.05·0.9 = 0.45; B t1 0.3046875 − 1·0.375 = −0.0703125;
    //       B t2 0.3046875 − 0.2·0.375 = 0.2296875 → 0.609375/4
    expect(a.realizedProfitFull).toBeCloseTo(0.15234375, 12);
    // oracle: three successes with ĉ = 0.1 → 3·0.405/4 = 0.30375
    expect(a.oracleProfit).toBeCloseTo(0.30375, 12);
    expect(a.oracleGap).toBeCloseTo(0.30375 - 0.13640625, 12);
    // t1: A (b* 0.1) beats B (0.625) with P 0.9; t2: only B can win, P 0.375 → shares 0.9/1.275, 0.375/1.275
    expect(report.byWorker.A?.auction.winShare).toBeCloseTo(0.9 / 1.275, 12);
    expect(report.byWorker.B?.auction.winShare).toBeCloseTo(0.375 / 1.275, 12);
    expect(a.winShare).toBe(1);
    expect(a.treatments['known-first-price'].realizedProfit).toBeCloseTo(a.realizedProfit, 12);
  });

  it('repeats the summaries per group', () => {
    const grouped = analyzeRows(rows, { random: new Random(1), exact: true, resamples: 0, groupBy: 'repo' });
    expect(grouped.groupBy).toBe('repo');
    expect(Object.keys(grouped.groups ?? {})).toEqual(['o/q', 'o/r']);
    // o/q is task 2: A p 0.5 y 0 and B p 0.8 y 1 → Brier (0.25 + 0.04)/2 = 0.145
    expect(grouped.groups?.['o/q']?.overall.brier).toBeCloseTo(0.145, 12);
    expect(grouped.groups?.['o/r']?.overall.n).toBe(2);
  });

  it('is reproducible for a seed and its CIs bracket the estimate', () => {
    const a = analyzeRows(rows, { random: new Random(7), resamples: 300 });
    const b = analyzeRows(rows, { random: new Random(7), resamples: 300 });
    expect(a).toEqual(b);
    const [lo, hi] = a.overall.brierCi as [number, number];
    expect(lo).toBeLessThanOrEqual(a.overall.brier);
    expect(hi).toBeGreaterThanOrEqual(a.overall.brier);
  });
});

describe('treatment comparison', () => {
  // `card` rows: A unchanged; B says p = 1 on both tasks (both successes) → B's Brier drops from
  // 0.04 to 0, on every task, so every paired resample gives Δ = −0.04 for B and 0 for A.
  const card = rows.map((r) => ({ ...r, treatment: 'card', p: r.workerId === 'B' ? 1 : r.p }));
  const report = analyzeRows([...rows, ...card], { random: new Random(3), exact: true, resamples: 200 });

  it('groups by treatment by default and compares card with direct', () => {
    expect(report.groupBy).toBe('treatment');
    expect(Object.keys(report.groups ?? {})).toEqual(['card', 'direct']);
    const c = report.comparison;
    expect(c?.baseline).toBe('direct');
    expect(c?.treatment).toBe('card');
    expect(c?.byWorker.A?.brier).toBe(0);
    expect(c?.byWorker.A?.brierCi).toEqual([0, 0]);
    expect(c?.byWorker.B?.brier).toBeCloseTo(-0.04, 12);
    expect(c?.byWorker.B?.brierCi?.[0]).toBeCloseTo(-0.04, 12);
    expect(c?.byWorker.B?.brierCi?.[1]).toBeCloseTo(-0.04, 12);
    expect(c?.byWorker.B?.before.brier).toBeCloseTo(0.04, 12);
    expect(c?.byWorker.B?.after.brier).toBeCloseTo(0, 12);
    // B at p = 1, ĉ = 0.1: b* = 0.1 → realized 0.405 per task instead of 0.0703125
    expect(c?.byWorker.B?.realizedProfit).toBeCloseTo(0.405 - 0.0703125, 12);
    expect(c?.overall.n).toBe(4);
  });
});
