import { breakevenBid, scoringAuctionScore, scoringFailurePenalty } from '../../economics/index.js';

/** The mechanisms a strategic game can repeat. */
export const STRATEGIC_MECHANISMS = ['reserve', 'scoring', 'reputation', 'liability', 'proper'] as const;

/** A mechanism a strategic game can repeat. */
export type StrategicMechanism = (typeof STRATEGIC_MECHANISMS)[number];

/** Parameters of the stage mechanisms (one task, every worker bidding once). */
export interface StageParams {
  /** Value V of a solved task to the principal, USD. */
  value: number;
  /** Bounty B of the scoring auctions, USD. */
  bounty: number;
  /** Rate in the scoring auctions' failure term φ = rate·B·(0.5 + p). */
  penaltyRate: number;
  /** Failure penalty F of the reserve auction, USD (0: the plain auction without a penalty). */
  reservePenalty: number;
  /** R of the reserve r ~ U[0, R], USD. */
  maxReserve: number;
  /** Constant a of the proper-scoring payment a + b·(1 − (p − y)²), USD. */
  properBase: number;
  /** Scale b of the proper-scoring payment, USD. */
  properScale: number;
  /** Share of losing bidders the proper rule audits (each audit is a paid attempt). */
  auditRate: number;
}

/** One task as a stage mechanism sees it: the reports, and the draws that settle it. */
export interface StageInput {
  /** Reported p per worker, as the allocation uses it (after any calibration map). */
  allocationP: ArrayLike<number>;
  /** Reported p per worker, as the worker stated it (what a proper score is paid on). */
  statedP: ArrayLike<number>;
  /** Reported ask per worker, USD. */
  ask: ArrayLike<number>;
  /** Actual cost of an attempt per worker, USD (also the operator's expected cost e). */
  cost: ArrayLike<number>;
  /** Outcome each worker would have on this task (1 solved). */
  outcome: ArrayLike<number>;
  /** Whether each worker would be audited if it lost (proper rule only). */
  audited: ArrayLike<number>;
  /** This task's reserve draw r, USD (reserve auction only). */
  reserve: number;
}

/** What one task settled to. */
export interface StageResult {
  /** Index of the worker that attempted the task, −1 when nobody did. */
  winner: number;
  /** Whether any attempt solved the task. */
  solved: boolean;
  /** Actual cost of every attempt the mechanism caused, USD. */
  actualCostUsd: number;
  /** Profit of worker `focus` (payments received minus its actual costs and penalties), USD. */
  profit: number;
}

/**
 * Settles one task under a mechanism and returns the profit of worker `focus` (the caller asks
 * once per worker, and once per counterfactual report of that worker).
 *
 * - `reserve` (the paper's pay-reserve auction): bid b* = (ask + F(1 − p))/p; among bids ≤ r the
 *   lowest wins, is paid r on success and pays F on failure; profit y·r − c − (1 − y)·F.
 * - `scoring` (the paper's live market): score p·B − a − e − (1 − p)·φ with e the operator's
 *   expected cost; the highest positive score wins and is paid its ask; profit a − c.
 * - `reputation`: the same, on p already mapped through the worker's calibration map by the caller.
 * - `liability` (the paper's proposal in full): `reputation`, and the winner that fails pays the
 *   failure term φ = rate·B·(0.5 + p) of its stated p; profit a − c − (1 − y)·φ.
 * - `proper` (the truthful reference): allocated like `scoring`, the winner reimbursed its actual
 *   cost (no rent from winning), and every bidder paid a + b·(1 − (p − y)²) on its own outcome —
 *   the winner's attempt, or for a loser an audit attempt made with probability α and paid 1/α
 *   times over, so the expected payment is the same whether or not a bidder wins.
 */
export function settleStage(options: {
  /** The mechanism. */
  mechanism: StrategicMechanism;
  /** Its parameters. */
  params: StageParams;
  /** The task's reports and draws. */
  input: StageInput;
  /** Worker whose profit is returned. */
  focus: number;
}): StageResult {
  const { mechanism, params, input, focus } = options;
  const winner = mechanism === 'reserve' ? reserveWinner(params, input) : scoringWinner(params, input);
  if (mechanism === 'proper') return settleProper({ params, input, focus, winner });
  const solved = winner >= 0 && input.outcome[winner] === 1;
  const actualCostUsd = winner >= 0 ? (input.cost[winner] as number) : 0;
  let profit = 0;
  if (winner === focus && winner >= 0) {
    const cost = input.cost[focus] as number;
    if (mechanism === 'reserve') profit = (solved ? input.reserve : -params.reservePenalty) - cost;
    else profit = (input.ask[focus] as number) - cost;
    if (mechanism === 'liability' && !solved) {
      profit -= scoringFailurePenalty({ bounty: params.bounty, p: input.statedP[focus] as number, penaltyRate: params.penaltyRate });
    }
  }
  return { winner, solved, actualCostUsd, profit };
}

function reserveWinner(params: StageParams, input: StageInput): number {
  let winner = -1;
  let best = Number.POSITIVE_INFINITY;
  for (let w = 0; w < input.ask.length; w++) {
    const bid = breakevenBid({ p: input.allocationP[w] as number, expectedCost: input.ask[w] as number, penalty: params.reservePenalty });
    // Strictly lower wins, so ties go to the earlier worker in the roster.
    if (bid <= input.reserve && bid < best) {
      best = bid;
      winner = w;
    }
  }
  return winner;
}

function scoringWinner(params: StageParams, input: StageInput): number {
  let winner = -1;
  let best = 0;
  for (let w = 0; w < input.ask.length; w++) {
    const score = scoringAuctionScore({
      bounty: params.bounty,
      ask: input.ask[w] as number,
      p: input.allocationP[w] as number,
      expectedCost: input.cost[w] as number,
      penaltyRate: params.penaltyRate,
    });
    if (score > best) {
      best = score;
      winner = w;
    }
  }
  return winner;
}

function settleProper(options: { params: StageParams; input: StageInput; focus: number; winner: number }): StageResult {
  const { params, input, focus, winner } = options;
  let solved = false;
  let actualCostUsd = 0;
  for (let w = 0; w < input.ask.length; w++) {
    if (w === winner || input.audited[w] === 1) {
      actualCostUsd += input.cost[w] as number;
      if (input.outcome[w] === 1) solved = true;
    }
  }
  let profit = 0;
  const observed = focus === winner || input.audited[focus] === 1;
  if (observed) {
    const gap = (input.statedP[focus] as number) - (input.outcome[focus] as number);
    const score = params.properBase + params.properScale * (1 - gap * gap);
    profit = focus === winner ? score : score / params.auditRate;
  }
  return { winner, solved, actualCostUsd, profit };
}
