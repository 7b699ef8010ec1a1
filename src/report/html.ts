/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A table to render as plain HTML (readable without JavaScript). */
export interface HtmlTable {
  /** Column headers. */
  columns: string[];
  /** Rows of cells, already formatted as text. */
  rows: string[][];
  /** Columns (by index) that hold numbers and align right. */
  numeric?: number[];
  /** Optional caption under the table. */
  caption?: string;
}

/** Renders a table as HTML. */
export function htmlTable(table: HtmlTable): string {
  const numeric = new Set(table.numeric ?? []);
  const cell = (tag: 'td' | 'th', text: string, index: number) =>
    `<${tag}${numeric.has(index) ? ' class="num"' : ''}>${cellHtml(text)}</${tag}>`;
  const head = `<tr>${table.columns.map((text, index) => cell('th', text, index)).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map((text, index) => cell('td', text, index)).join('')}</tr>`).join('\n');
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  return `<table>${caption}<thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** A cell's HTML: a trailing `[lo, hi]` interval goes on its own smaller line. */
function cellHtml(text: string): string {
  const match = /^(.*\S) \[([-+−]?[\d.]+|–), ([-+−]?[\d.]+|–)\]$/.exec(text);
  if (!match) return escapeHtml(text);
  return `${escapeHtml(match[1] as string)}<span class="ci">${escapeHtml(`[${match[2]}, ${match[3]}]`)}</span>`;
}

/** Removes every absolute URL that a viewer could fetch (the report must work offline). */
export function stripExternalUrls(svg: string): string {
  // Vega puts the SVG and XLink namespace identifiers in; they are names, not fetched, but the
  // report promises no external URL at all, so they go (inline SVG inside HTML needs neither).
  return svg.replace(/\s+xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
}
