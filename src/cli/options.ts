import { InvalidInputError } from '../core/errors.js';

/**
 * Parses a numeric option value, naming the flag and what was expected when it does not parse
 * or fails `check`: `--seed is 'x'; expected an integer`.
 */
export function parseNumberOption(value: string, flag: string, check: (n: number) => boolean, expected: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new InvalidInputError(`${flag} is '${value}'; expected ${expected}`, { field: flag });
  }
  return n;
}

/** A commander parser for a whole-number option of at least `min` (and at most `max`, when given). */
export function integerOption(flag: string, min: number, max?: number): (value: string) => number {
  const expected = max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max.toLocaleString('en-US')}`;
  return (value) => parseNumberOption(value, flag, (n) => Number.isInteger(n) && n >= min && (max === undefined || n <= max), expected);
}

/** Upper bounds of size options: beyond them a run no longer fits in memory (or a value overflows), so they are refused up front. */
export const OPTION_LIMITS = { tasks: 100_000, steps: 1_000, seeds: 1_000, resamples: 1_000_000, maxAttempts: 100, draws: 100_000, valueUsd: 1e9 } as const;

/** A commander parser for a number option within [min, max]. */
export function numberOption(flag: string, min = -Infinity, max = Infinity): (value: string) => number {
  return (value) => parseNumberOption(value, flag, (n) => n >= min && n <= max, `a number in [${min}, ${max}]`);
}

/** Parses `--format table|json`. */
export function formatOption(value: string): 'table' | 'json' {
  if (value !== 'table' && value !== 'json') {
    throw new InvalidInputError(`--format must be table or json, got '${value}'`, { field: '--format' });
  }
  return value;
}
