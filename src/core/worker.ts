import { z } from 'zod';
import { PricingSchema } from './pricing.js';

/** How a worker attempts tasks. */
export const ScaffoldSpecSchema = z.object({
  /** `bash-agent`, `one-shot-patch`, `external-command`, or `none` (forecast-only). */
  kind: z.string().default('bash-agent'),
  /** Scaffold options, e.g. `{ maxSteps: 50 }`. */
  options: z.record(z.string(), z.unknown()).default({}),
});

/** Where a worker's actions run. */
export const EnvironmentSpecSchema = z.object({
  /** `local` (bubblewrap), `docker`, or `none`. */
  kind: z.string().default('local'),
  /** Backend options, e.g. an image name or resource limits. */
  options: z.record(z.string(), z.unknown()).default({}),
});

/** A bidder: a bundle of model + scaffold + execution environment + pricing. */
export const WorkerSchema = z.object({
  /** Unique name of the bundle, e.g. `gpt-5.2/bash`. */
  id: z.string().min(1),
  /** Model reference `provider:model`, e.g. `openai:gpt-5.2`. */
  model: z.string().min(1),
  /** Provider part of the model reference. */
  provider: z.string().min(1),
  /** Token prices used for cost and bids. */
  pricing: PricingSchema,
  /** The agent scaffold. */
  scaffold: ScaffoldSpecSchema.default({ kind: 'bash-agent', options: {} }),
  /** The execution environment. */
  environment: EnvironmentSpecSchema.default({ kind: 'local', options: {} }),
  /** Optional operator context or persona given to the worker. */
  persona: z.string().optional(),
});

/** A bidder: a bundle of model + scaffold + execution environment + pricing. */
export type Worker = z.infer<typeof WorkerSchema>;
/** Input shape of a worker (defaults not yet applied). */
export type WorkerInput = z.input<typeof WorkerSchema>;

/** Splits `provider:model` into its parts; a bare name has provider `unknown`. */
export function parseModelRef(ref: string): { provider: string; model: string } {
  const index = ref.indexOf(':');
  if (index <= 0) return { provider: 'unknown', model: ref };
  return { provider: ref.slice(0, index), model: ref.slice(index + 1) };
}
