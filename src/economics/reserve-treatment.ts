/**
 * How the reserve-price auction of the paper's Phase I pays and what the bidder asks. In every
 * treatment the reserve r ~ Uniform[0, R] is the most the principal will pay, the bidder's
 * breakeven bid is b* = (ĉ + F(1 − p))/p, and on a win the bidder earns its payment on success
 * and bears the penalty F on failure.
 *
 * - `pay-reserve` (the paper's "legacy" auction): the bidder submits b* and wins when b* ≤ r;
 *   it is paid r.
 * - `hidden-first-price`: the bidder does not see r; it asks a and wins when a ≤ r; it is paid a.
 *   Knowing only r ~ U[0, R], the ask that maximises its expected profit (R − a)/R · p·(a − b*)
 *   is a = (b* + R)/2 (the paper's "uniform Bayes" ask); we use it.
 * - `known-first-price`: the bidder sees r before asking, asks exactly r whenever b* ≤ r (any
 *   lower ask leaves money on the table, any higher one loses) and abstains otherwise; it is paid
 *   its ask r. With one bidder this is outcome-equivalent to `pay-reserve` (same wins, same
 *   payments), which is the point: revealing r lets a first-price bidder extract the reserve.
 */
export type ReserveTreatment = 'pay-reserve' | 'hidden-first-price' | 'known-first-price';

/** Every reserve-auction treatment, in report order. */
export const RESERVE_TREATMENTS: readonly ReserveTreatment[] = ['pay-reserve', 'hidden-first-price', 'known-first-price'];
