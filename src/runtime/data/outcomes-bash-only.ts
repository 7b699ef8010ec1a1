import { InvalidInputError } from '../../core/errors.js';
import { readBashOnlyFile, submissionWorkerId } from './bash-only-file.js';
import type { ImportedOutcome, ParsedOutcomes } from './outcomes-types.js';

/**
 * Reads the SWE-bench bash-only leaderboard's per-instance details (`instances` aligned with each
 * submission's `resolved` and `cost_usd`). `workers` selects submissions by model, folder or
 * display name (case-insensitive), or `all`; submissions without per-instance data are skipped
 * with a warning, and a submission's `data_warning` is passed on.
 */
export function parseBashOnlyOutcomes(options: { file: string; workers: readonly string[] | 'all' }): ParsedOutcomes {
  const { file } = options;
  const { instances, submissions } = readBashOnlyFile(file);
  const wanted = options.workers === 'all' ? undefined : options.workers.map((name) => name.toLowerCase());
  const selected = submissions.filter(
    (submission) =>
      !wanted ||
      [submission.model, submission.folder, submission.name].some((name) => name !== undefined && name !== null && wanted.includes(name.toLowerCase())),
  );
  if (wanted) {
    for (const name of wanted) {
      const found = selected.some((s) => [s.model, s.folder, s.name].some((n) => n?.toLowerCase() === name));
      if (!found) {
        const known = submissions.map((s) => submissionWorkerId(s)).slice(0, 40).join(', ');
        throw new InvalidInputError(`no submission '${name}' (known: ${known})`, { file, field: 'submissions' });
      }
    }
  }
  const outcomes: ImportedOutcome[] = [];
  const warnings: string[] = [];
  for (const submission of selected) {
    const workerId = submissionWorkerId(submission);
    const { resolved, cost_usd: cost } = submission;
    if (!resolved || resolved.length !== instances.length) {
      warnings.push(`skipped '${submission.name}': no per-instance outcomes`);
      continue;
    }
    if (submission.data_warning) warnings.push(`'${workerId}': ${submission.data_warning}`);
    instances.forEach((taskId, index) => {
      const value = resolved[index];
      if (value === null || value === undefined) return;
      const costUsd = cost && cost.length === instances.length ? (cost[index] ?? null) : null;
      outcomes.push({ taskId, workerId, resolved: Boolean(value), costUsd, inputTokens: 0, outputTokens: 0, round: 1, exitReason: null });
    });
  }
  return { outcomes, warnings };
}
