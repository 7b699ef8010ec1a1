import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { ImportedOutcome, ParsedOutcomes } from './outcomes-types.js';

const SubmissionSchema = z.object({
  name: z.string(),
  folder: z.string().optional(),
  model: z.string().nullable().optional(),
  has_per_instance: z.boolean().optional(),
  resolved: z.array(z.union([z.number(), z.boolean(), z.null()])).optional(),
  cost_usd: z.array(z.number().nullable()).optional(),
  data_warning: z.string().nullable().optional(),
});

const LeaderboardSchema = z.object({ instances: z.array(z.string()), submissions: z.array(SubmissionSchema) });

/** True when a parsed JSON document looks like the bash-only leaderboard's per-instance details. */
export function isBashOnlyLeaderboard(value: unknown): boolean {
  return LeaderboardSchema.safeParse(value).success;
}

/** The worker id of a submission: its model, else folder, else name. */
export function submissionWorkerId(submission: { model?: string | null; folder?: string; name: string }): string {
  return submission.model ?? submission.folder ?? submission.name;
}

/**
 * Reads the SWE-bench bash-only leaderboard's per-instance details (`instances` aligned with each
 * submission's `resolved` and `cost_usd`). `workers` selects submissions by model, folder or
 * display name (case-insensitive), or `all`; submissions without per-instance data are skipped
 * with a warning, and a submission's `data_warning` is passed on.
 */
export function parseBashOnlyOutcomes(options: { file: string; workers: readonly string[] | 'all' }): ParsedOutcomes {
  const { file } = options;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`cannot read JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
  const parsed = LeaderboardSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`not a bash-only outcomes file: ${issue?.message}`, { file, field: issue?.path.join('.') || undefined });
  }
  const { instances, submissions } = parsed.data;
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
