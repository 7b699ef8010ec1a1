import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidInputError, unreadableReason } from '../../core/errors.js';
import { parseCsvRecords } from './csv-records.js';
import type { ExportFormat } from './export-table.js';
import { requireTable } from './export-table.js';
import { type PlainRow, toSqlValue } from './row-codec.js';
import type { Store } from './store.js';
import type { ColumnSpec, TableSpec } from './tables.js';

/** Result of importing one file. */
export interface ImportResult {
  /** The table written. */
  table: string;
  /** Rows inserted or replaced. */
  rows: number;
}

/** Infers table and format from a file name such as `forecasts.jsonl` or `runs.csv`. */
export function inferImportTarget(file: string): { table: string; format: ExportFormat } {
  const match = /^(.+?)\.(jsonl|csv)$/i.exec(basename(file));
  if (!match) {
    throw new InvalidInputError('cannot tell the table and format from the name; expected <table>.jsonl or <table>.csv', {
      file,
    });
  }
  return { table: (match[1] as string).toLowerCase(), format: (match[2] as string).toLowerCase() as ExportFormat };
}

/** One import file read and validated whole, ready to be written. */
export interface ParsedImport {
  /** The file it came from, for messages. */
  file: string;
  /** The table its rows go into. */
  table: TableSpec;
  /** Its rows, every one checked against the table's columns. */
  rows: PlainRow[];
}

/**
 * Reads and validates one JSONL or CSV export without touching any store: a missing or unreadable
 * file, an unknown table or a bad row is an `InvalidInputError` naming the file (and line).
 */
export function readImportFile(options: { file: string; table?: string; format?: ExportFormat }): ParsedImport {
  const inferred = options.table && options.format ? undefined : inferImportTarget(options.file);
  const table = options.table !== undefined ? requireTable(options.table) : tableFromFileName(inferred?.table as string, options.file);
  const format = options.format ?? (inferred?.format as ExportFormat);
  const text = readImportText(options.file);
  const rows = format === 'csv' ? csvRows(table, text, options.file) : jsonlRows(table, text, options.file);
  return { file: options.file, table, rows };
}

/**
 * Writes files read by `readImportFile` in one transaction, replacing rows with the same primary
 * key: either every file is imported or none is.
 */
export function writeImports(store: Store, imports: readonly ParsedImport[]): ImportResult[] {
  return store.transaction(() =>
    imports.map(({ table, rows }) => {
      const names = table.columns.map((column) => column.name);
      const statement = store.db.prepare(
        `INSERT OR REPLACE INTO "${table.name}" (${names.map((name) => `"${name}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      );
      for (const row of rows) statement.run(...table.columns.map((column) => toSqlValue(column, row[column.name])));
      return { table: table.name, rows: rows.length };
    }),
  );
}

/**
 * Imports a JSONL or CSV export into a table, replacing rows with the same primary key. Every row
 * is validated first and nothing is written unless the whole file is valid.
 */
export function importFile(store: Store, options: { file: string; table?: string; format?: ExportFormat }): ImportResult {
  return writeImports(store, [readImportFile(options)])[0] as ImportResult;
}

function tableFromFileName(name: string, file: string): TableSpec {
  try {
    return requireTable(name);
  } catch (error) {
    if (!InvalidInputError.isInstance(error)) throw error;
    throw new InvalidInputError(`${error.message} (the table is taken from the file name; --table sets it)`, { file });
  }
}

function readImportText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read import file: ${unreadableReason(error, 'an export file')}`, { file });
  }
}

function jsonlRows(table: TableSpec, text: string, file: string): PlainRow[] {
  const rows: PlainRow[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineText = (lines[index] as string).trim();
    if (lineText === '') continue;
    const line = index + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(lineText);
    } catch (error) {
      throw new InvalidInputError(`malformed JSON (${(error as Error).message})`, { file, line });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new InvalidInputError('expected a JSON object', { file, line });
    }
    rows.push(checkRow(table, parsed as PlainRow, { file, line }));
  }
  return rows;
}

function csvRows(table: TableSpec, text: string, file: string): PlainRow[] {
  const [header, ...records] = parseCsvRecords(text, file);
  if (!header) return [];
  const columns = header.fields.map((field) => field.text);
  for (const name of columns) checkColumnName(table, name, { file, line: header.line });
  return records.map((record) => {
    if (record.fields.length !== columns.length) {
      throw new InvalidInputError(`expected ${columns.length} fields, found ${record.fields.length}`, {
        file,
        line: record.line,
      });
    }
    const row: PlainRow = {};
    record.fields.forEach((field, index) => {
      const name = columns[index] as string;
      const column = table.columns.find((c) => c.name === name) as ColumnSpec;
      row[name] = csvValue(column, field.text, field.quoted, { file, line: record.line });
    });
    return checkRow(table, row, { file, line: record.line });
  });
}

function csvValue(column: ColumnSpec, text: string, quoted: boolean, where: { file: string; line: number }): unknown {
  if (!quoted && text === '') return null;
  if (column.type === 'text') return text;
  if (column.type === 'json') {
    try {
      return JSON.parse(text);
    } catch {
      throw new InvalidInputError(`expected JSON text, got ${JSON.stringify(text.slice(0, 40))}`, {
        ...where,
        field: column.name,
      });
    }
  }
  if (column.type === 'bool') {
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    return text;
  }
  const number = Number(text);
  return text.trim() === '' || Number.isNaN(number) ? text : number;
}

function checkColumnName(table: TableSpec, name: string, where: { file: string; line: number }): void {
  if (!table.columns.some((column) => column.name === name)) {
    throw new InvalidInputError(
      `unknown column for table '${table.name}'; expected one of: ${table.columns.map((c) => c.name).join(', ')}`,
      { ...where, field: name },
    );
  }
}

function checkRow(table: TableSpec, row: PlainRow, where: { file: string; line: number }): PlainRow {
  for (const name of Object.keys(row)) checkColumnName(table, name, where);
  for (const column of table.columns) {
    const value = row[column.name];
    const at = { ...where, field: column.name };
    if (value === null || value === undefined) {
      if (!column.nullable) throw new InvalidInputError('is required but missing or null', at);
      continue;
    }
    const expected = typeError(column, value);
    if (expected) throw new InvalidInputError(`expected ${expected}, got ${JSON.stringify(value)?.slice(0, 40)}`, at);
  }
  return row;
}

function typeError(column: ColumnSpec, value: unknown): string | undefined {
  switch (column.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'a string';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'an integer';
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a finite number';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'json':
      return undefined;
  }
}
