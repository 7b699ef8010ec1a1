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

/** A commander parser for a whole-number option of at least `min`. */
export function integerOption(flag: string, min: number): (value: string) => number {
  return (value) => parseNumberOption(value, flag, (n) => Number.isInteger(n) && n >= min, `a whole number ≥ ${min}`);
}

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
