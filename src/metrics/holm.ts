/**
 * Holm's step-down adjustment of a family of p-values (Holm 1979): sort ascending, multiply the
 * i-th smallest (0-based) by (m − i), take the running maximum so adjusted values keep the raw
 * order, and cap at 1. Returns the adjusted values in the input order. Controls the family-wise
 * error rate under any dependence between the tests.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, index) => index).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}
