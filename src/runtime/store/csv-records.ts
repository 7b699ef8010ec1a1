import { InvalidInputError } from '../../core/errors.js';

/** One CSV field and whether it was quoted (an empty quoted field is "", an unquoted one null). */
export interface CsvField {
  /** The unescaped text. */
  text: string;
  /** True when the field was written in double quotes. */
  quoted: boolean;
}

/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  /** Line where the record starts. */
  line: number;
  /** The record's fields. */
  fields: CsvField[];
}

/**
 * Parses RFC 4180 CSV (quotes, doubled quotes, CR/LF/CRLF line ends, newlines inside quotes),
 * keeping whether each field was quoted. Blank lines are skipped.
 */
export function parseCsvRecords(text: string, file?: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: CsvField[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push({ text: field, quoted });
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0]?.text === '' && !fields[0].quoted)) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field !== '') throw new InvalidInputError('a quote inside an unquoted CSV field', { file, line });
      inQuotes = true;
      quoted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (inQuotes) throw new InvalidInputError('unterminated quoted CSV field', { file, line: recordLine });
  if (field !== '' || quoted || fields.length > 0) endRecord();
  return records;
}
