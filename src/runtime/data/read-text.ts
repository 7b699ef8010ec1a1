import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../core/errors.js';

/**
 * Reads a text file as strict UTF-8: a byte sequence that is not UTF-8 is an error naming the
 * file and line, never a silent U+FFFD (which turns one task id into two).
 */
export function readUtf8File(file: string, shownAs: string = file): string {
  const bytes = readFileSync(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    for (let index = 0; index <= bytes.length; index++) {
      if (index === bytes.length || bytes[index] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(start, index));
        } catch {
          throw new InvalidInputError('bytes that are not UTF-8; save the file as UTF-8', { file: shownAs, line });
        }
        line += 1;
        start = index + 1;
      }
    }
    throw new InvalidInputError('bytes that are not UTF-8; save the file as UTF-8', { file: shownAs });
  }
}

/**
 * Refuses a whole-file JSON document (an array, or one object over several lines) where a table
 * is expected (CSV with a header row, or JSONL with one object per line), saying so.
 */
export function refuseJsonDocument(text: string, input: { file: string; expected: string }): void {
  const trimmed = text.trimStart();
  const first = trimmed[0];
  if (first !== '[' && first !== '{') return;
  if (first === '{' && !trimmed.trimEnd().includes('\n')) return;
  try {
    const value: unknown = JSON.parse(trimmed);
    const shape = Array.isArray(value) ? `a JSON array of ${value.length} items` : 'one JSON document';
    throw new InvalidInputError(`this file is ${shape}; expected ${input.expected}`, { file: input.file });
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
  }
}
