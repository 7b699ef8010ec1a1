import type { LabeledForecast } from '../core/index.js';
import type { AnalysisReport } from '../metrics/analyze.js';
import { actualTokensOf } from '../metrics/analyze.js';
import { costSolveFrontier, type ReplayReport } from '../replay/index.js';
import type { MarketComparison } from '../market/comparison.js';
import type { ReliabilityPoint, StatedActualPoint, TokenRatioPoint } from './calibration-charts.js';
import type { AuctionProfitPoint, FrontierPoint, TreatmentDeltaPoint, WinSharePoint } from './market-charts.js';

/** Reliability points of every worker (empty bins left out). */
export function reliabilityPoints(analysis: AnalysisReport): ReliabilityPoint[] {
  return Object.entries(analysis.byWorker).flatMap(([worker, summary]) =>
    summary.reliability.filter((bin) => bin.n > 0).map((bin) => ({ worker, meanP: bin.meanP, passRate: bin.meanY, count: bin.n })),
  );
}

/** Stated and actual pass rates per worker with their intervals. */
export function statedActualPoints(analysis: AnalysisReport): StatedActualPoint[] {
  return Object.entries(analysis.byWorker).map(([worker, summary]) => ({
    worker,
    meanP: summary.meanP,
    ...(summary.meanPCi ? { meanPCi: summary.meanPCi } : {}),
    passRate: summary.passRate,
    ...(summary.passRateCi ? { passRateCi: summary.passRateCi } : {}),
  }));
}

/** Forecast/actual token ratio of every row that has both. */
export function tokenRatioPoints(rows: readonly LabeledForecast[]): TokenRatioPoint[] {
  const points: TokenRatioPoint[] = [];
  for (const row of rows) {
    const actual = actualTokensOf(row);
    if (row.expectedTokens === null || actual === null || actual <= 0 || row.expectedTokens <= 0) continue;
    points.push({ worker: row.workerId, ratio: row.expectedTokens / actual });
  }
  return points;
}

/** Realized (paper's definition) and oracle auction profit per worker. */
export function auctionProfitPoints(analysis: AnalysisReport): AuctionProfitPoint[] {
  return Object.entries(analysis.byWorker).map(([worker, summary]) => ({
    worker,
    realized: summary.auction.realizedProfit,
    oracle: summary.auction.oracleProfit,
  }));
}

/** Win shares: the reserve auction's several-bidder shares and each replayed mechanism's. */
export function winSharePoints(analysis: AnalysisReport | undefined, replay: ReplayReport | undefined): WinSharePoint[] {
  const points: WinSharePoint[] = [];
  if (analysis) {
    for (const [worker, summary] of Object.entries(analysis.byWorker)) {
      points.push({ mechanism: 'reserve auction (several bidders)', worker, share: summary.auction.winShare });
    }
  }
  if (replay) {
    for (const [mechanism, result] of Object.entries(replay.mechanisms)) {
      if (mechanism.startsWith('solo:')) continue;
      for (const [worker, share] of Object.entries(result.winShare)) points.push({ mechanism, worker, share });
    }
  }
  return points;
}

/** Every replayed mechanism on the cost–solve plane, with its kind and frontier membership. */
export function frontierPoints(replay: ReplayReport): FrontierPoint[] {
  const onFrontier = new Set(replay.frontier.points.map((point) => point.name));
  return Object.entries(replay.mechanisms).map(([name, result]) => ({
    name,
    actualCostUsd: result.actualCostUsd,
    solved: result.solved,
    kind: name === 'oracle' ? 'oracle' : name.startsWith('solo:') ? 'solo' : 'mechanism',
    onFrontier: onFrontier.has(name),
  }));
}

const DELTA_METRICS = ['brier', 'ece', 'medianTokenRatio', 'realizedProfit'] as const;

/** Per-worker treatment deltas with their paired intervals (metrics with an interval only). */
export function treatmentDeltaPoints(analysis: AnalysisReport): TreatmentDeltaPoint[] {
  const comparison = analysis.comparison;
  if (!comparison) return [];
  return Object.entries(comparison.byWorker).flatMap(([worker, delta]) =>
    DELTA_METRICS.flatMap((metric) => {
      const value = delta[metric];
      const ci = delta[`${metric}Ci`];
      if (!Number.isFinite(value)) return [];
      return [{ worker, metric, delta: value, lo: ci?.[0] ?? value, hi: ci?.[1] ?? value }];
    }),
  );
}

/** A live market's arms on the cost–solve plane: total USD (attempts + allocating) against solved. */
export function marketFrontierPoints(comparison: MarketComparison): FrontierPoint[] {
  const points = comparison.summaries.map((summary) => ({ name: summary.arm, actualCostUsd: summary.totalCostUsd, solved: summary.solved }));
  const n = comparison.summaries[0]?.n ?? 0;
  const onFrontier = new Set(costSolveFrontier({ points, n }).points.map((point) => point.name));
  return points.map((point) => ({
    ...point,
    kind: point.name.startsWith('solo:') ? 'solo' : 'mechanism',
    onFrontier: onFrontier.has(point.name),
  }));
}
