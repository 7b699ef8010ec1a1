/** Rounds a non-negative number to `decimals` places, half up. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Formats a non-negative amount of dollars with two decimals, e.g. `$3.50`. */
export function formatMoney(amount: number): string {
  return `$${roundTo(amount, 2).toFixed(2)}`;
}
