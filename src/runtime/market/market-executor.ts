import { LocalExecutor } from '../jobs/executor.js';
import type { JobFunction } from '../jobs/job.js';
import type { AttemptPayload, AttemptRecords, AttemptResult, PendingEvaluation } from '../scaffold/attempt-job.js';
import { BID_JOB, bidFunction } from './bid-collection.js';
import { ROUTER_JOB, routerFunction } from './central-router-call.js';
import { MENU_JOB, menuFunction } from './menu-collection.js';
import type { MarketCallContext } from './market-calls.js';

/**
 * The functions of a market run's paid jobs, registered by kind for this process: `bid` and
 * `router` calls with the run's models, limiters, cache and retries, and `attempt` with the attempt
 * runner of `marketbench attempt`. A queue worker registers the same functions on its side.
 */
export function marketExecutor(input: {
  /** Models, limiters, cache and retries of the run. */
  calls: Omit<MarketCallContext, 'signal'>;
  /** The attempt function (`runAttemptExecutor`). */
  attempt: JobFunction<AttemptPayload, AttemptResult | PendingEvaluation, AttemptRecords>;
}): LocalExecutor {
  return new LocalExecutor().register(BID_JOB.kind, bidFunction(input.calls)).register(ROUTER_JOB.kind, routerFunction(input.calls))
    .register(MENU_JOB.kind, menuFunction(input.calls)).register('attempt', input.attempt);
}
