import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../src/metrics/index.js';

describe('Holm adjustment', () => {
  it('matches a hand computation and keeps the input order', () => {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02].map((p) => expect.closeTo(p, 12)));
  });
  it('caps at 1 and leaves a single test alone', () => {
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
    expect(holmAdjust([0.2])).toEqual([0.2]);
  });
});
