/**
 * The cost axis of the cost–solve frontier: a symmetric log scale whose linear part ends at the
 * decade of the cheapest non-zero cost, so that costs of a few cents spread out instead of piling
 * up at $0, with ticks on a 1–2–5 ladder labelled as money ($0.02, $0.5, $20, $1,000).
 */

/** `sign(x)·ln(1 + |x|/c)`: the symlog transform Vega draws with `constant: c`. */
export function symlogOf(x: number, constant: number): number {
  return Math.sign(x) * Math.log1p(Math.abs(x) / constant);
}

/** The inverse of `symlogOf`. */
export function symexpOf(t: number, constant: number): number {
  return Math.sign(t) * Math.expm1(Math.abs(t)) * constant;
}

/** The symlog constant: the power of ten at or below the cheapest non-zero cost, at most $1 and at least $0.0001. */
export function costScaleConstant(costs: readonly number[]): number {
  const positive = costs.filter((cost) => cost > 0 && Number.isFinite(cost));
  if (positive.length === 0) return 1;
  const decade = 10 ** Math.floor(Math.log10(Math.min(...positive)));
  return Math.min(1, Math.max(1e-4, decade));
}

/** A tick label as the axis prints it (`COST_AXIS_FORMAT`): `$0.002`, `$20`, `$1,000`. */
export function costTickLabel(value: number): string {
  return `$${value.toLocaleString('en-US', { maximumSignificantDigits: 3 })}`;
}

/** Approximate width in pixels of a tick label at the axis's 10 px font. */
const labelPx = (value: number) => costTickLabel(value).length * 6.2;

/**
 * Ticks from $0 to `xMax`: the densest of the ladders 1–2–5, 1–3 and 1 (per decade, from the
 * scale's constant) whose labels do not touch on the drawn axis; the first tick is dropped when it
 * would touch $0. Every ladder is evenly spaced on the log part, so the axis reads at a glance.
 */
export function costTicks(input: { constant: number; xMax: number; width: number; marginPx?: number }): number[] {
  const margin = input.marginPx ?? 8;
  const end = symlogOf(input.xMax, input.constant);
  const px = (x: number) => (input.width * symlogOf(x, input.constant)) / end;
  const apart = (a: number, b: number) => px(b) - px(a) >= (labelPx(a) + labelPx(b)) / 2 + margin;
  const ladders = [[1, 2, 5], [1, 3], [1]];
  let chosen: number[] = [];
  for (const [index, ladder] of ladders.entries()) {
    const values: number[] = [];
    for (let decade = input.constant; decade <= input.xMax; decade *= 10) {
      // Rounded to one significant digit so 3 × 0.1 prints as 0.3, not 0.30000000000000004.
      for (const step of ladder) values.push(Number((step * decade).toPrecision(1)));
    }
    const inRange = values.filter((value) => value <= input.xMax);
    const ticks = inRange.length > 0 && !apart(0, inRange[0] as number) ? inRange.slice(1) : inRange;
    chosen = ticks;
    if (index === ladders.length - 1 || ticks.every((tick, i) => i === 0 || apart(ticks[i - 1] as number, tick))) break;
  }
  return [0, ...chosen];
}

/** The d3 format of the cost axis labels: dollars, thousands separated, no trailing zeros. */
export const COST_AXIS_FORMAT = '$,~r';
