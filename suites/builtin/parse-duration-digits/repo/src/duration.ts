const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Parses a duration such as `1h30m`, `90s` or `250ms` into milliseconds; throws SyntaxError on anything else. */
export function parseDuration(text: string): number {
  const part = /(\d)(ms|d|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(part)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed += match[0].length;
  }
  if (text.length === 0 || consumed === 0) throw new SyntaxError(`not a duration: '${text}'`);
  return total;
}
