import { z } from 'zod';

/** A worker's bid reply as the ledger keeps it (what clearing needs; the raw text is in the forecasts row). */
export const BidReplySchema = z.object({
  /** Stated probability; null when invalid. */
  pSuccess: z.number().nullable(),
  /** Stated tokens; null when missing. */
  expectedTokens: z.number().nullable(),
  /** Ask in the market's currency; null when invalid. */
  ask: z.number().nullable(),
  /** Whether the reply parsed into an in-range bid. */
  valid: z.boolean(),
  /** Why not. */
  invalidReason: z.string().nullable(),
  /** True when the worker did not answer within the bid timeout. */
  timedOut: z.boolean(),
  /** Tokens of the bid call. */
  tokens: z.number(),
});

/** A worker's bid reply (see `BidReplySchema`). */
export type BidReply = z.infer<typeof BidReplySchema>;

/** A worker's recent record, the operator's basis for e. */
export interface RecentRecord {
  /** Attempts averaged (at most the window). */
  attempts: number;
  /** Mean total tokens of those attempts. */
  meanTokens: number;
}
