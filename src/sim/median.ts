/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  // A typed array sorts numerically without a comparator call per pair.
  const sorted = Float64Array.from(values).sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
