import { normalQuantile } from './normal-quantile.js';

/**
 * Quantile of Student's t distribution with `df` degrees of freedom, for q in (0, 1). Exact for
 * df = 1 (Cauchy) and df = 2; otherwise the Cornish–Fisher expansion of the normal quantile to
 * fourth order in 1/df (Abramowitz–Stegun 26.7.5), within 0.004 of the tables at q = 0.975 for
 * df = 3 and within 0.001 from df = 4. NaN when df is not a positive number or q lies outside (0, 1).
 */
export function tQuantile(q: number, df: number): number {
  if (!(df > 0) || !(q > 0 && q < 1)) return Number.NaN;
  if (df === 1) return Math.tan(Math.PI * (q - 0.5));
  if (df === 2) return (2 * q - 1) / Math.sqrt(2 * q * (1 - q));
  const z = normalQuantile(q);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
