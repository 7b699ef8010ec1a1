import { breakevenBid } from './bid-formulas.js';
import { oracleReserveProfit } from './oracle.js';
import type { ReserveTreatment } from './reserve-treatment.js';


/** Parameters of the reserve-price auction. */
export interface ReserveAuctionParams {
  /** Failure penalty F in USD (paper: 2). */
  penalty: number;
  /** Upper end R of the reserve distribution Uniform[0, R] in USD (paper: 1). */
  maxReserve: number;
}

/** One forecast row as the reserve auction sees it. */
export interface ReserveRow {
  /** Stated probability of success. */
  p: number;
  /** Estimated cost ĉ = T̂·π in USD. */
  expectedCost: number;
  /** Outcome, 0 or 1. */
  y: 0 | 1;
  /** Actual cost c of the attempt in USD; null when unknown (full accounting is then NaN). */
  cost: number | null;
}

/** Reserve-auction figures of one row, averaged over the reserve distribution (or its draws). */
export interface ReserveRowResult {
  /** Breakeven bid b* (Infinity when p = 0). */
  breakeven: number;
  /** The price compared with r: b* (pay-reserve, known-first-price) or the ask (hidden-first-price). */
  bid: number;
  /** P(win) (closed form) or the share of draws won (Monte Carlo). */
  winRate: number;
  /** Stated-belief profit p·E[1{win}·(pay − b*)]. */
  expectedProfit: number;
  /** Paper's realized profit y·E[1{win}·(pay − b*)]: the bid's margin, earned only on success. */
  realizedProfit: number;
  /** Full accounting E[1{win}·(y·pay − c − (1 − y)·F)] with the actual cost c; NaN when c is unknown. */
  realizedProfitFull: number;
  /** Profit of the oracle that knows y (see `oracleReserveProfit`). */
  oracleProfit: number;
}

/** The ask in `hidden-first-price`: the expected-profit-maximising (b* + R)/2 (Infinity when b* is). */
export function hiddenFirstPriceAsk({ breakeven, maxReserve }: { breakeven: number; maxReserve: number }): number {
  return Number.isFinite(breakeven) ? (breakeven + maxReserve) / 2 : Number.POSITIVE_INFINITY;
}

/** The price a bidder of this treatment puts against the reserve. */
export function reserveBid(options: { breakeven: number; maxReserve: number; treatment: ReserveTreatment }): number {
  return options.treatment === 'hidden-first-price' ? hiddenFirstPriceAsk(options) : options.breakeven;
}

/**
 * One row of the reserve auction. With `reserves` (draws of r) the figures are Monte Carlo
 * averages over those draws; without, they are the closed forms for r ~ U[0, R]:
 * P(b ≤ r) = (R − b)/R, E[1{b ≤ r}(r − b)] = (R − b)²/(2R), E[1{b ≤ r}·r] = (R² − b²)/(2R) for b ∈ [0, R].
 */
export function reserveAuctionRow(
  options: ReserveAuctionParams & {
    /** The row. */
    row: ReserveRow;
    /** The treatment (default `pay-reserve`). */
    treatment?: ReserveTreatment;
    /** Reserve draws for Monte Carlo; omit for the closed form. */
    reserves?: ArrayLike<number> | undefined;
  },
): ReserveRowResult {
  const { row, penalty, maxReserve, treatment = 'pay-reserve', reserves } = options;
  const breakeven = breakevenBid({ p: row.p, expectedCost: row.expectedCost, penalty });
  const bid = reserveBid({ breakeven, maxReserve, treatment });
  const paidAsk = treatment === 'hidden-first-price';
  const { winRate, marginWon, paymentWon } =
    reserves === undefined
      ? exactWinMoments({ bid, maxReserve, breakeven, paidAsk })
      : sampledWinMoments({ bid, breakeven, paidAsk, reserves });
  const lossOnWin = row.cost === null ? Number.NaN : row.cost + (1 - row.y) * penalty;
  return {
    breakeven,
    bid,
    winRate,
    expectedProfit: row.p * marginWon,
    realizedProfit: row.y * marginWon,
    realizedProfitFull: row.y * paymentWon - lossOnWin * winRate,
    oracleProfit: oracleReserveProfit({ y: row.y, expectedCost: row.expectedCost, maxReserve, treatment, reserves }),
  };
}

interface WinMoments {
  /** P(win). */
  winRate: number;
  /** E[1{win}·(pay − b*)]. */
  marginWon: number;
  /** E[1{win}·pay]. */
  paymentWon: number;
}

function exactWinMoments(options: { bid: number; breakeven: number; maxReserve: number; paidAsk: boolean }): WinMoments {
  const { bid, breakeven, maxReserve: R, paidAsk } = options;
  if (!(bid <= R) || !(R > 0)) return { winRate: 0, marginWon: 0, paymentWon: 0 };
  const b = Math.max(0, bid);
  const winRate = (R - b) / R;
  if (paidAsk) {
    // Paid the ask: margin and payment are constant on the winning event.
    return { winRate, marginWon: winRate * (b - breakeven), paymentWon: winRate * b };
  }
  // Paid r: E[1{b ≤ r}·r] = (R² − b²)/(2R), and b = b* here.
  const paymentWon = (R * R - b * b) / (2 * R);
  return { winRate, marginWon: paymentWon - breakeven * winRate, paymentWon };
}

function sampledWinMoments(options: {
  bid: number;
  breakeven: number;
  paidAsk: boolean;
  reserves: ArrayLike<number>;
}): WinMoments {
  const { bid, breakeven, paidAsk, reserves } = options;
  const n = reserves.length;
  if (n === 0) return { winRate: Number.NaN, marginWon: Number.NaN, paymentWon: Number.NaN };
  let wins = 0;
  let payment = 0;
  for (let k = 0; k < n; k++) {
    const r = reserves[k] as number;
    if (bid <= r) {
      wins++;
      payment += paidAsk ? bid : r;
    }
  }
  return { winRate: wins / n, marginWon: (payment - wins * breakeven) / n, paymentWon: payment / n };
}

/** `n` draws of the reserve r ~ Uniform[0, R) from a seeded generator. */
export function drawReserves({ random, draws, maxReserve }: { random: { next(): number }; draws: number; maxReserve: number }): Float64Array {
  const out = new Float64Array(draws);
  for (let k = 0; k < draws; k++) out[k] = maxReserve * random.next();
  return out;
}
