/**
 * First index i with sorted[i] >= value (sorted.length when there is none). Binary search.
 * @param {number[]} sorted ascending
 * @param {number} value
 */
export function lowerBound(sorted, value) {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return hi;
}

/** Returns a new ascending array with `value` inserted. */
export function insertSorted(sorted, value) {
  const at = lowerBound(sorted, value);
  return [...sorted.slice(0, at), value, ...sorted.slice(at)];
}
