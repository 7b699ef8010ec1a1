import type { LabeledForecast } from '../core/index.js';
import { RESERVE_TREATMENTS, type ReserveTreatment } from '../economics/index.js';
import { auroc } from './auroc.js';
import {
  brier,
  brierSkill,
  distinctValues,
  ece,
  logLoss,
  type MurphyDecomposition,
  murphy,
  type ReliabilityBin,
  reliabilityBins,
} from './calibration.js';
import type { RowAuction } from './row-economics.js';
import { tokenRatioStats } from './token-ratio.js';

/** A 95% (or `level`) percentile interval [lo, hi]; null when no bootstrap was run. */
export type Interval = [number, number] | null;

/** Reserve-auction figures of a set of rows under one treatment: means per row, in USD. */
export interface AuctionSummary {
  /** Treatment these figures are for. */
  treatment: ReserveTreatment;
  /** `monte-carlo` (seeded draws) or `exact` (closed forms). */
  method: 'monte-carlo' | 'exact';
  /** Rows with a known estimated cost ĉ (the others cannot bid). */
  n: number;
  /** Mean finite breakeven bid b*. */
  meanBreakevenBid: number;
  /** Mean probability of winning against the reserve. */
  winRate: number;
  /** CI of `winRate`. */
  winRateCi: Interval;
  /** Mean stated-belief profit p·E[1{win}(pay − b*)]. */
  expectedProfit: number;
  /** CI of `expectedProfit`. */
  expectedProfitCi: Interval;
  /** Mean realized profit, PAPER'S DEFINITION: y·E[1{win}(pay − b*)] (margin over the breakeven bid). */
  realizedProfit: number;
  /** CI of `realizedProfit`. */
  realizedProfitCi: Interval;
  /** Mean realized profit, FULL ACCOUNTING: E[1{win}(y·pay − c − (1 − y)F)] with the actual cost c. */
  realizedProfitFull: number;
  /** CI of `realizedProfitFull`. */
  realizedProfitFullCi: Interval;
  /** Mean profit of the oracle that knows y (bids ĉ when y = 1, abstains when y = 0). */
  oracleProfit: number;
  /** CI of `oracleProfit`. */
  oracleProfitCi: Interval;
  /** oracleProfit − realizedProfit (paper's definition): the money left on the table. */
  oracleGap: number;
  /** CI of `oracleGap`. */
  oracleGapCi: Interval;
  /**
   * Share of the several-bidder auction wins (lowest bid ≤ r wins, on the same tasks) taken by
   * these rows, out of the wins of all rows summarized alongside: 1 for the overall summary.
   */
  winShare: number;
  /** CI of `winShare`. */
  winShareCi: Interval;
}

/** Every figure of one worker, group, or the whole input. */
export interface Summary {
  /** Rows. */
  n: number;
  /** Distinct tasks. */
  tasks: number;
  /** Mean outcome. */
  passRate: number;
  /** CI of `passRate`. */
  passRateCi: Interval;
  /** Mean stated p. */
  meanP: number;
  /** CI of `meanP`. */
  meanPCi: Interval;
  /** Brier score. */
  brier: number;
  /** CI of `brier`. */
  brierCi: Interval;
  /** Brier skill against this summary's own base rate. */
  brierSkill: number;
  /** CI of `brierSkill`. */
  brierSkillCi: Interval;
  /** Expected calibration error over 10 equal-width bins. */
  ece: number;
  /** CI of `ece`. */
  eceCi: Interval;
  /** Log loss (p clipped to [1e-6, 1 − 1e-6]). */
  logLoss: number;
  /** CI of `logLoss`. */
  logLossCi: Interval;
  /** AUROC (ties ½); NaN (null in JSON) when all outcomes are equal. */
  auroc: number;
  /** CI of `auroc`. */
  aurocCi: Interval;
  /** Number of distinct stated p values. */
  distinctP: number;
  /** Murphy decomposition of the Brier score. */
  murphy: MurphyDecomposition;
  /** Reliability diagram bins. */
  reliability: ReliabilityBin[];
  /** Rows with a usable token ratio T̂/T. */
  tokenRatioN: number;
  /** Median T̂/T. */
  medianTokenRatio: number;
  /** CI of `medianTokenRatio`. */
  medianTokenRatioCi: Interval;
  /** First and third quartile of T̂/T. */
  tokenRatioIqr: [number, number];
  /** Mean log₁₀(T̂/T). */
  meanLog10TokenRatio: number;
  /** CI of `meanLog10TokenRatio`. */
  meanLog10TokenRatioCi: Interval;
  /** Reserve auction, `pay-reserve` treatment, plus the other treatments under `treatments`. */
  auction: AuctionSummary & {
    /** The same figures under every treatment (including `pay-reserve`). */
    treatments: Record<ReserveTreatment, AuctionSummary>;
  };
}

/** Per-row inputs of one summary: the rows, their token ratios and their auction figures. */
export interface SummaryInput {
  /** The rows. */
  rows: readonly LabeledForecast[];
  /** Token ratio per row (NaN unknown). */
  ratios: ArrayLike<number>;
  /** Auction figures per row (null when ĉ is unknown). */
  economics: readonly (Record<ReserveTreatment, RowAuction> | null)[];
  /** Total several-bidder wins of all rows summarized alongside, per treatment (the winShare denominator). */
  unionWins: Record<ReserveTreatment, number>;
  /** Whether the auction used closed forms. */
  exact: boolean;
}

/** Lookup of the bootstrap interval of a named statistic of this summary's set. */
export type IntervalLookup = (name: string, treatment?: ReserveTreatment) => Interval;

function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Point figures of a set of rows, computed directly from the metric functions, with intervals
 * taken from the cluster bootstrap through `interval`.
 */
export function buildSummary(input: SummaryInput, interval: IntervalLookup): Summary {
  const { rows, ratios } = input;
  const p = rows.map((row) => row.p);
  const y = rows.map((row) => row.y);
  const scored = { p, y };
  const tokens = tokenRatioStats(ratios);
  const treatments = {} as Record<ReserveTreatment, AuctionSummary>;
  for (const treatment of RESERVE_TREATMENTS) treatments[treatment] = auctionSummary(input, treatment, interval);
  return {
    n: rows.length,
    tasks: new Set(rows.map((row) => row.taskId)).size,
    passRate: mean(y),
    passRateCi: interval('passRate'),
    meanP: mean(p),
    meanPCi: interval('meanP'),
    brier: brier(scored),
    brierCi: interval('brier'),
    brierSkill: brierSkill(scored),
    brierSkillCi: interval('brierSkill'),
    ece: ece(scored),
    eceCi: interval('ece'),
    logLoss: logLoss(scored),
    logLossCi: interval('logLoss'),
    auroc: auroc(scored),
    aurocCi: interval('auroc'),
    distinctP: distinctValues(p),
    murphy: murphy(scored),
    reliability: reliabilityBins(scored),
    tokenRatioN: tokens.n,
    medianTokenRatio: tokens.median,
    medianTokenRatioCi: interval('medianTokenRatio'),
    tokenRatioIqr: [tokens.q1, tokens.q3],
    meanLog10TokenRatio: tokens.meanLog10,
    meanLog10TokenRatioCi: interval('meanLog10TokenRatio'),
    auction: { ...treatments['pay-reserve'], treatments },
  };
}

function auctionSummary(input: SummaryInput, treatment: ReserveTreatment, interval: IntervalLookup): AuctionSummary {
  const figures = input.economics.flatMap((entry) => (entry === null ? [] : [entry[treatment]]));
  const pick = (f: (a: RowAuction) => number) => mean(figures.map(f));
  const realizedProfit = pick((a) => a.realizedProfit);
  const oracleProfit = pick((a) => a.oracleProfit);
  const wins = figures.reduce((s, a) => s + a.multiWins, 0);
  const union = input.unionWins[treatment];
  return {
    treatment,
    method: input.exact ? 'exact' : 'monte-carlo',
    n: figures.length,
    meanBreakevenBid: mean(figures.filter((a) => Number.isFinite(a.breakeven)).map((a) => a.breakeven)),
    winRate: pick((a) => a.winRate),
    winRateCi: interval('winRate', treatment),
    expectedProfit: pick((a) => a.expectedProfit),
    expectedProfitCi: interval('expectedProfit', treatment),
    realizedProfit,
    realizedProfitCi: interval('realizedProfit', treatment),
    realizedProfitFull: mean(figures.filter((a) => !Number.isNaN(a.realizedProfitFull)).map((a) => a.realizedProfitFull)),
    realizedProfitFullCi: interval('realizedProfitFull', treatment),
    oracleProfit,
    oracleProfitCi: interval('oracleProfit', treatment),
    oracleGap: oracleProfit - realizedProfit,
    oracleGapCi: interval('oracleGap', treatment),
    winShare: union > 0 ? wins / union : Number.NaN,
    winShareCi: interval('winShare', treatment),
  };
}
