import { describe, expect, it } from 'vitest';
import { empiricalTargets, type TrainingRow } from '../../src/reputation/training-targets.js';

const row = (taskId: string, y: 0 | 1, workerId = 'w', p = 0.9): TrainingRow => ({ taskId, workerId, p, y });

describe('empirical SFT targets: (resolved + α) / (rows + 2α) on training tasks, own task left out', () => {
  // Worker w: training tasks a (pass), b (fail), c (pass); validation task d (fail). Worker v: one
  // training task e (pass).
  const rows = [row('a', 1), row('b', 0), row('c', 1), row('d', 0), row('e', 1, 'v', 0.3)];
  const splits = ['train', 'train', 'train', 'validation', 'train'] as const;

  it('Laplace (α = 1), by hand', () => {
    const targets = empiricalTargets({ rows, splits, smoothing: 1 });
    // a: others b, c → 1 of 2 → (1 + 1) / (2 + 2); b: a, c → 2 of 2 → 3/4; c: a, b → 1 of 2 → 2/4;
    // d (validation): all three training rows, 2 of 3 → 3/5; e: no other training row of v → 1/2.
    expect(targets).toEqual([0.5, 0.75, 0.5, 0.6, 0.5]);
  });

  it('α = 0.5, and α = 0 with nothing counted keeps the stated p', () => {
    const half = empiricalTargets({ rows, splits, smoothing: 0.5 });
    expect(half[0]).toBeCloseTo(1.5 / 3, 12);
    expect(half[1]).toBeCloseTo(2.5 / 3, 12);
    expect(half[3]).toBeCloseTo(2.5 / 4, 12);
    const raw = empiricalTargets({ rows, splits, smoothing: 0 });
    expect(raw[0]).toBeCloseTo(1 / 2, 12);
    expect(raw[1]).toBe(1);
    expect(raw[3]).toBeCloseTo(2 / 3, 12);
    expect(raw[4]).toBe(0.3);
  });

  it('a validation outcome never shapes any target, and a row never shapes its own', () => {
    const flipped = [...rows.slice(0, 3), row('d', 1), rows[4] as TrainingRow];
    expect(empiricalTargets({ rows: flipped, splits, smoothing: 1 })).toEqual(empiricalTargets({ rows, splits, smoothing: 1 }));
    const ownFlipped = [row('a', 0), ...rows.slice(1)];
    expect(empiricalTargets({ rows: ownFlipped, splits, smoothing: 1 })[0]).toBe(0.5);
  });
});
