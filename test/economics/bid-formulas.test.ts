import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakevenBid, scoringAuctionScore } from '../../src/economics/index.js';

const dataDir = path.resolve(import.meta.dirname, '../../../shared/data/marketbench');
const clearingFile = path.join(dataDir, 'market_clearing_details.jsonl');
if (!existsSync(clearingFile)) console.warn(`skipping market-clearing test: ${clearingFile} not found`);

describe('breakevenBid', () => {
  it('matches (ĉ + F(1 − p))/p', () => {
    // ĉ = 0.1, F = 2, p = 0.8: (0.1 + 2·0.2)/0.8 = 0.5/0.8 = 0.625
    expect(breakevenBid({ p: 0.8, expectedCost: 0.1, penalty: 2 })).toBeCloseTo(0.625, 12);
    // p = 1: b* = ĉ
    expect(breakevenBid({ p: 1, expectedCost: 0.3, penalty: 2 })).toBeCloseTo(0.3, 12);
    expect(breakevenBid({ p: 0, expectedCost: 0.3, penalty: 2 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('scoringAuctionScore', () => {
  it('reproduces the worked example of DESIGN.md', () => {
    // 0.62·90 − 34 − 8.4771 − 0.38·(0.1·90·1.12 = 10.08) = 55.8 − 34 − 8.4771 − 3.8304 = 9.4925
    expect(scoringAuctionScore({ bounty: 90, ask: 34, p: 0.62, expectedCost: 8.4771 })).toBeCloseTo(9.4925, 9);
  });

  describe.skipIf(!existsSync(clearingFile))('the paper’s 30 live-market rounds', () => {
    const rows = existsSync(clearingFile)
      ? readFileSync(clearingFile, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line))
      : [];

    it('has 30 rounds', () => {
      expect(rows).toHaveLength(30);
    });

    it('reproduces every winner_score within 1e-3 and every failure penalty', () => {
      for (const row of rows) {
        const c = row.score_components;
        const score = scoringAuctionScore({ bounty: c.bounty, ask: c.ask, p: c.p_success, expectedCost: c.expected_cost });
        expect(Math.abs(score - row.winner_score), row.instance_id).toBeLessThan(1e-3);
        expect(c.bounty * 0.1 * (0.5 + c.p_success)).toBeCloseTo(c.failure_penalty, 6);
      }
    });
  });
});
