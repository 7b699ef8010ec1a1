import type { MechanismDecision } from './types.js';

/** A decision that assigns the given workers and reimburses each its actual attempt cost. */
export function assignAtCost(workerIds: string[], detail: Record<string, unknown> = {}): MechanismDecision {
  return { workerIds, payments: [], reimburseCost: true, detail };
}

/** A decision to assign nobody this round (the task stops). */
export function abstain(detail: Record<string, unknown> = {}): MechanismDecision {
  return { workerIds: [], payments: [], reimburseCost: false, detail };
}
