const marker = Symbol.for('marketbench.error');

/** Options shared by every MarketBench error. */
export interface MarketBenchErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error MarketBench throws on purpose. `isInstance` checks a global symbol,
 * so it works across two copies of the package.
 */
export class MarketBenchError extends Error {
  protected readonly [marker] = true;
  override name = 'MarketBenchError';

  constructor(message: string, options: MarketBenchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** True when `error` is a MarketBench error (from any copy of the package). */
  static isInstance(error: unknown): error is MarketBenchError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Input that does not match what was expected: names where (file, line, field) and what. */
export class InvalidInputError extends MarketBenchError {
  override name = 'InvalidInputError';
  /** The file, if the input came from one. */
  readonly file: string | undefined;
  /** 1-based line (or row) number, if known. */
  readonly line: number | undefined;
  /** The offending field or column, if known. */
  readonly field: string | undefined;
  /** What is wrong, without the location (to restate it at another location). */
  readonly detail: string;

  constructor(
    detail: string,
    where: { file?: string; line?: number; field?: string } = {},
    options: MarketBenchErrorOptions = {},
  ) {
    super(formatLocation(where) + detail, options);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
    this.detail = detail;
  }

  static override isInstance(error: unknown): error is InvalidInputError {
    return MarketBenchError.isInstance(error) && error.name === 'InvalidInputError';
  }
}

/** A store file that is corrupt, foreign, or of a newer schema than this version understands. */
export class StoreError extends MarketBenchError {
  override name = 'StoreError';
  /** Path of the store file. */
  readonly file: string;

  constructor(file: string, detail: string, options: MarketBenchErrorOptions = {}) {
    super(`${file}: ${detail}`, options);
    this.file = file;
  }

  static override isInstance(error: unknown): error is StoreError {
    return MarketBenchError.isInstance(error) && error.name === 'StoreError';
  }
}

/** A spending limit that the next paid call would cross. */
export class BudgetExceededError extends MarketBenchError {
  override name = 'BudgetExceededError';
  /** The budget in USD. */
  readonly budgetUsd: number;
  /** What had been spent or reserved when the call was refused. */
  readonly committedUsd: number;

  constructor(budgetUsd: number, committedUsd: number, options: MarketBenchErrorOptions = {}) {
    super(
      `budget of $${budgetUsd.toFixed(4)} reached ($${committedUsd.toFixed(4)} spent or reserved); stopping cleanly`,
      options,
    );
    this.budgetUsd = budgetUsd;
    this.committedUsd = committedUsd;
  }

  static override isInstance(error: unknown): error is BudgetExceededError {
    return MarketBenchError.isInstance(error) && error.name === 'BudgetExceededError';
  }
}

/** Formats `file:line: field 'x': ` for messages; empty when nothing is known. */
export function formatLocation(where: { file?: string; line?: number; field?: string }): string {
  let text = '';
  if (where.file !== undefined) text += where.file;
  if (where.line !== undefined) text += `${text ? ':' : 'line '}${where.line}`;
  if (text) text += ': ';
  if (where.field !== undefined) text += `field '${where.field}': `;
  return text;
}

/**
 * Why a file could not be read, in words for a one-line error: a missing file, a folder (`is a
 * folder, not ${kind}`, e.g. kind `a task file`), no permission, else the system's message.
 */
export function unreadableReason(error: unknown, kind: string): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return `is a folder, not ${kind}`;
  if (code === 'EACCES') return 'not readable (permission denied)';
  return error instanceof Error ? error.message : String(error);
}
