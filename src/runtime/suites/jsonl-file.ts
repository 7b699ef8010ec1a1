import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';

/** One parsed record with the 1-based line (or array index + 1) it came from. */
export interface SourcedRecord {
  /** 1-based line (JSONL) or position (JSON array). */
  line: number;
  /** The parsed value. */
  value: unknown;
}

/** Reads JSONL, gzipped JSONL or a JSON array, keeping line numbers for error messages. */
export function readRecords(file: string): SourcedRecord[] {
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(`not valid JSON: ${(error as Error).message}`, { file });
    }
    return (parsed as unknown[]).map((value, index) => ({ line: index + 1, value }));
  }
  const records: SourcedRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      records.push({ line: index + 1, value: JSON.parse(line) });
    } catch (error) {
      throw new InvalidInputError(`not valid JSON: ${(error as Error).message}`, { file, line: index + 1 });
    }
  });
  return records;
}

/** Validates a record against a schema; the error names the file, line, field and expectation. */
export function parseRecord<T>(schema: z.ZodType<T>, record: SourcedRecord, file: string): T {
  const result = schema.safeParse(record.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new InvalidInputError(issue?.message ?? 'invalid record', { file, line: record.line, field });
}
