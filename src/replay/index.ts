/**
 * Counterfactual replay of allocation mechanisms over a task × worker matrix.
 *
 * API (stable; the sim and CLI build on it):
 *
 *   runReplay({ matrix, mechanisms?, value?, maxAttempts?, seed?, resamples?, folds?, foldSeeds?, signalAuroc?, signalBias?, allowZeroPrices?, feedback? })
 *     → ReplayReport {
 *         mechanisms: Record<name, { solved, n, solveRate, actualCostUsd, welfare, spendUsd, surplus, workerRentUsd,
 *                                    costPerSolve, spendPerSolve, tokensPerSolve, attempts, winShare, conversion,
 *                                    perTask: { taskId, solved, spendUsd, attempts: { workerId, resolved, costUsd }[] }[] }>,
 *         comparisons: { a, b, onlyA, onlyB, mcnemarP, mcnemarPHolm, solvedDiff, solvedDiffCi,
 *                        welfareDiff, welfareDiffCi, costDiff, costDiffCi }[],
 *         frontier: { points: { name, actualCostUsd, solved }[], auf, costMax },
 *         settings: { value, maxAttempts, seed, resamples, folds, signalAuroc, signalBias, signalQuality, tasks, workers } }
 *
 *   groupResults({ report, matrix, feature }) → per group and mechanism { n, solved, actualCostUsd, welfare }
 *
 *   mechanismNames() → { kind, syntax, description }[]   (the registered specs, e.g. `solo:<worker>`)
 *
 * Welfare = V·solved − actual cost is the primary ranking; payments (`spendUsd`) are transfers.
 * `mechanisms` takes spec strings or `Mechanism` objects (see `src/mechanisms/types.ts`). Learned
 * mechanisms are cross-fitted K-fold by task; forecasts are synthesized at a target within-worker
 * AUROC when the matrix has none.
 */
export { mechanismNames } from '../mechanisms/index.js';
export * from './cell-tokens.js';
export * from './compare.js';
export * from './default-mechanisms.js';
export * from './folds.js';
export * from './frontier.js';
export * from './matrix-views.js';
export * from './run-replay.js';
export * from './summarize.js';
export * from './synthesize-forecasts.js';
export * from './types.js';
export * from './validate-matrix.js';
export * from './format-report.js';
export * from './unpriced-workers.js';
export * from './bandit-runs.js';
export * from './arrival-spread.js';
export * from './fold-spread.js';
export * from './welfare-interval.js';
export * from './group-results.js';
