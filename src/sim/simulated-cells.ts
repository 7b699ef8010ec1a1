import { cellKey, cellKeyParts, InvalidInputError, type MatrixCell } from '../core/index.js';
import { ComputedCells } from '../replay/computed-cells.js';
import type { SimulatedColumns } from './simulate-worker.js';

/** The columns a matrix cell reads (a worker's `SimulatedColumns` without the hidden truth). */
export type MatrixColumns = Pick<SimulatedColumns, 'resolved' | 'statedP' | 'expectedTokens' | 'tokens' | 'costUsd'>;

/**
 * A simulated matrix's cells, read from each worker's columns: a cell object is built when it is
 * read, so 100k tasks × 6 workers hold 33 bytes a cell where a map of cell objects holds about
 * 250. Keys, order (task-major) and values are those of the map `simulatePopulation` used to
 * build; writing throws.
 */
export class SimulatedCells extends ComputedCells {
  private readonly taskIds: readonly string[];
  private readonly workerIds: readonly string[];
  private readonly columns: readonly MatrixColumns[];
  private readonly taskIndex: Map<string, number>;
  private readonly workerIndex: Map<string, number>;

  /** Cells of `taskIds` × `workerIds`; `columns[w]` holds worker w's cells in task order. */
  constructor(options: { taskIds: readonly string[]; workerIds: readonly string[]; columns: readonly MatrixColumns[] }) {
    super();
    for (const id of [...options.taskIds, ...options.workerIds]) {
      // A key is `task NUL worker`, read back by splitting at the NUL.
      if (id.includes('\u0000')) throw new InvalidInputError(`id '${id.replace('\u0000', '\\0')}' contains a NUL character`, { field: 'id' });
    }
    this.taskIds = options.taskIds;
    this.workerIds = options.workerIds;
    this.columns = options.columns.map(({ resolved, statedP, expectedTokens, tokens, costUsd }) => ({ resolved, statedP, expectedTokens, tokens, costUsd }));
    this.taskIndex = new Map(options.taskIds.map((taskId, index) => [taskId, index]));
    this.workerIndex = new Map(options.workerIds.map((workerId, index) => [workerId, index]));
  }

  protected override cellCount(): number {
    return this.taskIds.length * this.workerIds.length;
  }

  protected override cellOf(key: string): MatrixCell | undefined {
    const parts = cellKeyParts(key);
    if (!parts) return undefined;
    const task = this.taskIndex.get(parts.taskId);
    const worker = this.workerIndex.get(parts.workerId);
    return task === undefined || worker === undefined ? undefined : this.cellAt(task, worker);
  }

  protected override *cellKeys(): MapIterator<string> {
    for (const taskId of this.taskIds) for (const workerId of this.workerIds) yield cellKey(taskId, workerId);
  }

  protected override *cellEntries(): MapIterator<[string, MatrixCell]> {
    for (let task = 0; task < this.taskIds.length; task++) {
      for (let worker = 0; worker < this.workerIds.length; worker++) {
        yield [cellKey(this.taskIds[task] as string, this.workerIds[worker] as string), this.cellAt(task, worker)];
      }
    }
  }

  private cellAt(task: number, worker: number): MatrixCell {
    const column = this.columns[worker] as MatrixColumns;
    return {
      taskId: this.taskIds[task] as string,
      workerId: this.workerIds[worker] as string,
      p: column.statedP[task] as number,
      expectedTokens: column.expectedTokens[task] as number,
      ask: null,
      resolved: column.resolved[task] === 1,
      costUsd: column.costUsd[task] as number,
      tokens: column.tokens[task] as number,
    };
  }
}
