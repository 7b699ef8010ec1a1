import { z } from 'zod';

/** How to start and judge a repository task (kept in `Task.metadata.repoTask`). */
export const RepoTaskSpecSchema = z.object({
  /** Host folder with the starting repository (copied, never modified). */
  dir: z.string(),
  /** Command run in the sandbox before the baseline (no network), e.g. a build; empty for none. */
  setup: z.string().default(''),
  /** Acceptance command; exit 0 (and every named test passing, when TAP is printed) means resolved. */
  testCommand: z.string().min(1),
  /** Hidden files written after the candidate patch (path → content), e.g. the failing tests. */
  hiddenFiles: z.record(z.string(), z.string()).default({}),
  /** A hidden test patch applied after the candidate patch (SWE-bench style); empty for none. */
  testPatch: z.string().default(''),
  /** Wall-clock limit of the test command in milliseconds. */
  timeoutMs: z.number().int().positive().default(120_000),
});

/** How to start and judge a repository task. */
export type RepoTaskSpec = z.infer<typeof RepoTaskSpecSchema>;
