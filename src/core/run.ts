import { z } from 'zod';

/** Kinds of run the store records. */
export const RunKindSchema = z.enum(['elicit', 'attempt', 'simulate', 'market', 'import', 'replay']);
/** Kinds of run the store records. */
export type RunKind = z.infer<typeof RunKindSchema>;

/** One invocation of the harness (or an import), grouping the rows it wrote. */
export const RunSchema = z.object({
  /** Identifier, unique within a store. */
  id: z.string().min(1),
  /** What the run did. */
  kind: RunKindSchema,
  /** ISO-8601 time the run was created. */
  createdAt: z.string(),
  /** `running`, `done`, `stopped` (budget or signal), or `failed`. */
  status: z.enum(['running', 'done', 'stopped', 'failed']).default('running'),
  /** The seed of the run's random stream. */
  seed: z.number().int().nullable().default(null),
  /** The run's full configuration (never secrets). */
  config: z.record(z.string(), z.unknown()).default({}),
  /** Free-text note. */
  note: z.string().nullable().default(null),
});

/** One invocation of the harness (or an import), grouping the rows it wrote. */
export type Run = z.infer<typeof RunSchema>;
