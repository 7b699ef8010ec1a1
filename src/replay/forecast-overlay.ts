import type { MatrixCell } from '../core/index.js';
import { ComputedCells } from './computed-cells.js';

/** Synthesized forecasts by cell, at `taskIndex · workers + workerIndex`; a null column keeps the base cells' own values. */
export interface ForecastColumns {
  /** Task ids in matrix order. */
  taskIds: readonly string[];
  /** Worker ids in matrix order. */
  workerIds: readonly string[];
  /** Stated probability per cell, or null to keep each base cell's `p`. */
  p: Float64Array | null;
  /** Stated tokens per cell, or null to keep each base cell's `expectedTokens`. */
  expectedTokens: Float64Array | null;
}

/**
 * The cells of a matrix with synthesized forecasts laid over them, as a read-only `Map`: a cell is
 * built from its base cell and the forecast columns when it is read. A synthesized matrix of 100k
 * tasks × 6 workers then costs two numbers per cell instead of a second map of cell objects
 * (about 16 bytes a cell instead of 230). Same keys, same order and same values as the base map
 * with `p` and `expectedTokens` replaced; writing throws.
 */
export class ForecastOverlayCells extends ComputedCells {
  private readonly base: ReadonlyMap<string, MatrixCell>;
  private readonly columns: ForecastColumns;
  private readonly taskIndex: Map<string, number>;
  private readonly workerIndex: Map<string, number>;

  /** Lays `columns` over the cells of `base` (not copied; it must not change afterwards). */
  constructor(base: ReadonlyMap<string, MatrixCell>, columns: ForecastColumns) {
    super();
    this.base = base;
    this.columns = columns;
    this.taskIndex = new Map(columns.taskIds.map((taskId, index) => [taskId, index]));
    this.workerIndex = new Map(columns.workerIds.map((workerId, index) => [workerId, index]));
  }

  protected override cellCount(): number {
    return this.base.size;
  }

  protected override cellOf(key: string): MatrixCell | undefined {
    const cell = this.base.get(key);
    return cell === undefined ? undefined : this.overlay(cell);
  }

  protected override cellKeys(): MapIterator<string> {
    return this.base.keys() as MapIterator<string>;
  }

  protected override *cellEntries(): MapIterator<[string, MatrixCell]> {
    for (const [key, cell] of this.base) yield [key, this.overlay(cell)];
  }

  private overlay(cell: MatrixCell): MatrixCell {
    const { p, expectedTokens, workerIds } = this.columns;
    const index = (this.taskIndex.get(cell.taskId) as number) * workerIds.length + (this.workerIndex.get(cell.workerId) as number);
    return {
      ...cell,
      p: p ? (p[index] as number) : cell.p,
      expectedTokens: expectedTokens ? (expectedTokens[index] as number) : cell.expectedTokens,
    };
  }
}
