import path from 'node:path';
import { cellKey, InvalidInputError, type Matrix, type MatrixCell } from '../../core/index.js';
import { parseCsv } from './csv.js';
import { NOMINAL_BLENDED_PRICE } from './matrix-pricing.js';
import type { LoadedMatrix } from './matrix-swebench-bash-only.js';
import { readUtf8File } from './read-text.js';

/** Columns of the generic matrix format (the store's `matrix` export). */
export const GENERIC_MATRIX_COLUMNS = ['task_id', 'worker', 'p', 'expected_tokens', 'ask', 'resolved', 'cost_usd', 'tokens'];

type Value = string | number | boolean | null | undefined;

function text(value: Value): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

function where(file: string, line: number, field: string) {
  return { file, line, field };
}

function optionalNumber(record: Record<string, Value>, field: string, file: string, line: number): number | null {
  const raw = text(record[field]);
  if (raw === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidInputError(`is '${raw}'; expected a non-negative number or empty`, where(file, line, field));
  }
  return value;
}

function resolvedOf(record: Record<string, Value>, file: string, line: number): boolean {
  const raw = text(record.resolved).toLowerCase();
  if (['1', 'true', 'pass', 'resolved'].includes(raw)) return true;
  if (['0', 'false', 'fail', 'unresolved'].includes(raw)) return false;
  throw new InvalidInputError(`is '${raw}'; expected true/false or 1/0`, where(file, line, 'resolved'));
}

/** Records of a JSONL or CSV matrix file with their 1-based lines. */
function readRecords(
  file: string,
  body: string,
  format: 'jsonl' | 'csv' | undefined,
): { line: number; record: Record<string, Value> }[] {
  const extension = path.extname(file).toLowerCase();
  const jsonl =
    format === 'jsonl' ||
    (format === undefined &&
      (extension === '.jsonl' || extension === '.ndjson' || (extension !== '.csv' && body.trimStart().startsWith('{'))));
  if (jsonl) {
    const out: { line: number; record: Record<string, Value> }[] = [];
    body.split(/\r\n|\n|\r/).forEach((lineText, index) => {
      if (lineText.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(lineText);
      } catch (error) {
        throw new InvalidInputError(`not JSON: ${(error as Error).message}`, { file, line: index + 1 });
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new InvalidInputError('expected a JSON object', { file, line: index + 1 });
      }
      out.push({ line: index + 1, record: parsed as Record<string, Value> });
    });
    return out;
  }
  const table = parseCsv(body, { file });
  return table.rows.map((row) => {
    if (row.values.length !== table.header.length) {
      throw new InvalidInputError(`has ${row.values.length} fields; the header has ${table.header.length}`, {
        file,
        line: row.line,
      });
    }
    const record: Record<string, Value> = {};
    table.header.forEach((name, k) => {
      record[name] = row.values[k];
    });
    return { line: row.line, record };
  });
}

/**
 * Loads a generic task × worker matrix from JSONL or CSV (by extension, else by content), one row
 * per (task, worker): `task_id`, `worker`, `p`, `expected_tokens`, `ask`, `resolved`, `cost_usd`,
 * `tokens` (the store's matrix export), plus optional `blended_price` (USD per token) and task
 * features: `repo` and any `feature_<name>` column (numbers stay numbers). Empty p / tokens / ask
 * mean "not stated". A duplicate (task, worker) pair, a bad value, or a missing cell is an
 * `InvalidInputError` naming the file, line(s) and field or pair. Prices: `blendedPrice` (from a
 * pricing file) first, then the rows' `blended_price`, then Σcost/Σtokens of the worker's rows
 * with both, else a nominal $1 per million tokens (reported in `warnings`).
 */
export function loadGenericMatrix(options: {
  /** Path of the matrix file. */
  file: string;
  /** Blended USD price per token per worker (a pricing file), if given. */
  blendedPrice?: Record<string, number>;
  /** `jsonl` or `csv`; guessed from the extension, then the content, when omitted. */
  format?: 'jsonl' | 'csv';
}): LoadedMatrix {
  const { file } = options;
  let body: string;
  try {
    body = readUtf8File(file);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
    throw new InvalidInputError(`cannot read matrix file: ${(error as Error).message}`, { file });
  }
  const records = readRecords(file, body, options.format);
  if (records.length === 0) throw new InvalidInputError('the matrix file has no rows', { file });
  const taskIds: string[] = [];
  const workerIds: string[] = [];
  const seenTasks = new Set<string>();
  const seenWorkers = new Set<string>();
  const cells = new Map<string, MatrixCell>();
  const lineOf = new Map<string, number>();
  const rowPrice: Record<string, number> = {};
  const sums: Record<string, { cost: number; tokens: number }> = {};
  const taskFeatures: Record<string, Record<string, number | string>> = {};
  for (const { line, record } of records) {
    const taskId = text(record.task_id);
    const workerId = text(record.worker);
    if (taskId === '') throw new InvalidInputError('is missing', where(file, line, 'task_id'));
    if (workerId === '') throw new InvalidInputError('is missing', where(file, line, 'worker'));
    const key = cellKey(taskId, workerId);
    const first = lineOf.get(key);
    if (first !== undefined) {
      throw new InvalidInputError(`duplicate (task, worker) pair (${taskId}, ${workerId}); first on line ${first}`, {
        file,
        line,
      });
    }
    lineOf.set(key, line);
    const p = optionalNumber(record, 'p', file, line);
    if (p !== null && p > 1) throw new InvalidInputError(`is ${p}; expected a probability in [0, 1]`, where(file, line, 'p'));
    const costUsd = optionalNumber(record, 'cost_usd', file, line);
    if (costUsd === null) throw new InvalidInputError('is missing; expected the attempt cost in USD', where(file, line, 'cost_usd'));
    const tokens = optionalNumber(record, 'tokens', file, line);
    const price = optionalNumber(record, 'blended_price', file, line);
    if (price !== null) rowPrice[workerId] = price;
    if (tokens !== null && tokens > 0) {
      const sum = sums[workerId] ?? { cost: 0, tokens: 0 };
      sum.cost += costUsd;
      sum.tokens += tokens;
      sums[workerId] = sum;
    }
    cells.set(key, {
      taskId,
      workerId,
      p,
      expectedTokens: optionalNumber(record, 'expected_tokens', file, line),
      ask: optionalNumber(record, 'ask', file, line),
      resolved: resolvedOf(record, file, line),
      costUsd,
      tokens,
    });
    if (!seenTasks.has(taskId)) {
      seenTasks.add(taskId);
      taskIds.push(taskId);
    }
    if (!seenWorkers.has(workerId)) {
      seenWorkers.add(workerId);
      workerIds.push(workerId);
    }
    const features = taskFeatures[taskId] ?? {};
    for (const [column, value] of Object.entries(record)) {
      const name = column === 'repo' ? 'repo' : column.startsWith('feature_') ? column.slice('feature_'.length) : undefined;
      if (name === undefined || text(value) === '') continue;
      const numeric = typeof value === 'number' ? value : Number(text(value));
      features[name] = Number.isFinite(numeric) && typeof value !== 'boolean' ? numeric : text(value);
    }
    taskFeatures[taskId] = features;
  }
  for (const taskId of taskIds) {
    for (const workerId of workerIds) {
      if (!cells.has(cellKey(taskId, workerId))) {
        throw new InvalidInputError(
          `missing cell (${taskId}, ${workerId}): every task needs a row for every worker (${taskIds.length} tasks × ${workerIds.length} workers)`,
          { file },
        );
      }
    }
  }
  const warnings: string[] = [];
  const blendedPrice: Record<string, number> = {};
  for (const workerId of workerIds) {
    const sum = sums[workerId];
    const price =
      options.blendedPrice?.[workerId] ?? rowPrice[workerId] ?? (sum && sum.tokens > 0 ? sum.cost / sum.tokens : undefined);
    if (price === undefined) warnings.push(`no price for '${workerId}': tokens are in nominal units of $1 per million`);
    blendedPrice[workerId] = price ?? NOMINAL_BLENDED_PRICE;
  }
  const matrix: Matrix = { taskIds, workerIds, cells, blendedPrice, taskFeatures };
  return { matrix, warnings };
}
