import type { LabeledForecast, Random } from '../core/index.js';
import {
  drawReserves,
  multiBidderWins,
  RESERVE_TREATMENTS,
  type ReserveRowResult,
  type ReserveTreatment,
  reserveAuctionRow,
} from '../economics/index.js';

/** Settings of the Phase I reserve auction as the analysis runs it. */
export interface AuctionSettings {
  /** Failure penalty F in USD. */
  penalty: number;
  /** R of r ~ U[0, R] in USD. */
  maxReserve: number;
  /** Monte Carlo draws per task; ignored when `exact`. */
  draws: number;
  /** Use the closed forms instead of Monte Carlo. */
  exact: boolean;
}

/** Reserve-auction figures of one row under one treatment, plus its several-bidder wins. */
export interface RowAuction extends ReserveRowResult {
  /** Expected wins of this row when every bidder on the task (same elicitation treatment) competes. */
  multiWins: number;
}

/** Per row: the auction under each treatment, or null when ĉ (expected tokens × price) is unknown. */
export type RowEconomics = (Record<ReserveTreatment, RowAuction> | null)[];

/** Estimated cost ĉ = T̂·π of a row, or null when either factor is unknown. */
export function expectedCostOf(row: LabeledForecast): number | null {
  return row.expectedTokens !== null && row.blendedPrice !== null ? row.expectedTokens * row.blendedPrice : null;
}

/**
 * Runs the reserve auction for every row and treatment. Monte Carlo reserves are drawn per task
 * from `random.fork('reserve/<taskId>')`, so every worker (and every elicitation treatment) on a
 * task faces the same draws: comparisons between them are not blurred by reserve noise, and a
 * row's figures do not depend on the order or subset of the input. Several-bidder markets are
 * the rows sharing (task, elicitation treatment).
 */
export function rowEconomics(options: { rows: readonly LabeledForecast[]; settings: AuctionSettings; random: Random }): RowEconomics {
  const { rows, settings, random } = options;
  const reservesOf = new Map<string, Float64Array | undefined>();
  const reserves = (taskId: string) => {
    if (settings.exact) return undefined;
    if (!reservesOf.has(taskId)) {
      reservesOf.set(
        taskId,
        drawReserves({ random: random.fork(`reserve/${taskId}`), draws: settings.draws, maxReserve: settings.maxReserve }),
      );
    }
    return reservesOf.get(taskId);
  };
  const result: RowEconomics = rows.map((row) => {
    const expectedCost = expectedCostOf(row);
    if (expectedCost === null) return null;
    const entry = {} as Record<ReserveTreatment, RowAuction>;
    for (const treatment of RESERVE_TREATMENTS) {
      const auction = reserveAuctionRow({
        row: { p: row.p, expectedCost, y: row.y, cost: row.costUsd },
        penalty: settings.penalty,
        maxReserve: settings.maxReserve,
        treatment,
        reserves: reserves(row.taskId),
      });
      entry[treatment] = { ...auction, multiWins: 0 };
    }
    return entry;
  });
  const markets = new Map<string, number[]>();
  rows.forEach((row, i) => {
    if (result[i] === null) return;
    const key = `${row.taskId}\u0000${row.treatment}`;
    const members = markets.get(key) ?? [];
    members.push(i);
    markets.set(key, members);
  });
  for (const members of markets.values()) {
    const first = rows[members[0] as number] as LabeledForecast;
    const bidders = members.map((i) => ({ p: (rows[i] as LabeledForecast).p, expectedCost: expectedCostOf(rows[i] as LabeledForecast) as number }));
    for (const treatment of RESERVE_TREATMENTS) {
      const { wins } = multiBidderWins({
        bidders,
        penalty: settings.penalty,
        maxReserve: settings.maxReserve,
        treatment,
        reserves: reserves(first.taskId),
      });
      members.forEach((i, k) => {
        const entry = result[i];
        if (entry) entry[treatment].multiWins = wins[k] as number;
      });
    }
  }
  return result;
}
