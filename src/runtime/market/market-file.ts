import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { readYamlFile } from '../data/yaml-file.js';
import { type AttemptWorker, workersFromValue } from '../scaffold/workers-file.js';
import { type MarketSettingsInput, MarketSettingsSchema, RouterSettingsSchema } from '../../market/settings.js';

/** The market's own sections of a market file (the workers are checked by the workers-file schema). */
const MarketSectionsSchema = z
  .object({
    /** The roster, exactly as in a workers file (see `marketbench attempt`). */
    workers: z.unknown(),
    /** The central router: `{ model, withHistory, maxOutputTokens, temperature }`. */
    router: RouterSettingsSchema.optional(),
    /** Market settings (bounty, currency, maxAttempts, forceBids, bid timeout, …). */
    market: MarketSettingsSchema.optional(),
    /** Default arms (overridden by --arms). */
    arms: z.array(z.string().min(1)).min(1).optional(),
    /** Default number of tasks (the first N; overridden by --limit). */
    limit: z.number().int().positive().optional(),
  })
  .strict();

/** A loaded market file. */
export interface MarketFile {
  /** The roster. */
  workers: AttemptWorker[];
  /** Router settings, when given. */
  router: z.infer<typeof RouterSettingsSchema> | undefined;
  /** Market settings as written (defaults applied later). */
  market: MarketSettingsInput | undefined;
  /** Default arms, when given. */
  arms: string[] | undefined;
  /** Default number of tasks, when given. */
  limit?: number | undefined;
}

/**
 * Reads a workers file (a list of workers, or `{ workers: [...] }`) or a market file: the same
 * `workers:` list plus optional `router:`, `market:` and `arms:` sections. Every problem is an
 * `InvalidInputError` naming the file, the line and the field (e.g. `workers.1.model`,
 * `router.withHistory`, `market.bounty`).
 */
export function loadMarketFile(file: string): MarketFile {
  const { value, lineOf } = readYamlFile(file, 'workers file');
  return marketFileFromValue(value, { file, lineOf });
}

/** Validates a parsed workers or market file; errors name the file, line and field. */
export function marketFileFromValue(
  value: unknown,
  where: { file?: string; lineOf?: (path: (string | number)[]) => number | undefined } = {},
): MarketFile {
  const isMarketFile = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isMarketFile) return { workers: workersFromValue(value, where), router: undefined, market: undefined, arms: undefined };
  const parsed = MarketSectionsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    const known = issue.code === 'unrecognized_keys' ? '; a market file has workers, router, market, arms and limit' : '';
    throw new InvalidInputError(`${issue.message}${known}`, {
      file: where.file,
      line: where.lineOf?.(path),
      field: path.length > 0 ? path.join('.') : undefined,
    });
  }
  const workers = workersFromValue({ workers: parsed.data.workers }, where);
  return { workers, router: parsed.data.router, market: (value as { market?: MarketSettingsInput }).market, arms: parsed.data.arms, limit: parsed.data.limit };
}
