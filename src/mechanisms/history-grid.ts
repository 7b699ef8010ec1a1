import type { AttemptRecord, History, HistoryCell, HistoryGrid, TaskView } from './types.js';

/** Grids built from a history's cells, once per history object. */
const built = new WeakMap<History, HistoryGrid>();

/**
 * The history's outcomes as columns: its own `grid` when it carries one (the replay's fold
 * histories), else one built from its cells (the last cell of a (task, worker) pair wins; cells
 * of tasks outside `history.tasks` or workers off the roster are ignored), memoized per history.
 */
export function historyGrid(history: History): HistoryGrid {
  if (history.grid) return history.grid;
  let grid = built.get(history);
  if (grid) return grid;
  const workers = history.workerIds.length;
  const taskIndex = new Map(history.tasks.map((task, index) => [task.taskId, index]));
  const workerIndex = new Map(history.workerIds.map((workerId, index) => [workerId, index]));
  const size = history.tasks.length * workers;
  grid = {
    resolved: new Int8Array(size).fill(-1),
    costUsd: new Float64Array(size),
    tokens: new Float64Array(size),
    rows: Int32Array.from(history.tasks, (_, index) => index),
  };
  for (const cell of history.cells) {
    const t = taskIndex.get(cell.taskId);
    const w = workerIndex.get(cell.workerId);
    if (t === undefined || w === undefined) continue;
    const k = t * workers + w;
    grid.resolved[k] = cell.resolved ? 1 : 0;
    grid.costUsd[k] = cell.costUsd;
    grid.tokens[k] = cell.tokens;
  }
  built.set(history, grid);
  return grid;
}

/**
 * A history over a grid whose `cells` are made only when first read (from `cellsOf`), so a
 * learner that reads the grid never turns the history into one object per cell.
 */
export function gridHistory(options: {
  /** The roster. */
  workerIds: string[];
  /** The history's tasks, aligned with `grid.rows`. */
  tasks: History['tasks'];
  /** The outcomes. */
  grid: HistoryGrid;
  /** Blended USD price per token of each worker. */
  blendedPrice: Record<string, number>;
  /** The cells, built on first read of `cells`. */
  cellsOf: () => HistoryCell[];
}): History {
  const { workerIds, tasks, grid, blendedPrice, cellsOf } = options;
  let cells: HistoryCell[] | undefined;
  return {
    workerIds,
    tasks,
    grid,
    blendedPrice,
    get cells(): HistoryCell[] {
      cells ??= cellsOf();
      return cells;
    },
  };
}

/**
 * One worker's cells in task order. Read from the grid when it carries forecasts (a grid made
 * from a matrix), so the history's cells are never made; otherwise filtered from the cells.
 */
export function workerCells(history: History, workerId: string): HistoryCell[] {
  const grid = history.grid;
  const w = history.workerIds.indexOf(workerId);
  if (!grid?.forecasts || w < 0) return history.cells.filter((cell) => cell.workerId === workerId);
  const { resolved, costUsd, tokens, rows, forecasts } = grid;
  const workers = history.workerIds.length;
  const cells: HistoryCell[] = [];
  history.tasks.forEach((task, t) => {
    const k = (rows[t] as number) * workers + w;
    if ((resolved[k] as number) < 0) return;
    const p = forecasts.p[k] as number;
    const expectedTokens = forecasts.expectedTokens[k] as number;
    cells.push({
      taskId: task.taskId,
      workerId,
      resolved: resolved[k] === 1,
      costUsd: costUsd[k] as number,
      tokens: tokens[k] as number,
      p: Number.isNaN(p) ? null : p,
      expectedTokens: Number.isNaN(expectedTokens) ? null : expectedTokens,
    });
  });
  return cells;
}

/**
 * Visits every cell of the history in the cells' order with its task's view (a bare view for a
 * cell of a task outside `history.tasks`). Read from the grid when it carries forecasts (a grid
 * made from a matrix lists the cells in that same order), so no cell object is made.
 */
export function forEachCell(history: History, visit: (task: TaskView, cell: AttemptRecord) => void): void {
  const grid = history.grid;
  if (!grid?.forecasts) {
    const views = new Map(history.tasks.map((task) => [task.taskId, task]));
    for (const cell of history.cells) visit(views.get(cell.taskId) ?? { taskId: cell.taskId, features: {} }, cell);
    return;
  }
  const { resolved, costUsd, tokens, rows } = grid;
  const workers = history.workerIds.length;
  history.tasks.forEach((task, t) => {
    const base = (rows[t] as number) * workers;
    history.workerIds.forEach((workerId, w) => {
      const k = base + w;
      if ((resolved[k] as number) >= 0) visit(task, { workerId, resolved: resolved[k] === 1, costUsd: costUsd[k] as number, tokens: tokens[k] as number });
    });
  });
}

/** One worker's rows as columns: stated p and outcome of the rows with a p, stated and actual tokens of all. */
export interface WorkerRows {
  /** Stated p of the rows that have one. */
  p: number[];
  /** Outcome (1 resolved) of those rows. */
  y: number[];
  /** Stated tokens of every row (null when none). */
  forecast: (number | null)[];
  /** Actual tokens of every row. */
  actual: number[];
}

/**
 * One worker's rows in task order, as columns: from the grid when it carries forecasts (no
 * object per cell), else from its cells (`workerCells`).
 */
export function workerRows(history: History, workerId: string): WorkerRows {
  const rows: WorkerRows = { p: [], y: [], forecast: [], actual: [] };
  const grid = history.grid;
  const w = history.workerIds.indexOf(workerId);
  if (!grid?.forecasts || w < 0) {
    for (const cell of workerCells(history, workerId)) {
      if (cell.p !== null) {
        rows.p.push(cell.p);
        rows.y.push(cell.resolved ? 1 : 0);
      }
      rows.forecast.push(cell.expectedTokens);
      rows.actual.push(cell.tokens);
    }
    return rows;
  }
  const workers = history.workerIds.length;
  for (let t = 0; t < history.tasks.length; t++) {
    const k = (grid.rows[t] as number) * workers + w;
    if ((grid.resolved[k] as number) < 0) continue;
    const p = grid.forecasts.p[k] as number;
    const expectedTokens = grid.forecasts.expectedTokens[k] as number;
    if (!Number.isNaN(p)) {
      rows.p.push(p);
      rows.y.push(grid.resolved[k] === 1 ? 1 : 0);
    }
    rows.forecast.push(Number.isNaN(expectedTokens) ? null : expectedTokens);
    rows.actual.push(grid.tokens[k] as number);
  }
  return rows;
}
