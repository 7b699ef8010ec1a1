/**
 * USD as the report prints it: always two decimals, thousands separated, and the minus sign
 * (U+2212) before the dollar sign: `−$289.19`, never `$-289.19`.
 */
export function formatUsd(value: number): string {
  const text = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return value < 0 && text !== '0.00' ? `−$${text}` : `$${text}`;
}
