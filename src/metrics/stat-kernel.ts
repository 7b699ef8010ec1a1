import { binIndex, LOG_LOSS_EPSILON } from './calibration.js';

/**
 * Columnar rows for the weighted statistics kernel. Rows belong to a task (the resampling
 * cluster) and to a set (a worker); the kernel reports every set plus the union of all sets.
 */
export interface KernelRows {
  /** Task (cluster) of each row, in [0, nTasks). */
  taskIndex: Int32Array;
  /** Set (worker) of each row, in [0, nSets). */
  setIndex: Int32Array;
  /** Number of tasks. */
  nTasks: number;
  /** Number of sets; the union is reported as set `nSets`. */
  nSets: number;
  /** Stated probability of each row. */
  p: Float64Array;
  /** Outcome (0/1) of each row. */
  y: Float64Array;
  /**
   * Extra per-row values whose weighted mean is reported after the built-in ones (NaN = row not
   * counted in that column).
   */
  meanColumns: Float64Array[];
  /** Per-row values reported as the set's share of the union's total (NaN counts as 0). */
  shareColumns: Float64Array[];
  /**
   * Differences of extra mean columns reported after the shares: [a, b] gives mean(a) − mean(b)
   * (a linear statistic, so it costs nothing per resample beyond its two means).
   */
  differences?: readonly (readonly [number, number])[];
  /** Token ratio of each row (NaN = unknown), summarized by median and quartiles. */
  ratio: Float64Array;
  /** Number of reliability bins for ECE. */
  bins: number;
}

/**
 * Statistics the kernel always reports, in output order, before the extra mean columns and the
 * share columns. The last five are weighted means of built-in per-row columns: y, p, (p − y)²,
 * the clipped log loss and log₁₀ of the token ratio.
 */
export const KERNEL_STATS = [
  'weight',
  'ece',
  'auroc',
  'ratioQ1',
  'medianTokenRatio',
  'ratioQ3',
  'brierSkill',
  'passRate',
  'meanP',
  'brier',
  'logLoss',
  'meanLog10TokenRatio',
] as const;

/** Statistics computed from accumulators other than the mean columns. */
const SPECIAL_STATS = 7;

/** Index of the first column identical to column i (so identical columns are summed once). */
function aliasIdentical(columns: readonly Float64Array[]): Int32Array {
  const alias = new Int32Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    alias[i] = i;
    for (let j = 0; j < i; j++) {
      if (alias[j] === j && sameValues(columns[i] as Float64Array, columns[j] as Float64Array)) {
        alias[i] = j;
        break;
      }
    }
  }
  return alias;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as number;
    const y = b[k] as number;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

/** Adds one row to a set's AUROC state (see computeAuroc for the slots). */
function aurocStep(st: Float64Array, b: number, value: number, w: number, positive: boolean): void {
  if (value !== st[b]) {
    // Close the previous tie group: each positive beats the negatives below, ties count ½.
    st[b + 5] = (st[b + 5] as number) + (st[b + 1] as number) * ((st[b + 3] as number) + 0.5 * (st[b + 2] as number));
    st[b + 3] = (st[b + 3] as number) + (st[b + 2] as number);
    st[b + 4] = (st[b + 4] as number) + (st[b + 1] as number);
    st[b + 1] = 0;
    st[b + 2] = 0;
    st[b] = value;
  }
  if (positive) st[b + 1] = (st[b + 1] as number) + w;
  else st[b + 2] = (st[b + 2] as number) + w;
}

/**
 * Adds one row to a set's quantile walk (see computeRatioQuantiles for the slots); returns 1
 * when this row completed the set's last target rank, else 0.
 */
function quantileStep(st: Float64Array, b: number, value: number, w: number): number {
  let next = st[b + 2] as number;
  if (next === 6) return 0;
  const cumulative = (st[b + 1] as number) + w;
  st[b + 1] = cumulative;
  while (next < 6 && (st[b + 3 + next] as number) < cumulative) {
    st[b + 9 + next] = value;
    next++;
  }
  st[b + 2] = next;
  return next === 6 ? 1 : 0;
}

/**
 * Weighted statistics of every set for one vector of task weights. Built once per row set;
 * `compute` is then called with unit weights (the point estimate) or with the task multiplicities
 * of a bootstrap resample. For speed, rows are pre-aggregated per (set, task) cell (repeats of a
 * task cost nothing extra per resample), identical columns and identical missing-value masks are
 * summed once, the sort orders for AUROC and the quantiles are computed once, and all scratch
 * space is allocated once.
 *
 * Output layout: `out[s * stride + k]` for set s (the union is s = nSets) and statistic k, where
 * k runs over KERNEL_STATS, then the extra mean columns, then the share columns, then the
 * differences.
 */
export class StatKernel {
  /** Values per set in the output. */
  readonly stride: number;
  private readonly rows: KernelRows;
  private readonly nMeans: number;
  private readonly nShares: number;
  private readonly differences: readonly (readonly [number, number])[];
  /**
   * For each mean column: its slot among the unique sums, and its count slot (−1: every row
   * counts, so the count is the bin total). Means 0 and 1 (y and p) come from the bins.
   */
  private readonly meanSlot: Int32Array;
  private readonly countSlot: Int32Array;
  /** For each share column: its slot among the unique sums. */
  private readonly shareSlot: Int32Array;
  /** Unique summed values per cell: [sums of unique columns | counts of unique masks]. */
  private readonly width: number;
  private readonly cellTask: Int32Array;
  private readonly cellSet: Int32Array;
  private readonly taskSums: Float64Array;
  private readonly binCell: Int32Array;
  private readonly binSlot: Int32Array;
  private readonly binSums: Float64Array;
  private readonly byP: Int32Array;
  private readonly byRatio: Int32Array;
  private readonly acc: Float64Array;
  private readonly binAcc: Float64Array;
  private readonly scratch: Float64Array;

  constructor(rows: KernelRows) {
    this.rows = rows;
    const n = rows.p.length;
    const squared = new Float64Array(n);
    const loss = new Float64Array(n);
    const log10Ratio = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = rows.p[i] as number;
      const y = rows.y[i] as number;
      const q = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
      squared[i] = (p - y) * (p - y);
      loss[i] = y === 1 ? -Math.log(q) : -Math.log(1 - q);
      log10Ratio[i] = Math.log10(rows.ratio[i] as number);
    }
    const means = [rows.y, rows.p, squared, loss, log10Ratio, ...rows.meanColumns];
    // Shares: NaN counts as 0, so normalise before de-duplicating.
    const shares = rows.shareColumns.map((column) => column.map((v) => (Number.isNaN(v) ? 0 : v)));
    this.nMeans = means.length;
    this.nShares = shares.length;
    this.differences = rows.differences ?? [];
    this.stride = SPECIAL_STATS + this.nMeans + this.nShares + this.differences.length;
    // y and p are summed in the reliability bins already; every other column gets a sum slot,
    // shared between identical columns.
    const sumColumns = [...means, ...shares];
    const sumAlias = aliasIdentical(sumColumns);
    const masks = means.map((column) => Float64Array.from(column, (v) => (Number.isNaN(v) ? 0 : 1)));
    const maskAlias = aliasIdentical(masks);
    const slotOfSum = new Map<number, number>();
    sumAlias.forEach((source, c) => {
      if (c >= 2 && !slotOfSum.has(source)) slotOfSum.set(source, slotOfSum.size);
    });
    const slotOfMask = new Map<number, number>();
    maskAlias.forEach((source, c) => {
      const full = (masks[source] as Float64Array).every((v) => v === 1);
      if (c >= 2 && !full && !slotOfMask.has(source)) slotOfMask.set(source, slotOfSum.size + slotOfMask.size);
    });
    this.width = slotOfSum.size + slotOfMask.size;
    this.meanSlot = Int32Array.from(means, (_, c) => (c < 2 ? -1 : (slotOfSum.get(sumAlias[c] as number) as number)));
    this.shareSlot = Int32Array.from(shares, (_, c) => slotOfSum.get(sumAlias[this.nMeans + c] as number) as number);
    this.countSlot = Int32Array.from(means, (_, c) => slotOfMask.get(maskAlias[c] as number) ?? -1);

    const cellOf = new Map<number, number>();
    const cellOfRow = new Int32Array(n);
    const cellTask: number[] = [];
    const cellSet: number[] = [];
    for (let i = 0; i < n; i++) {
      const key = (rows.setIndex[i] as number) * rows.nTasks + (rows.taskIndex[i] as number);
      let cell = cellOf.get(key);
      if (cell === undefined) {
        cell = cellTask.length;
        cellOf.set(key, cell);
        cellTask.push(rows.taskIndex[i] as number);
        cellSet.push(rows.setIndex[i] as number);
      }
      cellOfRow[i] = cell;
    }
    this.cellTask = Int32Array.from(cellTask);
    this.cellSet = Int32Array.from(cellSet);
    const width = this.width;
    const cellSums = new Float64Array(cellTask.length * width);
    for (let i = 0; i < n; i++) {
      const base = (cellOfRow[i] as number) * width;
      for (const [source, slot] of slotOfSum) {
        const v = (sumColumns[source] as Float64Array)[i] as number;
        if (!Number.isNaN(v)) cellSums[base + slot] = (cellSums[base + slot] as number) + v;
      }
      for (const [source, slot] of slotOfMask) {
        cellSums[base + slot] = (cellSums[base + slot] as number) + ((masks[source] as Float64Array)[i] as number);
      }
    }
    // The same sums laid out densely as [set][slot][task] for the per-resample dot products.
    this.taskSums = new Float64Array(rows.nSets * width * rows.nTasks);
    for (let cell = 0; cell < cellTask.length; cell++) {
      for (let k = 0; k < width; k++) {
        const row = (cellSet[cell] as number) * width + k;
        this.taskSums[row * rows.nTasks + (cellTask[cell] as number)] = cellSums[cell * width + k] as number;
      }
    }
    const binOf = new Map<number, number>();
    const binCell: number[] = [];
    const binSlot: number[] = [];
    const binSums: number[] = [];
    for (let i = 0; i < n; i++) {
      const cell = cellOfRow[i] as number;
      const bin = binIndex(rows.p[i] as number, rows.bins);
      const key = cell * rows.bins + bin;
      let entry = binOf.get(key);
      if (entry === undefined) {
        entry = binCell.length;
        binOf.set(key, entry);
        binCell.push(cell);
        binSlot.push(bin);
        binSums.push(0, 0, 0);
      }
      binSums[3 * entry] = (binSums[3 * entry] as number) + 1;
      binSums[3 * entry + 1] = (binSums[3 * entry + 1] as number) + (rows.p[i] as number);
      binSums[3 * entry + 2] = (binSums[3 * entry + 2] as number) + (rows.y[i] as number);
    }
    this.binCell = Int32Array.from(binCell);
    this.binSlot = Int32Array.from(binSlot);
    this.binSums = Float64Array.from(binSums);
    const order = Array.from({ length: n }, (_, i) => i);
    this.byP = Int32Array.from(order.slice().sort((a, b) => (rows.p[a] as number) - (rows.p[b] as number)));
    this.byRatio = Int32Array.from(
      order.filter((i) => !Number.isNaN(rows.ratio[i] as number)).sort((a, b) => (rows.ratio[a] as number) - (rows.ratio[b] as number)),
    );
    const sets = rows.nSets + 1;
    this.acc = new Float64Array(sets * width);
    this.binAcc = new Float64Array(sets * rows.bins * 3);
    this.scratch = new Float64Array(sets * 32);
  }

  /** A zeroed output buffer of the right size. */
  allocate(): Float64Array {
    return new Float64Array((this.rows.nSets + 1) * this.stride);
  }

  /** Fills `out` with every statistic of every set under the given task weights. */
  compute(taskWeights: Float64Array, out: Float64Array): void {
    const { nSets, bins } = this.rows;
    const sets = nSets + 1;
    const width = this.width;
    const acc = this.acc;
    const binAcc = this.binAcc;
    const cellTask = this.cellTask;
    const cellSet = this.cellSet;
    acc.fill(0);
    binAcc.fill(0);
    // Sums per set: dot products of the task weights with each (set, slot) row of task sums,
    // accumulated in a register over contiguous memory.
    const nTasks = this.rows.nTasks;
    const taskSums = this.taskSums;
    for (let row = 0; row < nSets * width; row++) {
      const base = row * nTasks;
      let sum = 0;
      for (let t = 0; t < nTasks; t++) sum += (taskWeights[t] as number) * (taskSums[base + t] as number);
      acc[row] = sum;
    }
    const binSums = this.binSums;
    for (let e = 0; e < this.binCell.length; e++) {
      const cell = this.binCell[e] as number;
      const w = taskWeights[cellTask[cell] as number] as number;
      if (w === 0) continue;
      const slot = ((cellSet[cell] as number) * bins + (this.binSlot[e] as number)) * 3;
      binAcc[slot] = (binAcc[slot] as number) + w * (binSums[3 * e] as number);
      binAcc[slot + 1] = (binAcc[slot + 1] as number) + w * (binSums[3 * e + 1] as number);
      binAcc[slot + 2] = (binAcc[slot + 2] as number) + w * (binSums[3 * e + 2] as number);
    }
    // The union's sums are the sums of its sets' sums.
    const unionBase = nSets * width;
    const unionBins = nSets * bins * 3;
    for (let s = 0; s < nSets; s++) {
      for (let k = 0; k < width; k++) acc[unionBase + k] = (acc[unionBase + k] as number) + (acc[s * width + k] as number);
      for (let k = 0; k < bins * 3; k++) binAcc[unionBins + k] = (binAcc[unionBins + k] as number) + (binAcc[s * bins * 3 + k] as number);
    }
    for (let s = 0; s < sets; s++) {
      const o = s * this.stride;
      const a = s * width;
      let total = 0;
      let gap = 0;
      for (let b = 0; b < bins; b++) {
        const slot = (s * bins + b) * 3;
        const count = binAcc[slot] as number;
        if (count === 0) continue;
        total += count;
        gap += Math.abs((binAcc[slot + 1] as number) - (binAcc[slot + 2] as number));
      }
      out[o] = total;
      out[o + 1] = total > 0 ? gap / total : Number.NaN;
      // Means 0 and 1 (pass rate and mean p) from the bins' sums.
      let sumP = 0;
      let sumY = 0;
      for (let b = 0; b < bins; b++) {
        sumP += binAcc[(s * bins + b) * 3 + 1] as number;
        sumY += binAcc[(s * bins + b) * 3 + 2] as number;
      }
      out[o + SPECIAL_STATS] = total > 0 ? sumY / total : Number.NaN;
      out[o + SPECIAL_STATS + 1] = total > 0 ? sumP / total : Number.NaN;
      for (let c = 2; c < this.nMeans; c++) {
        const countSlot = this.countSlot[c] as number;
        const count = countSlot < 0 ? total : (acc[a + countSlot] as number);
        out[o + SPECIAL_STATS + c] = count > 0 ? (acc[a + (this.meanSlot[c] as number)] as number) / count : Number.NaN;
      }
      // Brier skill from the built-in means: passRate is mean 0, brier is mean 2.
      const rate = out[o + SPECIAL_STATS] as number;
      const reference = rate * (1 - rate);
      out[o + 6] = reference > 0 ? 1 - (out[o + SPECIAL_STATS + 2] as number) / reference : Number.NaN;
      for (let c = 0; c < this.nShares; c++) {
        const slot = this.shareSlot[c] as number;
        const all = acc[unionBase + slot] as number;
        out[o + SPECIAL_STATS + this.nMeans + c] = all > 0 ? (acc[a + slot] as number) / all : Number.NaN;
      }
      const extra = o + KERNEL_STATS.length;
      for (let d = 0; d < this.differences.length; d++) {
        const [first, second] = this.differences[d] as readonly [number, number];
        out[o + SPECIAL_STATS + this.nMeans + this.nShares + d] = (out[extra + first] as number) - (out[extra + second] as number);
      }
    }
    this.computeAuroc(taskWeights, out);
    this.computeRatioQuantiles(taskWeights, out);
  }

  /** AUROC per set from one pass over the rows in ascending p, ties counted ½. */
  private computeAuroc(taskWeights: Float64Array, out: Float64Array): void {
    const { nSets, p, y, taskIndex, setIndex } = this.rows;
    const sets = nSets + 1;
    // Per set (6 slots): tie value, tie-group positives, tie-group negatives, negatives below,
    // positives, pairs.
    const st = this.scratch;
    st.fill(0, 0, sets * 6);
    for (let s = 0; s < sets; s++) st[s * 6] = Number.NaN;
    const byP = this.byP;
    for (let k = 0; k < byP.length; k++) {
      const i = byP[k] as number;
      const w = taskWeights[taskIndex[i] as number] as number;
      if (w === 0) continue;
      const value = p[i] as number;
      const positive = (y[i] as number) === 1;
      aurocStep(st, (setIndex[i] as number) * 6, value, w, positive);
      aurocStep(st, nSets * 6, value, w, positive);
    }
    for (let s = 0; s < sets; s++) {
      const b = s * 6;
      const pairs = (st[b + 5] as number) + (st[b + 1] as number) * ((st[b + 3] as number) + 0.5 * (st[b + 2] as number));
      const negatives = (st[b + 3] as number) + (st[b + 2] as number);
      const positives = (st[b + 4] as number) + (st[b + 1] as number);
      const denominator = positives * negatives;
      out[s * this.stride + 2] = denominator > 0 ? pairs / denominator : Number.NaN;
    }
  }

  /** Type-7 quartiles of the ratio per set on the weight-expanded sample, in one sorted pass. */
  private computeRatioQuantiles(taskWeights: Float64Array, out: Float64Array): void {
    const { nSets, ratio, taskIndex, setIndex } = this.rows;
    const sets = nSets + 1;
    const byRatio = this.byRatio;
    // Per set (32 slots): 0 total, 1 cumulative, 2 next target, 3..8 target ranks (low/high of
    // q = ¼, ½, ¾), 9..14 values at those ranks, 15..17 interpolation fractions.
    const st = this.scratch;
    st.fill(0, 0, sets * 32);
    // Total weight of rows with a ratio = the count of the log₁₀-ratio column (mean column 4).
    const ratioCount = this.countSlot[4] as number;
    for (let s = 0; s < sets; s++) {
      st[s * 32] = ratioCount < 0 ? (out[s * this.stride] as number) : (this.acc[s * this.width + ratioCount] as number);
    }
    for (let s = 0; s < sets; s++) {
      const b = s * 32;
      for (let j = 0; j < 3; j++) {
        const h = ((st[b] as number) - 1) * (0.25 * (j + 1));
        const low = Math.floor(h);
        st[b + 3 + 2 * j] = low;
        st[b + 4 + 2 * j] = low + 1;
        st[b + 9 + 2 * j] = Number.NaN;
        st[b + 10 + 2 * j] = Number.NaN;
        st[b + 15 + j] = h - low;
      }
    }
    let open = 0;
    for (let s = 0; s < sets; s++) {
      // A set with no rows has nothing to find; mark it done.
      if ((st[s * 32] as number) > 0) open++;
      else st[s * 32 + 2] = 6;
    }
    for (let k = 0; k < byRatio.length && open > 0; k++) {
      const i = byRatio[k] as number;
      const w = taskWeights[taskIndex[i] as number] as number;
      if (w === 0) continue;
      const value = ratio[i] as number;
      open -= quantileStep(st, (setIndex[i] as number) * 32, value, w);
      // Once every set has all its ranks the rest of the walk cannot change anything.
      open -= quantileStep(st, nSets * 32, value, w);
    }
    for (let s = 0; s < sets; s++) {
      const b = s * 32;
      for (let j = 0; j < 3; j++) {
        const low = st[b + 9 + 2 * j] as number;
        const upper = st[b + 10 + 2 * j] as number;
        // The upper rank lies past the end only at the maximum, where the fraction is 0.
        const high = Number.isNaN(upper) ? low : upper;
        out[s * this.stride + 3 + j] = (st[b] as number) > 0 ? low + (st[b + 15 + j] as number) * (high - low) : Number.NaN;
      }
    }
  }
}
