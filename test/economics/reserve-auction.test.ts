import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import {
  drawReserves,
  hiddenFirstPriceAsk,
  multiBidderWins,
  oracleReserveProfit,
  RESERVE_TREATMENTS,
  reserveAuctionRow,
} from '../../src/economics/index.js';

// Worked example: R = 1, F = 2, p = 0.8, ĉ = 0.1.
// b* = (0.1 + 2·0.2)/0.8 = 0.625; P(win) = (1 − 0.625)/1 = 0.375;
// E[1{win}(r − b*)] = 0.375²/2 = 0.0703125; E[1{win}·r] = (1 − 0.625²)/2 = 0.3046875.
const params = { penalty: 2, maxReserve: 1 };

describe('reserve auction, closed form', () => {
  it('pay-reserve on a success', () => {
    const r = reserveAuctionRow({ ...params, row: { p: 0.8, expectedCost: 0.1, y: 1, cost: 0.05 } });
    expect(r.breakeven).toBeCloseTo(0.625, 12);
    expect(r.winRate).toBeCloseTo(0.375, 12);
    expect(r.expectedProfit).toBeCloseTo(0.8 * 0.0703125, 12); // 0.05625
    expect(r.realizedProfit).toBeCloseTo(0.0703125, 12);
    // full: 0.3046875 − 0.05·0.375 = 0.2859375
    expect(r.realizedProfitFull).toBeCloseTo(0.2859375, 12);
    // oracle: bids ĉ = 0.1, earns (1 − 0.1)²/2 = 0.405
    expect(r.oracleProfit).toBeCloseTo(0.405, 12);
  });

  it('pay-reserve on a failure', () => {
    const r = reserveAuctionRow({ ...params, row: { p: 0.8, expectedCost: 0.1, y: 0, cost: 0.05 } });
    expect(r.realizedProfit).toBe(0);
    // full: −(c + F)·P(win) = −2.05·0.375 = −0.76875
    expect(r.realizedProfitFull).toBeCloseTo(-0.76875, 12);
    expect(r.oracleProfit).toBe(0);
    // unknown cost: full accounting is undefined
    expect(reserveAuctionRow({ ...params, row: { p: 0.8, expectedCost: 0.1, y: 0, cost: null } }).realizedProfitFull).toBeNaN();
  });

  it('hidden-first-price asks (b* + R)/2 and is paid the ask', () => {
    expect(hiddenFirstPriceAsk({ breakeven: 0.625, maxReserve: 1 })).toBeCloseTo(0.8125, 12);
    const r = reserveAuctionRow({ ...params, treatment: 'hidden-first-price', row: { p: 0.8, expectedCost: 0.1, y: 1, cost: 0.05 } });
    // P(win) = 1 − 0.8125 = 0.1875; margin 0.1875 → 0.03515625 = (1 − 0.625)²/4
    expect(r.winRate).toBeCloseTo(0.1875, 12);
    expect(r.realizedProfit).toBeCloseTo(0.03515625, 12);
    // full: 0.8125·0.1875 − 0.05·0.1875 = 0.14296875
    expect(r.realizedProfitFull).toBeCloseTo(0.14296875, 12);
    // oracle asks (0.1 + 1)/2 = 0.55 → 0.45·0.45 = 0.2025 = 0.9²/4
    expect(r.oracleProfit).toBeCloseTo(0.2025, 12);
  });

  it('known-first-price equals pay-reserve with one bidder', () => {
    const row = { p: 0.7, expectedCost: 0.02, y: 1 as const, cost: 0.3 };
    const a = reserveAuctionRow({ ...params, row, treatment: 'pay-reserve' });
    const b = reserveAuctionRow({ ...params, row, treatment: 'known-first-price' });
    expect(b).toEqual(a);
  });

  it('never wins when b* > R or p = 0', () => {
    // p = 0.3, ĉ = 0: b* = 2·0.7/0.3 = 4.67 > 1
    const r = reserveAuctionRow({ ...params, row: { p: 0.3, expectedCost: 0, y: 1, cost: 0.1 } });
    expect(r.winRate).toBe(0);
    expect(r.realizedProfit).toBe(0);
    expect(r.realizedProfitFull).toBeCloseTo(0, 12);
    const zero = reserveAuctionRow({ ...params, row: { p: 0, expectedCost: 0, y: 0, cost: 0 } });
    expect(zero.breakeven).toBe(Number.POSITIVE_INFINITY);
    expect(zero.winRate).toBe(0);
  });
});

describe('closed form vs Monte Carlo at 100k draws', () => {
  // With r ~ U[0, 1] every per-draw quantity lies in [−3, 1], so its sd is at most 2 and the
  // standard error of a 100k-draw mean is at most 2/√100000 ≈ 0.0063; the tolerance 0.01 is
  // over 1.5 SE for the widest case and over 4 SE for the profits (sd ≤ 0.5 → SE ≤ 0.0016).
  const reserves = drawReserves({ random: new Random(11), draws: 100_000, maxReserve: 1 });
  const rows = [
    { p: 0.8, expectedCost: 0.1, y: 1 as const, cost: 0.05 },
    { p: 0.95, expectedCost: 0.02, y: 0 as const, cost: 0.4 },
    { p: 0.6, expectedCost: 0.3, y: 1 as const, cost: 1.2 },
  ];
  for (const treatment of RESERVE_TREATMENTS) {
    it(`agrees for ${treatment}`, () => {
      for (const row of rows) {
        const exact = reserveAuctionRow({ ...params, row, treatment });
        const sampled = reserveAuctionRow({ ...params, row, treatment, reserves });
        expect(Math.abs(sampled.winRate - exact.winRate)).toBeLessThan(0.01);
        expect(Math.abs(sampled.expectedProfit - exact.expectedProfit)).toBeLessThan(0.005);
        expect(Math.abs(sampled.realizedProfit - exact.realizedProfit)).toBeLessThan(0.005);
        expect(Math.abs(sampled.realizedProfitFull - exact.realizedProfitFull)).toBeLessThan(0.01);
        expect(Math.abs(sampled.oracleProfit - exact.oracleProfit)).toBeLessThan(0.005);
      }
    });
  }

  it('oracle Monte Carlo matches its closed form', () => {
    const exact = oracleReserveProfit({ y: 1, expectedCost: 0.25, maxReserve: 1 }); // 0.75²/2 = 0.28125
    expect(exact).toBeCloseTo(0.28125, 12);
    expect(Math.abs(oracleReserveProfit({ y: 1, expectedCost: 0.25, maxReserve: 1, reserves }) - exact)).toBeLessThan(0.005);
  });
});

describe('several bidders', () => {
  // F = 2, R = 1. Bidder A: p = 1, ĉ = 0.2 → b* = 0.2. B: p = 0.8, ĉ = 0 → b* = 0.5. C = A.
  const bidders = [
    { p: 1, expectedCost: 0.2 },
    { p: 0.8, expectedCost: 0 },
    { p: 1, expectedCost: 0.2 },
  ];

  it('the lowest bid wins, ties split equally (closed form)', () => {
    // P(r ≥ 0.2) = 0.8 shared by A and C; B never wins.
    const { wins, fillRate } = multiBidderWins({ bidders, ...params });
    expect(fillRate).toBeCloseTo(0.8, 12);
    expect(wins[0]).toBeCloseTo(0.4, 12);
    expect(wins[1]).toBe(0);
    expect(wins[2]).toBeCloseTo(0.4, 12);
  });

  it('hidden-first-price compares asks', () => {
    // asks: A (0.2 + 1)/2 = 0.6; B (0.5 + 1)/2 = 0.75 → A and C tie at 0.6, fill 0.4.
    const { wins, fillRate } = multiBidderWins({ bidders, ...params, treatment: 'hidden-first-price' });
    expect(fillRate).toBeCloseTo(0.4, 12);
    expect(wins).toEqual([0.2, 0, 0.2].map((v) => expect.closeTo(v, 12)));
  });

  it('Monte Carlo agrees with the closed form', () => {
    const reserves = drawReserves({ random: new Random(5), draws: 100_000, maxReserve: 1 });
    const { wins } = multiBidderWins({ bidders, ...params, reserves });
    // a share of Bernoulli(0.8) draws: SE = √(0.16/100000) ≈ 0.0013
    expect(Math.abs((wins[0] as number) - 0.4)).toBeLessThan(0.006);
  });
});
