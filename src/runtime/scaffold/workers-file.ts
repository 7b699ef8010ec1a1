import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { readYamlFile } from '../data/yaml-file.js';
import type { Pricing } from '../../core/pricing.js';
import { parseModelRef, type Worker } from '../../core/worker.js';

/** Scaffold kinds `marketbench attempt` can run. */
export const ScaffoldKindSchema = z.enum(['bash-agent', 'one-shot', 'external']);
/** Scaffold kinds `marketbench attempt` can run. */
export type ScaffoldKind = z.infer<typeof ScaffoldKindSchema>;

/** Options of a worker's scaffold, all optional. */
export const ScaffoldOptionsSchema = z
  .object({
    /** bash-agent: model calls allowed (default 50). */
    maxSteps: z.number().int().positive().optional(),
    /** USD allowed per attempt (bash-agent default 3; external: reserved per attempt). */
    maxCostUsd: z.number().positive().optional(),
    /** bash-agent: wall-clock seconds per attempt (default 1800). */
    maxWallSeconds: z.number().positive().optional(),
    /** bash-agent: seconds per command (default 60). */
    commandTimeoutSeconds: z.number().positive().optional(),
    /** Output cap per model call (default 8192). */
    maxOutputTokens: z.number().int().positive().optional(),
    /** Sampling temperature (provider default when omitted). */
    temperature: z.number().min(0).max(2).optional(),
    /** bash-agent: characters of command output shown per step (default 10,000). */
    observationChars: z.number().int().positive().optional(),
    /** one-shot: characters of repository content in the prompt (default 60,000). */
    maxContextChars: z.number().int().positive().optional(),
    /** external: the shell command that runs the agent in the workspace. */
    command: z.string().min(1).optional(),
    /** external: seconds the agent may run (default 1800). */
    timeoutSeconds: z.number().positive().optional(),
    /** external: names of environment variables passed into the sandbox (e.g. its API key). */
    passEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')).optional(),
    /** external: share the host network so the agent can reach its model API (default false). */
    network: z.boolean().optional(),
  })
  .strict();
/** Options of a worker's scaffold. */
export type ScaffoldOptions = z.infer<typeof ScaffoldOptionsSchema>;

const PricingInputSchema = z.union([
  z.object({ inputPerToken: z.number().nonnegative(), outputPerToken: z.number().nonnegative(), cachedInputPerToken: z.number().nonnegative().optional() }).strict(),
  z
    .object({ inputPerMillion: z.number().nonnegative(), outputPerMillion: z.number().nonnegative(), cachedInputPerMillion: z.number().nonnegative().optional() })
    .strict(),
]);

/** One entry of a workers file. */
export const WorkerEntrySchema = z
  .object({
    /** Unique name of the bundle (default: the model reference). */
    id: z.string().min(1).optional(),
    /** Model reference `provider:model`. */
    model: z.string().regex(/^[^:\s]+:\S+$/, 'a model reference like openai:gpt-5.2'),
    /** `bash-agent` (default), `one-shot`, `external`, or `{ kind, options }`. */
    scaffold: z.union([ScaffoldKindSchema, z.object({ kind: ScaffoldKindSchema, options: ScaffoldOptionsSchema.default({}) }).strict()]).optional(),
    /** `local` (default), `docker`, or `{ kind, options }`. */
    environment: z.union([z.enum(['local', 'docker']), z.object({ kind: z.enum(['local', 'docker']), options: z.record(z.string(), z.unknown()).default({}) }).strict()]).optional(),
    /** Prices per token or per million tokens; default: the pricing table. */
    pricing: PricingInputSchema.optional(),
    /** Operator context for the worker. */
    persona: z.string().optional(),
  })
  .strict();

/** A workers file: a list of workers, or `{ workers: [...] }`. */
const WorkersFileSchema = z.union([z.array(WorkerEntrySchema).min(1), z.object({ workers: z.array(WorkerEntrySchema).min(1) }).strict()]);

/** A worker as `marketbench attempt` runs it (pricing undefined: look it up in the table). */
export interface AttemptWorker {
  /** Unique id. */
  id: string;
  /** Model reference. */
  model: string;
  /** Scaffold kind. */
  scaffold: ScaffoldKind;
  /** Scaffold options. */
  options: ScaffoldOptions;
  /** `local` or `docker`. */
  environment: 'local' | 'docker';
  /** Environment options. */
  environmentOptions: Record<string, unknown>;
  /** Prices given in the file, if any. */
  pricing: Pricing | undefined;
  /** Operator context. */
  persona: string | undefined;
}

function toPricing(input: z.infer<typeof PricingInputSchema> | undefined): Pricing | undefined {
  if (!input) return undefined;
  if ('inputPerToken' in input) return input;
  return {
    inputPerToken: input.inputPerMillion / 1e6,
    outputPerToken: input.outputPerMillion / 1e6,
    ...(input.cachedInputPerMillion !== undefined && { cachedInputPerToken: input.cachedInputPerMillion / 1e6 }),
  };
}

/** Validates parsed worker entries; errors name the file, line and field. */
export function workersFromValue(value: unknown, where: { file?: string; lineOf?: (path: (string | number)[]) => number | undefined } = {}): AttemptWorker[] {
  const parsed = WorkersFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = deepestIssue(parsed.error.issues);
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    // Zod's top-level message ("Invalid input") says nothing about what a workers file holds.
    const message = path.length > 0 ? issue.message : `${foundShape(value)}; expected a list of workers, or workers: with a list (marketbench init writes an example)`;
    throw new InvalidInputError(message, {
      file: where.file,
      line: where.lineOf?.(path),
      field: path.length > 0 ? path.join('.') : undefined,
    });
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.workers;
  const workers = entries.map((entry) => {
    const scaffold = typeof entry.scaffold === 'object' ? entry.scaffold : { kind: entry.scaffold ?? 'bash-agent', options: {} };
    const environment = typeof entry.environment === 'object' ? entry.environment : { kind: entry.environment ?? 'local', options: {} };
    return {
      id: entry.id ?? entry.model,
      model: entry.model,
      scaffold: scaffold.kind,
      options: scaffold.options,
      environment: environment.kind,
      environmentOptions: environment.options,
      pricing: toPricing(entry.pricing),
      persona: entry.persona,
    } satisfies AttemptWorker;
  });
  const seen = new Set<string>();
  workers.forEach((worker, index) => {
    if (seen.has(worker.id)) throw new InvalidInputError(`worker id '${worker.id}' appears twice`, { file: where.file, field: `${index}.id` });
    seen.add(worker.id);
    if (worker.scaffold === 'external' && !worker.options.command) {
      throw new InvalidInputError("an external scaffold needs options.command (the agent's shell command)", { file: where.file, field: `${index}.scaffold.options.command` });
    }
  });
  return workers;
}

/** What a file that is not a list of workers holds, in words. */
function foundShape(value: unknown): string {
  if (value === null || value === undefined) return 'the file is empty';
  if (Array.isArray(value)) return value.length === 0 ? 'the list of workers is empty' : 'a list whose entries are not workers';
  if (typeof value === 'object') return 'a mapping without a list under workers:';
  return `a single ${typeof value} value`;
}

/** The most specific issue (union errors nest the useful one). */
function deepestIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  let best = issues[0] as z.core.$ZodIssue;
  for (const issue of issues) {
    if (issue.code === 'invalid_union') {
      for (const branch of issue.errors) {
        const candidate = deepestIssue(branch);
        if (candidate.path.length + issue.path.length > best.path.length) best = { ...candidate, path: [...issue.path, ...candidate.path] };
      }
    } else if (issue.path.length > best.path.length) best = issue;
  }
  return best;
}

/** Reads a workers file (YAML or JSON). */
export function loadWorkersFile(file: string): AttemptWorker[] {
  const { value, lineOf } = readYamlFile(file, 'workers file');
  return workersFromValue(value, { file, lineOf });
}

/** Workers from `m1,m2` model references, all with one scaffold and environment. */
export function workersFromModels(models: readonly string[], defaults: { scaffold: ScaffoldKind; environment: 'local' | 'docker' }): AttemptWorker[] {
  return workersFromValue(models.map((model) => ({ model, scaffold: defaults.scaffold, environment: defaults.environment })));
}

/** The store's Worker record of an attempt worker. */
export function storedWorker(worker: AttemptWorker, pricing: Pricing): Worker {
  return {
    id: worker.id,
    model: worker.model,
    provider: parseModelRef(worker.model).provider,
    pricing,
    scaffold: { kind: worker.scaffold, options: worker.options },
    environment: { kind: worker.environment, options: worker.environmentOptions },
    ...(worker.persona !== undefined && { persona: worker.persona }),
  };
}
