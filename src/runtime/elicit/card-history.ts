import type { LabeledForecast } from '../../core/labeled-forecast.js';
import { pricingKeys } from '../providers/pricing.js';
import type { Store } from '../store/store.js';

/**
 * The rows self-knowledge cards are built from: labeled forecasts of the given treatment
 * (default `direct`) from every run of the store except `excludeRunId` (the run being elicited,
 * whose own rows would make prompts depend on how far an earlier session got).
 */
export function cardHistoryFromStore(store: Store, options: { excludeRunId: string; treatment?: string }): LabeledForecast[] {
  const rows: LabeledForecast[] = [];
  for (const run of store.listRuns()) {
    if (run.id === options.excludeRunId) continue;
    rows.push(...store.labeledForecasts({ runId: run.id, treatment: options.treatment ?? 'direct' }));
  }
  return rows;
}

/** The canonical model of a worker id (`anthropic:claude-opus-4-5-20251101` → `anthropic:claude-opus-4-5`). */
function canonical(workerId: string): string {
  return pricingKeys(workerId).at(-1) ?? workerId;
}

/**
 * The history rows of one worker: same worker id, or the same canonical model (so a phase-1 file
 * that names `openai:gpt-5.2-2025-12-11` serves a worker `openai:gpt-5.2`).
 */
export function historyOfWorker(rows: readonly LabeledForecast[], workerId: string): LabeledForecast[] {
  const exact = rows.filter((row) => row.workerId === workerId);
  if (exact.length > 0) return exact;
  const target = canonical(workerId);
  return rows.filter((row) => canonical(row.workerId) === target);
}
