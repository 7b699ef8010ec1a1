import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';

/** One submission of the SWE-bench bash-only leaderboard's per-instance details. */
export const BashOnlySubmissionSchema = z.object({
  /** Display name. */
  name: z.string(),
  /** Model tag, when the leaderboard gives one. */
  model: z.string().nullable().optional(),
  /** Experiments folder. */
  folder: z.string().optional(),
  /** Whether per-instance data exists. */
  has_per_instance: z.boolean().optional(),
  /** Per instance: resolved (1/0, true/false, or null when unknown), aligned with `instances`. */
  resolved: z.array(z.union([z.number(), z.boolean(), z.null()])).optional(),
  /** Per instance: USD cost, aligned with `instances`. */
  cost_usd: z.array(z.number().nullable()).optional(),
  /** Per instance: API calls, aligned with `instances`. */
  api_calls: z.array(z.number().nullable()).optional(),
  /** A caveat from whoever assembled the data. */
  data_warning: z.string().nullable().optional(),
});

/** The bash-only leaderboard's `outcomes.json`: instances and aligned per-submission arrays. */
export const BashOnlyFileSchema = z.object({
  /** Instance ids, in the order of every per-instance array. */
  instances: z.array(z.string()),
  /** The submissions. */
  submissions: z.array(BashOnlySubmissionSchema),
});

/** A parsed bash-only leaderboard file. */
export type BashOnlyFile = z.infer<typeof BashOnlyFileSchema>;

/** True when a parsed JSON document looks like the bash-only leaderboard's per-instance details. */
export function isBashOnlyLeaderboard(value: unknown): boolean {
  return BashOnlyFileSchema.safeParse(value).success;
}

/** The worker id of a submission: its model, else folder, else name. */
export function submissionWorkerId(submission: { model?: string | null; folder?: string; name: string }): string {
  return submission.model ?? submission.folder ?? submission.name;
}

/** Reads and validates a bash-only leaderboard file, naming the file and field when it is not one. */
export function readBashOnlyFile(file: string): BashOnlyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`cannot read JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
  const parsed = BashOnlyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`not a bash-only outcomes file: ${issue?.message ?? 'invalid'}`, {
      file,
      field: issue?.path.join('.') || undefined,
    });
  }
  return parsed.data;
}
