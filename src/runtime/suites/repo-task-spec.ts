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
  /**
   * The judge kept apart from the candidate (built-in tasks): `probes` (module text, run in the
   * candidate's sandbox at `.marketbench/probes.ts`, default-exporting test name → function that
   * returns plain data) and `expected` (CommonJS text, only in the judge's sandbox, exporting test
   * name → expected value). Null: the test command runs in the candidate's workspace.
   */
  judge: z.object({ probes: z.string(), expected: z.string() }).nullable().default(null),
  /** Folder prefixes a patch may change (empty: any path except tool, harness and hidden files). */
  allowedPaths: z.array(z.string()).default([]),
  /** A JSON result file (`{"tests":[{"name","passed"}]}`) the test command writes, relative to the workspace; empty: TAP on stdout. */
  resultFile: z.string().default(''),
});

/** How to start and judge a repository task. */
export type RepoTaskSpec = z.infer<typeof RepoTaskSpecSchema>;
