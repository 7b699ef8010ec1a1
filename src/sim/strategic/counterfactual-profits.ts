import { breakevenBid, scoringAuctionScore, scoringFailurePenalty } from '../../economics/index.js';
import type { StageInput, StageParams, StrategicMechanism } from './stage-mechanisms.js';

/** One worker's alternative reports on one task. */
export interface CandidateReports {
  /** p as the allocation would use it, per alternative. */
  allocationP: ArrayLike<number>;
  /** p as stated, per alternative. */
  statedP: ArrayLike<number>;
  /** Ask, per alternative. */
  ask: ArrayLike<number>;
}

/**
 * The profit worker `focus` would have made on this task with each alternative report, the
 * others' reports and the draws held fixed; the same numbers as `settleStage` with the focus
 * report replaced, but the rivals' best bid is found once, so each alternative costs O(1).
 * Rivals earlier in the roster win ties, later ones lose them (as in `settleStage`).
 */
export function counterfactualProfits(options: {
  /** The mechanism. */
  mechanism: StrategicMechanism;
  /** Its parameters. */
  params: StageParams;
  /** The task's actual reports and draws. */
  input: StageInput;
  /** The worker whose alternatives are priced. */
  focus: number;
  /** Its alternatives. */
  candidates: CandidateReports;
  /** Where the profits are added, one per alternative. */
  into: Float64Array;
}): void {
  const { mechanism, params, input, focus, candidates, into } = options;
  const reserve = mechanism === 'reserve';
  const value = (w: number, p: number, ask: number) =>
    reserve
      ? -breakevenBid({ p, expectedCost: ask, penalty: params.reservePenalty })
      : scoringAuctionScore({ bounty: params.bounty, ask, p, expectedCost: input.cost[w] as number, penaltyRate: params.penaltyRate });
  // Higher `value` is better for both rules (a reserve bid is negated); a rival can only win when
  // it clears the bar (bid ≤ r, or score > 0).
  const bar = reserve ? -input.reserve : 0;
  let bestBefore = Number.NEGATIVE_INFINITY;
  let bestAfter = Number.NEGATIVE_INFINITY;
  for (let w = 0; w < input.ask.length; w++) {
    if (w === focus) continue;
    const v = value(w, input.allocationP[w] as number, input.ask[w] as number);
    if (w < focus) bestBefore = Math.max(bestBefore, v);
    else bestAfter = Math.max(bestAfter, v);
  }
  const cost = input.cost[focus] as number;
  const y = input.outcome[focus] as number;
  for (let a = 0; a < into.length; a++) {
    const v = value(focus, candidates.allocationP[a] as number, candidates.ask[a] as number);
    const clears = reserve ? v >= bar : v > bar;
    const wins = clears && v > bestBefore && v >= bestAfter;
    let profit = 0;
    if (mechanism === 'proper') {
      if (wins || input.audited[focus] === 1) {
        const gap = (candidates.statedP[a] as number) - y;
        const score = params.properBase + params.properScale * (1 - gap * gap);
        profit = wins ? score : score / params.auditRate;
      }
    } else if (wins) {
      if (reserve) profit = (y === 1 ? input.reserve : -params.reservePenalty) - cost;
      else profit = (candidates.ask[a] as number) - cost;
      if (mechanism === 'liability' && y !== 1) {
        profit -= scoringFailurePenalty({ bounty: params.bounty, p: candidates.statedP[a] as number, penaltyRate: params.penaltyRate });
      }
    }
    into[a] = (into[a] as number) + profit;
  }
}
