import type { TaskRun } from '../mechanisms/index.js';
import type { ReplayTask } from './types.js';

/** Starting capacity of the attempt columns (grown by doubling). */
const INITIAL_ATTEMPTS = 1024;

/**
 * One mechanism's per-task results stored column-wise: typed arrays indexed by the task's position
 * in the matrix instead of one object per task. A replay of 100k tasks keeps a few megabytes per
 * mechanism this way, where task-run objects (attempts, payments, allocations with their detail)
 * cost hundreds; runs are added one at a time, in any order, and dropped by the caller at once.
 *
 * Attempts are appended to shared columns; task i's attempts are the `attemptCount[i]` entries
 * from `attemptFirst[i]`, in round order. Worker ids are interned (`workerIds[attemptWorker[k]]`).
 */
export class RunColumns {
  /** Task ids, aligned with every per-task column (shared with the caller, not copied). */
  readonly taskIds: readonly string[];
  /** 1 when any attempt resolved the task, else 0. */
  readonly solved: Uint8Array;
  /** Realized payments to workers per task, USD. */
  readonly spendUsd: Float64Array;
  /** Actual cost of every attempt per task, USD. */
  readonly costUsd: Float64Array;
  /** Actual tokens of every attempt per task. */
  readonly tokens: Float64Array;
  /** Index of the task's first attempt in the attempt columns. */
  readonly attemptFirst: Int32Array;
  /** Number of attempts on the task (0 when the mechanism abstained, or the task was never added). */
  readonly attemptCount: Int32Array;
  /** Worker ids in order of first appearance; attempt columns hold indices into it. */
  readonly workerIds: string[] = [];
  private readonly workerIndex = new Map<string, number>();
  private attemptWorkerColumn = new Uint32Array(INITIAL_ATTEMPTS);
  private attemptResolvedColumn = new Uint8Array(INITIAL_ATTEMPTS);
  private attemptCostColumn = new Float64Array(INITIAL_ATTEMPTS);
  private attempts = 0;

  /** Empty columns for `taskIds` (every task unsolved with no attempts until its run is added). */
  constructor(taskIds: readonly string[]) {
    const n = taskIds.length;
    this.taskIds = taskIds;
    this.solved = new Uint8Array(n);
    this.spendUsd = new Float64Array(n);
    this.costUsd = new Float64Array(n);
    this.tokens = new Float64Array(n);
    this.attemptFirst = new Int32Array(n);
    this.attemptCount = new Int32Array(n);
  }

  /** Columns of runs given in task order (`taskIds` are the runs' own). */
  static fromRuns(runs: readonly TaskRun[]): RunColumns {
    const columns = new RunColumns(runs.map((run) => run.taskId));
    runs.forEach((run, index) => {
      columns.add(index, run);
    });
    return columns;
  }

  /** Total attempts stored. */
  get attemptTotal(): number {
    return this.attempts;
  }

  /** Worker index of attempt `k`. */
  attemptWorker(k: number): number {
    return this.attemptWorkerColumn[k] as number;
  }

  /** Whether attempt `k` resolved its task. */
  attemptResolved(k: number): boolean {
    return this.attemptResolvedColumn[k] === 1;
  }

  /** Actual cost of attempt `k`, USD. */
  attemptCost(k: number): number {
    return this.attemptCostColumn[k] as number;
  }

  /** Stores the run of the task at `index` (its position in `taskIds`); each task once. */
  add(index: number, run: TaskRun): void {
    if (this.taskIds[index] !== run.taskId) {
      throw new RangeError(`RunColumns.add: position ${index} holds task '${this.taskIds[index]}', not '${run.taskId}'`);
    }
    this.solved[index] = run.solved ? 1 : 0;
    this.spendUsd[index] = run.spendUsd;
    this.costUsd[index] = run.costUsd;
    this.tokens[index] = run.tokens;
    this.attemptFirst[index] = this.attempts;
    this.attemptCount[index] = run.attempts.length;
    for (const attempt of run.attempts) {
      if (this.attempts === this.attemptWorkerColumn.length) this.grow();
      const k = this.attempts++;
      this.attemptWorkerColumn[k] = this.intern(attempt.workerId);
      this.attemptResolvedColumn[k] = attempt.resolved ? 1 : 0;
      this.attemptCostColumn[k] = attempt.costUsd;
    }
  }

  /** The task at `index` as the report's per-task record (a fresh object). */
  task(index: number): ReplayTask {
    const first = this.attemptFirst[index] as number;
    const attempts = new Array<ReplayTask['attempts'][number]>(this.attemptCount[index] as number);
    for (let a = 0; a < attempts.length; a++) {
      const k = first + a;
      attempts[a] = {
        workerId: this.workerIds[this.attemptWorkerColumn[k] as number] as string,
        resolved: this.attemptResolvedColumn[k] === 1,
        costUsd: this.attemptCostColumn[k] as number,
      };
    }
    return { taskId: this.taskIds[index] as string, solved: this.solved[index] === 1, spendUsd: this.spendUsd[index] as number, attempts };
  }

  /** Every task's per-task record, in task order. */
  tasks(): ReplayTask[] {
    return this.taskIds.map((_, index) => this.task(index));
  }

  private intern(workerId: string): number {
    let index = this.workerIndex.get(workerId);
    if (index === undefined) {
      index = this.workerIds.length;
      this.workerIds.push(workerId);
      this.workerIndex.set(workerId, index);
    }
    return index;
  }

  private grow(): void {
    const size = this.attemptWorkerColumn.length * 2;
    const worker = new Uint32Array(size);
    worker.set(this.attemptWorkerColumn);
    const resolved = new Uint8Array(size);
    resolved.set(this.attemptResolvedColumn);
    const cost = new Float64Array(size);
    cost.set(this.attemptCostColumn);
    this.attemptWorkerColumn = worker;
    this.attemptResolvedColumn = resolved;
    this.attemptCostColumn = cost;
  }
}
