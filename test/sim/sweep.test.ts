import { describe, expect, it } from 'vitest';
import { sweepLevels } from '../../src/cli/commands/sweep.js';
import { findCrossover, paperPreset, sweepSignalAuroc } from '../../src/sim/index.js';
import { runCli } from '../support/capture-io.js';

describe('findCrossover', () => {
  it('finds the first level from which the lead stays non-negative and interpolates the zero', () => {
    // Lead −1 at 0.5 and +3 at 1: the line crosses zero a quarter of the way, at 0.5 + 0.5·1/4 = 0.625.
    expect(findCrossover([{ x: 0, lead: -2 }, { x: 0.5, lead: -1 }, { x: 1, lead: 3 }])).toEqual({ fromLevel: 1, interpolated: 0.625 });
    // Ahead, behind, ahead again: only the last stretch counts; −1 → +1 crosses halfway, at 0.75.
    expect(findCrossover([{ x: 0, lead: 1 }, { x: 0.5, lead: -1 }, { x: 1, lead: 1 }])).toEqual({ fromLevel: 1, interpolated: 0.75 });
    expect(findCrossover([{ x: 0, lead: 0 }, { x: 1, lead: 2 }])).toEqual({ fromLevel: 0, interpolated: null });
    expect(findCrossover([{ x: 0, lead: 2 }, { x: 1, lead: -2 }])).toEqual({ fromLevel: null, interpolated: null });
  });
});

describe('sweepLevels', () => {
  it('spaces levels evenly, both ends included', () => {
    expect(sweepLevels({ from: 0, to: 1, steps: 11 })).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(sweepLevels({ from: 0.2, to: 0.4, steps: 3 })).toEqual([0.2, 0.3, 0.4]);
    expect(sweepLevels({ from: 0.5, to: 1, steps: 1 })).toEqual([0.5]);
  });
});

describe('sweepSignalAuroc', () => {
  const report = sweepSignalAuroc({ spec: paperPreset, tasks: 200, seeds: [1, 2], levels: [0.5, 0.9], value: 2 });

  it('changes only the bids: solo workers do the same at every level', () => {
    const [low, high] = report.levels;
    expect(high!.solo).toEqual(low!.solo);
    expect(report.reference).not.toBeNull();
    expect(report.reference!.level).toBeNull();
  });

  it('keeps the accounting identities for every mechanism and level', () => {
    for (const level of [...report.levels, report.reference!]) {
      for (const cell of [level.scoring, level.router, level.reputation, ...Object.values(level.solo)]) {
        expect(cell.surplus.mean).toBeCloseTo(2 * cell.solved.mean - cell.spendUsd.mean, 9);
        expect(cell.welfare.mean).toBeCloseTo(2 * cell.solved.mean - cell.actualCostUsd.mean, 9);
      }
      // A solo worker is reimbursed at cost, so its surplus is its welfare.
      for (const cell of Object.values(level.solo)) expect(cell.surplus.mean).toBeCloseTo(cell.welfare.mean, 9);
      const bestSolved = Math.max(...Object.values(level.solo).map((cell) => cell.solved.mean));
      expect(level.solo[level.bestSolo.solved]!.solved.mean).toBe(bestSolved);
    }
  });

  it('realizes the target AUROC at each level (mean over workers within ±0.03)', () => {
    expect(Math.abs(report.levels[0]!.meanAuroc - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(report.levels[1]!.meanAuroc - 0.9)).toBeLessThan(0.03);
  });

  it('keeps every seed\'s value, and the SE is their standard error (by hand)', () => {
    const cell = report.levels[0]!.scoring.solved;
    const [a, b] = cell.values as [number, number];
    expect(cell.mean).toBeCloseTo((a + b) / 2, 12);
    // Two values: sd = |a − b|/√2, SE = sd/√2 = |a − b|/2.
    expect(cell.se).toBeCloseTo(Math.abs(a - b) / 2, 12);
    const crossing = report.crossovers.reputation.welfare.router;
    expect(crossing.perSeed).toHaveLength(2);
  });
});

describe('marketbench sweep', () => {
  it('prints one table per metric with a row per level, then the crossovers', async () => {
    const result = await runCli(['sweep', '--tasks', '40', '--seeds', '1', '--steps', '3', '--from', '0.5', '--to', '0.7']);
    expect(result.code, result.stderr).toBe(0);
    for (const title of ['Tasks solved', 'Spend', 'Principal surplus', 'Welfare']) expect(result.stdout).toContain(title);
    expect(result.stdout.match(/^\| +0\.6 \|/gm)).toHaveLength(4);
    expect(result.stdout).toMatch(/^- scoring on surplus: overtakes the router /m);
    expect(result.stderr).toContain('sweep 4/4');
  });

  it('emits JSON and rejects an inverted range', async () => {
    const json = await runCli(['sweep', '--tasks', '30', '--seeds', '2', '--seed-offset', '10', '--from', '0.5', '--to', '0.8', '--steps', '2', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.levels.map((l: { level: number }) => l.level)).toEqual([0.5, 0.8]);
    expect(parsed.settings.seeds).toEqual([11, 12]);
    const bad = await runCli(['sweep', '--from', '0.8', '--to', '0.2']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--to \(0.2\) must not be below --from \(0.8\)/);
  });
});
