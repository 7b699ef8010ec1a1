/**
 * The closing line of a queued run that lost starts to killed or crashed workers (undefined when
 * none was lost): how many, and the USD charged for them, one reservation each.
 */
export function queueLossesLine(losses: { starts: number; usd: number } | undefined): string | undefined {
  if (!losses || losses.starts === 0) return undefined;
  return `queue: ${losses.starts} start(s) ended without an answer (a worker killed or crashed mid-job); each is charged its reservation ($${losses.usd.toFixed(4)} in all)\n`;
}
