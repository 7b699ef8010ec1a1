import { InvalidInputError } from '../../core/index.js';

/** One CSV data row and the 1-based line of the file it starts on. */
export interface CsvRow {
  /** Line where the row starts (the header is line 1 in a file without blank lines). */
  line: number;
  /** The row's unescaped field values. */
  values: string[];
}

/** A parsed CSV file: its header and its data rows. */
export interface CsvTable {
  /** Column names from the first record, trimmed. */
  header: string[];
  /** Data rows, in file order. */
  rows: CsvRow[];
}

/**
 * Parses RFC 4180 CSV: comma-separated fields, fields in double quotes may hold commas, line
 * breaks and doubled quotes (""), records end in CRLF, LF or CR. A leading byte-order mark is
 * dropped and blank lines are skipped. An unterminated quote is an error naming the file and the
 * line where the quoted field began.
 */
export function parseCsv(text: string, options: { file?: string } = {}): CsvTable {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRow[] = [];
  let values: string[] = [];
  let field = '';
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    values.push(field);
    const blank = values.length === 1 && values[0] === '' && !wasQuoted;
    if (!blank) records.push({ line: recordLine, values });
    values = [];
    field = '';
    wasQuoted = false;
  };
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '"' && field === '' && !wasQuoted) {
      // A quoted field: read to the closing quote, unescaping "".
      const quoteLine = line;
      wasQuoted = true;
      i++;
      for (;;) {
        if (i >= source.length) throw new InvalidInputError('unterminated quoted field', { file: options.file, line: quoteLine });
        const c = source[i] as string;
        if (c === '"') {
          if (source[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && source[i + 1] !== '\n')) line++;
        field += c;
        i++;
      }
      continue;
    }
    if (ch === ',') {
      values.push(field);
      field = '';
      wasQuoted = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    i++;
  }
  if (field !== '' || values.length > 0 || wasQuoted) endRecord();
  const [head, ...rows] = records;
  return { header: head ? head.values.map((name) => name.trim()) : [], rows };
}
