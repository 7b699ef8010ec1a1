import type { ColumnSpec, TableSpec } from './tables.js';

/** A row as the database holds it: JSON columns as text, booleans as 0/1. */
export type SqlRow = Record<string, string | number | null>;
/** A row as exported: JSON columns parsed, booleans as booleans. */
export type PlainRow = Record<string, unknown>;

/** Converts a database row to its exported form. */
export function toPlainRow(table: TableSpec, row: SqlRow): PlainRow {
  const plain: PlainRow = {};
  for (const column of table.columns) plain[column.name] = toPlainValue(column, row[column.name] ?? null);
  return plain;
}

function toPlainValue(column: ColumnSpec, value: string | number | null): unknown {
  if (value === null) return null;
  if (column.type === 'json') return JSON.parse(String(value));
  if (column.type === 'bool') return value === 1;
  return value;
}

/** Converts an exported value back to what the database stores. */
export function toSqlValue(column: ColumnSpec, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'json') return JSON.stringify(value);
  if (column.type === 'bool') return value ? 1 : 0;
  return value as string | number;
}

/** JSON-encodes a value for a JSON column, keeping null as null. */
export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Parses a JSON column, keeping null as null. */
export function parseJson<T>(text: string | number | null | undefined): T {
  return (text === null || text === undefined ? null : JSON.parse(String(text))) as T;
}
