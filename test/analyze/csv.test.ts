import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/index.js';
import { parseCsv } from '../../src/runtime/data/csv.js';

describe('parseCsv', () => {
  it('parses quotes, doubled quotes, embedded commas and newlines, CRLF, and tracks lines', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y",3\r\n"multi\r\nline","say ""hi""",\r\n\r\nlast,2,"3"';
    const table = parseCsv(text, { file: 't.csv' });
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.rows).toEqual([
      { line: 2, values: ['1', 'x, y', '3'] },
      { line: 3, values: ['multi\r\nline', 'say "hi"', ''] },
      // the quoted newline moved us to line 4; line 5 is blank
      { line: 6, values: ['last', '2', '3'] },
    ]);
  });

  it('accepts LF and a trailing newline', () => {
    expect(parseCsv('a,b\n1,2\n').rows).toEqual([{ line: 2, values: ['1', '2'] }]);
  });

  it('names the file and line of an unterminated quote', () => {
    let error: unknown;
    try {
      parseCsv('a,b\n1,"open\n2,3\n', { file: 'bad.csv' });
    } catch (caught) {
      error = caught;
    }
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).message).toBe('bad.csv:2: unterminated quoted field');
  });
});
