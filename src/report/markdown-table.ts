/** A table of already-formatted cells. */
export interface TextTable {
  /** Column headers. */
  columns: string[];
  /** Rows of cells. */
  rows: string[][];
  /** Indexes of columns that hold numbers (right-aligned). */
  numeric?: number[];
}

/**
 * A GitHub-flavoured markdown table with padded columns, so the same text reads well in a
 * terminal and renders in a markdown viewer.
 */
export function markdownTable(table: TextTable): string {
  const numeric = new Set(table.numeric ?? []);
  const widths = table.columns.map((column, index) =>
    Math.max(3, column.length, ...table.rows.map((row) => (row[index] ?? '').length)),
  );
  const pad = (text: string, index: number) =>
    numeric.has(index) ? text.padStart(widths[index]!) : text.padEnd(widths[index]!);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((width, index) => (numeric.has(index) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(table.columns), rule, ...table.rows.map((row) => line(table.columns.map((_, index) => row[index] ?? '')))].join('\n');
}
