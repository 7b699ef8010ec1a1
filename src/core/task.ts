import { z } from 'zod';

/** Acceptance tests of a task: those that must start passing and those that must keep passing. */
export const TaskTestsSchema = z.object({
  /** Tests that fail before the fix and must pass after it. */
  failToPass: z.array(z.string()).default([]),
  /** Tests that pass before the fix and must still pass after it. */
  passToPass: z.array(z.string()).default([]),
});

/** One unit of work with an unambiguous pass/fail check. */
export const TaskSchema = z.object({
  /** Stable identifier, e.g. a SWE-bench instance id. */
  id: z.string().min(1),
  /** The suite the task belongs to, e.g. `swebench-lite`. */
  suite: z.string().min(1),
  /** Short human title; defaults to the id. */
  title: z.string().optional(),
  /** Repository, e.g. `astropy/astropy`, when the task lives in one. */
  repo: z.string().optional(),
  /** Commit the work starts from. */
  baseCommit: z.string().optional(),
  /** The problem statement shown to workers. */
  statement: z.string(),
  /** Names of acceptance tests (never their content). */
  tests: TaskTestsSchema.default({ failToPass: [], passToPass: [] }),
  /** Features a principal knows before any attempt (used by learned allocators). */
  features: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
  /** Anything else the suite needs to prepare and evaluate the task. */
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** One unit of work with an unambiguous pass/fail check. */
export type Task = z.infer<typeof TaskSchema>;
/** Input shape of a task (defaults not yet applied). */
export type TaskInput = z.input<typeof TaskSchema>;
