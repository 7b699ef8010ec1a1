import { describe, expect, it } from 'vitest';
import { hashString, Random } from '../../src/core/random.js';

describe('Random (xoshiro128** seeded by splitmix32)', () => {
  // Reference values from an independent Python implementation of the documented algorithm
  // (splitmix32 seeding with the golden-ratio increment, xoshiro128** output, 53-bit doubles).
  it('produces the reference stream for seed 42', () => {
    const random = new Random(42);
    expect(Array.from({ length: 5 }, () => random.nextUint32())).toEqual([
      2837322924, 544945897, 479756282, 3500138142, 339756180,
    ]);
    const doubles = new Random(42);
    expect([doubles.next(), doubles.next(), doubles.next()]).toEqual([
      0.6606157208001621, 0.1117019639532224, 0.0791056456144914,
    ]);
  });

  it('hashes string seeds with FNV-1a (reference: "paper" → 749513273)', () => {
    expect(hashString('paper')).toBe(749513273);
    const random = new Random('paper');
    expect([random.nextUint32(), random.nextUint32(), random.nextUint32()]).toEqual([2809198155, 3364422561, 3008586639]);
  });

  it('forks are independent of what the parent drew', () => {
    const a = new Random(7);
    const b = new Random(7);
    for (let i = 0; i < 100; i++) b.next();
    expect(a.fork('task-1').next()).toBe(b.fork('task-1').next());
    expect(a.fork('task-1').next()).not.toBe(a.fork('task-2').next());
  });

  it('has the moments of its distributions (uniform mean 1/2, var 1/12; normal mean 0, sd 1)', () => {
    const random = new Random(1);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let normalSum = 0;
    let normalSq = 0;
    for (let i = 0; i < n; i++) {
      const u = random.next();
      sum += u;
      sumSq += u * u;
      const z = random.normal();
      normalSum += z;
      normalSq += z * z;
    }
    // Standard errors: uniform mean 0.289/sqrt(n) ≈ 6.5e-4; normal mean 1/sqrt(n) ≈ 2.2e-3.
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(normalSum / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(normalSq / n)).toBeCloseTo(1, 1);
  });

  it('int(n) is uniform over 0..n-1 and rejects bad n', () => {
    const random = new Random(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[random.int(3)]! += 1;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    expect(() => random.int(0)).toThrow(RangeError);
  });

  it('shuffle returns a permutation and leaves its input alone', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const shuffled = new Random(9).shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
