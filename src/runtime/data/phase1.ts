import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, type LabeledForecast } from '../../core/index.js';
import { Store } from '../store/index.js';
import { parseCsv } from './csv.js';
import { readUtf8File, refuseJsonDocument } from './read-text.js';

/** A row left out of the analysis, and why. */
export interface SkippedRow {
  /** File the row came from. */
  file: string;
  /** 1-based line of the row in that file. */
  line: number;
  /** The offending field. */
  field: string;
  /** What was wrong and what was expected. */
  reason: string;
}

/** Rows read from the paper's phase-1 files (or the store), plus the rows skipped. */
export interface LoadedRows {
  /** Usable rows. */
  rows: LabeledForecast[];
  /** Rows left out (only when not strict). */
  skipped: SkippedRow[];
  /** Why a store gave no rows, when `allowEmpty` let it give none. */
  emptyReason?: string;
}

/** Columns every phase-1 row must have. */
export const PHASE1_REQUIRED = ['task_id', 'model_ref', 'p_success', 'outcome'] as const;

/**
 * Columns the importer reads itself; every other column becomes a group field. NOTE: the paper's
 * `input_tokens`/`output_tokens` are the FORECAST call's usage, not the attempt's, so they are
 * kept only as group fields and never used as actual tokens.
 */
const CONSUMED = new Set([
  ...PHASE1_REQUIRED,
  'strategy',
  'treatment',
  'estimated_tokens_total',
  'external_cost',
  'actual_tokens',
  'blended_price_per_token',
]);

type Cell = string | number | boolean | null | undefined;

/** Thrown inside row parsing; becomes a skip or (strict) an InvalidInputError. */
class RowProblem extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** `astropy__astropy-14182` → `astropy/astropy`; undefined for ids not in SWE-bench form. */
export function repoFromTaskId(taskId: string): string | undefined {
  const match = /^(.+?)__(.+)-\d+$/.exec(taskId);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function text(cell: Cell): string {
  return cell === null || cell === undefined ? '' : String(cell).trim();
}

function requiredText(record: Record<string, Cell>, field: string): string {
  const value = text(record[field]);
  if (value === '') throw new RowProblem(field, 'is missing or empty; expected a non-empty string');
  return value;
}

function optionalNumber(record: Record<string, Cell>, field: string): number | null {
  const raw = record[field];
  if (raw === null || raw === undefined || text(raw) === '') return null;
  const value = typeof raw === 'number' ? raw : Number(text(raw));
  if (!Number.isFinite(value) || value < 0) throw new RowProblem(field, `is '${text(raw)}'; expected a non-negative number`);
  return value;
}

function probability(record: Record<string, Cell>): number {
  const raw = record.p_success;
  if (raw === null || raw === undefined || text(raw) === '') throw new RowProblem('p_success', 'is missing; expected a number in [0, 1]');
  const value = typeof raw === 'number' ? raw : Number(text(raw));
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new RowProblem('p_success', `is '${text(raw)}'; expected a number in [0, 1]`);
  }
  return value;
}

function outcome(record: Record<string, Cell>): 0 | 1 {
  const value = text(record.outcome).toLowerCase();
  if (value === '1' || value === 'true' || value === 'pass') return 1;
  if (value === '0' || value === 'false' || value === 'fail') return 0;
  throw new RowProblem('outcome', `is '${value}'; expected 0 or 1`);
}

/** Converts one record of the paper's phase-1 format into a labeled forecast. */
function toLabeledForecast(record: Record<string, Cell>, pricing: Map<string, number> | undefined): LabeledForecast {
  const taskId = requiredText(record, 'task_id');
  const workerId = requiredText(record, 'model_ref');
  const p = probability(record);
  const y = outcome(record);
  const expectedTokens = optionalNumber(record, 'estimated_tokens_total');
  const costUsd = optionalNumber(record, 'external_cost');
  const tokens = optionalNumber(record, 'actual_tokens');
  let blendedPrice = optionalNumber(record, 'blended_price_per_token');
  if (pricing !== undefined) {
    const price = pricing.get(workerId);
    if (price === undefined) throw new RowProblem('model_ref', `model '${workerId}' is not in the pricing file`);
    blendedPrice = price;
  }
  const groups: Record<string, string> = {};
  const repo = repoFromTaskId(taskId);
  if (repo !== undefined) groups.repo = repo;
  for (const [name, value] of Object.entries(record)) {
    if (CONSUMED.has(name) || text(value) === '') continue;
    groups[name] = text(value);
  }
  const treatment = text(record.strategy) || text(record.treatment) || 'direct';
  return { taskId, workerId, treatment, p, expectedTokens, y, tokens, costUsd, blendedPrice, groups };
}

/** Records of a CSV or JSONL text with their lines; JSONL lines that do not parse are reported. */
function records(options: { text: string; file: string; onProblem: (line: number, problem: RowProblem) => void }) {
  const { text: body, file, onProblem } = options;
  const out: { line: number; record: Record<string, Cell> }[] = [];
  if (isJsonLines(file, body)) {
    body.split(/\r\n|\n|\r/).forEach((lineText, index) => {
      if (lineText.trim() === '') return;
      try {
        const parsed = JSON.parse(lineText) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        out.push({ line: index + 1, record: parsed as Record<string, Cell> });
      } catch (error) {
        onProblem(index + 1, new RowProblem('(line)', `is not a JSON object (${(error as Error).message})`));
      }
    });
    return out;
  }
  const table = parseCsv(body, { file });
  for (const column of PHASE1_REQUIRED) {
    if (!table.header.includes(column)) {
      throw new InvalidInputError(`missing column; the header has ${table.header.join(', ')}`, { file, line: 1, field: column });
    }
  }
  for (const row of table.rows) {
    if (row.values.length !== table.header.length) {
      onProblem(row.line, new RowProblem('(row)', `has ${row.values.length} fields; the header has ${table.header.length}`));
      continue;
    }
    const record: Record<string, Cell> = {};
    table.header.forEach((name, k) => {
      record[name] = row.values[k];
    });
    out.push({ line: row.line, record });
  }
  return out;
}

function isJsonLines(file: string, body: string): boolean {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson' || extension === '.json') return true;
  if (extension === '.csv') return false;
  return body.trimStart().startsWith('{');
}

/**
 * Parses the paper's phase-1 rows (CSV or JSONL: task_id, model_ref, p_success, outcome, and
 * optionally estimated_tokens_total, external_cost, strategy, actual_tokens, any other columns)
 * into labeled forecasts. With `pricing` (model_ref → blended USD per token) a model missing from
 * it is a bad row. Bad rows are skipped and listed, or with `strict` the first one throws an
 * InvalidInputError naming file, line and field. When only the cost is known the analysis derives
 * actual tokens as cost / blended price.
 */
export function parsePhase1Rows(options: {
  /** File contents. */
  text: string;
  /** File name for messages (and format detection by extension). */
  file: string;
  /** Blended price per model from the pricing file, if one was given. */
  pricing?: Map<string, number> | undefined;
  /** Make the first bad row fatal. */
  strict?: boolean;
}): LoadedRows {
  const { file, pricing, strict = false } = options;
  const skipped: SkippedRow[] = [];
  const onProblem = (line: number, problem: RowProblem) => {
    if (strict) throw new InvalidInputError(problem.reason, { file, line, field: problem.field });
    skipped.push({ file, line, field: problem.field, reason: problem.reason });
  };
  const rows: LabeledForecast[] = [];
  for (const { line, record } of records({ text: options.text, file, onProblem })) {
    try {
      rows.push(toLabeledForecast(record, pricing));
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      onProblem(line, error);
    }
  }
  // Malformed records are found before conversion; list every skip in file order.
  skipped.sort((a, b) => a.line - b.line);
  return { rows, skipped };
}

/**
 * Parses the paper's pricing CSV (model_ref, input_per_1k, output_per_1k,
 * blended_price_per_token) into model → blended USD per token. The blended column is used when
 * present, else (input_per_1k + output_per_1k)/2/1000. Errors name file, line and field.
 */
export function parsePricingCsv(options: { text: string; file: string }): Map<string, number> {
  const { file } = options;
  const table = parseCsv(options.text, { file });
  const column = (name: string) => table.header.indexOf(name);
  if (column('model_ref') < 0) throw new InvalidInputError('missing column', { file, line: 1, field: 'model_ref' });
  const blended = column('blended_price_per_token');
  const input = column('input_per_1k');
  const output = column('output_per_1k');
  if (blended < 0 && (input < 0 || output < 0)) {
    throw new InvalidInputError('missing column; need blended_price_per_token or input_per_1k and output_per_1k', {
      file,
      line: 1,
      field: 'blended_price_per_token',
    });
  }
  const prices = new Map<string, number>();
  for (const row of table.rows) {
    const model = (row.values[column('model_ref')] ?? '').trim();
    if (model === '') throw new InvalidInputError('is empty', { file, line: row.line, field: 'model_ref' });
    const number = (index: number, field: string) => {
      const value = Number((row.values[index] ?? '').trim());
      if ((row.values[index] ?? '').trim() === '' || !Number.isFinite(value) || value < 0) {
        throw new InvalidInputError(`is '${row.values[index] ?? ''}'; expected a non-negative number`, { file, line: row.line, field });
      }
      return value;
    };
    const price =
      blended >= 0
        ? number(blended, 'blended_price_per_token')
        : (number(input, 'input_per_1k') + number(output, 'output_per_1k')) / 2 / 1000;
    prices.set(model, price);
  }
  return prices;
}

/** Reads `file` resolved against `cwd`; messages name the file as the user gave it. */
function readInput(cwd: string, file: string, what: string): string {
  const resolved = path.resolve(cwd, file);
  if (!existsSync(resolved)) throw new InvalidInputError(`${what} file not found`, { file });
  const text = readUtf8File(resolved, file);
  refuseJsonDocument(text, { file, expected: what === 'pricing' ? 'CSV with a header row' : 'CSV with a header row, or JSONL (one JSON object per line)' });
  return text;
}

/**
 * Where the analysis rows come from: the paper's phase-1 file (with its pricing file), or a run
 * in the project's store. Paths are resolved against `cwd`.
 */
export interface ForecastSource {
  /** Working directory for relative paths. */
  cwd: string;
  /** Phase-1 forecasts file (CSV or JSONL). */
  forecastsFile?: string | undefined;
  /** Pricing CSV for the forecasts file. */
  pricingFile?: string | undefined;
  /** Store file (with `runId`). */
  dbFile?: string | undefined;
  /** Run in the store; every run's forecasts when omitted. */
  runId?: string | undefined;
  /** Make bad rows fatal. */
  strict?: boolean;
  /** Return no rows (with the reason) instead of failing when a store has none to analyze. */
  allowEmpty?: boolean;
}

/** Why a store gives no analysis rows: forecasts and outcomes are joined by task and worker. */
function whyNoRows(store: Store, runId: string | undefined): string {
  const forecasts = store.getForecasts(runId === undefined ? {} : { runId }).length;
  const attempts = store.getAttempts().length;
  const scope = runId === undefined ? 'the store' : `run ${runId}`;
  if (forecasts === 0 && attempts > 0) {
    return `no forecasts in ${scope} (the store has ${attempts} outcomes); analyze joins forecasts with outcomes: run marketbench elicit on the same tasks and workers first`;
  }
  if (forecasts > 0 && attempts === 0) {
    return `${scope} has ${forecasts} forecasts but the store has no outcomes; import them (marketbench outcomes import) or run marketbench attempt`;
  }
  if (forecasts === 0) return `no forecasts and no outcomes in ${scope}`;
  return `none of the ${forecasts} forecasts of ${scope} has an outcome for the same task and worker; check that the worker ids match (outcomes import --as ID)`;
}

/** Loads labeled forecasts from a phase-1 file or from the store (see ForecastSource). */
export function loadForecastRows(source: ForecastSource): LoadedRows {
  if (source.forecastsFile !== undefined) {
    const pricing =
      source.pricingFile === undefined
        ? undefined
        : parsePricingCsv({ text: readInput(source.cwd, source.pricingFile, 'pricing'), file: source.pricingFile });
    const text = readInput(source.cwd, source.forecastsFile, 'forecasts');
    return parsePhase1Rows({ text, file: source.forecastsFile, pricing, strict: source.strict });
  }
  if (source.dbFile !== undefined) {
    const dbFile = path.resolve(source.cwd, source.dbFile);
    if (!existsSync(dbFile)) throw new InvalidInputError('store file not found', { file: source.dbFile });
    const store = Store.open(dbFile);
    try {
      if (source.runId !== undefined && store.getRun(source.runId) === undefined) {
        throw new InvalidInputError(`no run '${source.runId}' in the store`, { file: source.dbFile });
      }
      const rows = store.labeledForecasts({ runId: source.runId });
      if (rows.length === 0) {
        const reason = whyNoRows(store, source.runId);
        if (source.allowEmpty) return { rows, skipped: [], emptyReason: `${source.dbFile}: ${reason}` };
        throw new InvalidInputError(reason, { file: source.dbFile });
      }
      return { rows, skipped: [] };
    } finally {
      store.close();
    }
  }
  throw new InvalidInputError('give --forecasts FILE (with --pricing FILE) or --db FILE --run ID');
}
