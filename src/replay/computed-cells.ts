import type { MatrixCell } from '../core/index.js';

/**
 * A matrix's cells as a read-only `Map` whose cells are built when read, from columns a subclass
 * holds: a matrix of 100k tasks × 6 workers then costs a few numbers per cell instead of a cell
 * object, a key string and a map entry (about 250 bytes a cell). A subclass gives the keys in
 * order, the size and the cell of a key; reading works as on a `Map`, writing throws.
 */
export abstract class ComputedCells extends Map<string, MatrixCell> {
  /** Number of cells. */
  protected abstract cellCount(): number;

  /** The cell of a key, built now; undefined when the key is not a cell. */
  protected abstract cellOf(key: string): MatrixCell | undefined;

  /** Every key, in the matrix's cell order. */
  protected abstract cellKeys(): MapIterator<string>;

  /** Every key with its cell, in the matrix's cell order (override when a cell is cheaper to build in order). */
  protected *cellEntries(): MapIterator<[string, MatrixCell]> {
    for (const key of this.cellKeys()) yield [key, this.cellOf(key) as MatrixCell];
  }

  override get size(): number {
    return this.cellCount();
  }

  override get(key: string): MatrixCell | undefined {
    return this.cellOf(key);
  }

  override has(key: string): boolean {
    return this.cellOf(key) !== undefined;
  }

  override entries(): MapIterator<[string, MatrixCell]> {
    return this.cellEntries();
  }

  override keys(): MapIterator<string> {
    return this.cellKeys();
  }

  override *values(): MapIterator<MatrixCell> {
    for (const [, cell] of this.cellEntries()) yield cell;
  }

  override [Symbol.iterator](): MapIterator<[string, MatrixCell]> {
    return this.cellEntries();
  }

  override forEach(callback: (value: MatrixCell, key: string, map: Map<string, MatrixCell>) => void, thisArg?: unknown): void {
    for (const [key, cell] of this.cellEntries()) callback.call(thisArg, cell, key, this);
  }

  override set(_key: string, _cell: MatrixCell): this {
    throw new TypeError('these matrix cells are read-only');
  }

  override delete(_key: string): boolean {
    throw new TypeError('these matrix cells are read-only');
  }

  override clear(): void {
    throw new TypeError('these matrix cells are read-only');
  }
}
