import { InvalidInputError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { cellKey } from '../../core/matrix.js';
import { type PlainRow, type SqlRow, toPlainRow } from './row-codec.js';
import type { Store } from './store.js';
import { findTable, TABLES, type TableSpec } from './tables.js';

/** Export formats. */
export type ExportFormat = 'jsonl' | 'csv';

/** Name of the virtual table that exports the task × worker matrix. */
export const MATRIX_TABLE = 'matrix';

/** Columns of the matrix export (the generic matrix format replay reads). */
export const MATRIX_COLUMNS = ['task_id', 'worker', 'p', 'expected_tokens', 'ask', 'resolved', 'cost_usd', 'tokens'] as const;

/** Looks up a table or throws an error listing the valid names. */
export function requireTable(name: string): TableSpec {
  const table = findTable(name);
  if (!table) {
    const names = [...TABLES.map((t) => t.name), MATRIX_TABLE].join(', ');
    throw new InvalidInputError(`unknown table '${name}'; expected one of: ${names}`);
  }
  return table;
}

/** Every row of a table in its exported form, in primary-key order. */
export function tableRows(store: Store, name: string): PlainRow[] {
  const table = requireTable(name);
  const order = table.primaryKey.map((column) => `"${column}"`).join(', ');
  const rows = store.db.prepare(`SELECT * FROM "${table.name}" ORDER BY ${order}`).all() as SqlRow[];
  return rows.map((row) => toPlainRow(table, row));
}

/** Matrix cells as export rows (column names of `MATRIX_COLUMNS`). */
export function matrixRows(matrix: Matrix): PlainRow[] {
  const rows: PlainRow[] = [];
  for (const taskId of matrix.taskIds) {
    for (const workerId of matrix.workerIds) {
      const cell = matrix.cells.get(cellKey(taskId, workerId));
      if (!cell) continue;
      rows.push({
        task_id: cell.taskId,
        worker: cell.workerId,
        p: cell.p,
        expected_tokens: cell.expectedTokens,
        ask: cell.ask,
        resolved: cell.resolved,
        cost_usd: cell.costUsd,
        tokens: cell.tokens,
      });
    }
  }
  return rows;
}

/** Serializes rows as JSON Lines (one object per line, trailing newline). */
export function toJsonl(rows: readonly PlainRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/**
 * Serializes rows as RFC 4180 CSV with a header. Null is an empty unquoted field and the empty
 * string is `""`, so the two survive a round trip; JSON values are written as JSON text.
 */
export function toCsv(columns: readonly string[], rows: readonly PlainRow[]): string {
  const lines = [columns.map((column) => quoteCsv(column)).join(',')];
  for (const row of rows) {
    lines.push(
      columns
        .map((column) => {
          const value = row[column];
          if (value === null || value === undefined) return '';
          if (typeof value === 'object') return quoteCsv(JSON.stringify(value));
          if (typeof value === 'string') return quoteCsv(value, true);
          return String(value);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function quoteCsv(text: string, always = false): string {
  if (!always && !/[",\n\r]/.test(text) && text !== '') return text;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Exports one table (or `matrix`) as text in the given format. */
export function exportTable(store: Store, options: { table: string; format: ExportFormat; runId?: string }): string {
  if (options.table === MATRIX_TABLE) {
    const rows = matrixRows(store.matrix({ runId: options.runId }));
    return options.format === 'csv' ? toCsv(MATRIX_COLUMNS, rows) : toJsonl(rows);
  }
  const table = requireTable(options.table);
  const rows = tableRows(store, table.name);
  return options.format === 'csv'
    ? toCsv(
        table.columns.map((column) => column.name),
        rows,
      )
    : toJsonl(rows);
}
