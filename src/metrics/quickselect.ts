/**
 * Rearranges `values[lo..hi]` so the element at index k is the one a full ascending sort would
 * put there, smaller-or-equal elements before it and larger-or-equal after (Hoare's selection
 * with a median-of-three pivot; expected linear time). No NaN may be present.
 */
export function selectKth(values: Float64Array, k: number, lo = 0, hi = values.length - 1): number {
  let left = lo;
  let right = hi;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three moved to `mid`.
    if ((values[mid] as number) < (values[left] as number)) swap(values, mid, left);
    if ((values[right] as number) < (values[left] as number)) swap(values, right, left);
    if ((values[right] as number) < (values[mid] as number)) swap(values, right, mid);
    const pivot = values[mid] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] as number;
}

function swap(values: Float64Array, a: number, b: number): void {
  const t = values[a] as number;
  values[a] = values[b] as number;
  values[b] = t;
}

/**
 * Type-7 quantile of `values` (NaN entries ignored) by selection instead of a full sort; the
 * array is reordered. Equal to `sortedQuantile` of the sorted non-NaN values.
 */
export function selectQuantile(values: Float64Array, q: number): number {
  // Move NaN to the end.
  let n = values.length;
  for (let i = 0; i < n; ) {
    if (Number.isNaN(values[i] as number)) {
      n--;
      swap(values, i, n);
    } else i++;
  }
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lowRank = Math.floor(h);
  const low = selectKth(values, lowRank, 0, n - 1);
  if (h === lowRank || lowRank + 1 >= n) return low;
  // After selection everything right of lowRank is ≥ low; the next order statistic is their minimum.
  let high = Number.POSITIVE_INFINITY;
  for (let i = lowRank + 1; i < n; i++) if ((values[i] as number) < high) high = values[i] as number;
  return low + (h - lowRank) * (high - low);
}
