import { z } from 'zod';
import { DEFAULTS } from '../../core/defaults.js';
import { InvalidInputError } from '../../core/errors.js';
import { readYamlFile } from '../data/yaml-file.js';
import { type AttemptWorker, workersFromValue } from '../scaffold/workers-file.js';
import { type MarketSettingsInput, MarketSettingsSchema, RouterSettingsSchema } from '../../market/settings.js';

/**
 * The `market:` section as written: the settings, with the bounty named by its currency
 * (`bountyCredits` or `bountyUsd`). The old `bounty` (+ `currency`) is still accepted, with a
 * deprecation line (DESIGN §9), but not mixed with the new names.
 */
const MarketFileSettingsSchema = MarketSettingsSchema.omit({ bounty: true, currency: true })
  .extend({
    /** Bounty B of a solved task, in credits (paper: 90). */
    bountyCredits: z.number().positive().optional(),
    /** Bounty B of a solved task, in USD (the market then runs in USD). */
    bountyUsd: z.number().positive().optional(),
    /** Deprecated: use `bountyCredits` or `bountyUsd`. */
    bounty: z.number().positive().optional(),
    /** Deprecated: the currency is named by `bountyCredits` / `bountyUsd`. */
    currency: z.enum(['credits', 'usd']).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.bountyCredits !== undefined && value.bountyUsd !== undefined) {
      context.addIssue({ code: 'custom', path: ['bountyUsd'], message: 'give one of bountyCredits or bountyUsd' });
    }
    const renamed = value.bountyCredits !== undefined || value.bountyUsd !== undefined;
    if (renamed && (value.bounty !== undefined || value.currency !== undefined)) {
      const old = value.bounty !== undefined ? 'bounty' : 'currency';
      context.addIssue({ code: 'custom', path: [old], message: `${old} is the old spelling of bountyCredits / bountyUsd; give only the new one` });
    }
  });

/** The market's own sections of a market file (the workers are checked by the workers-file schema). */
const MarketSectionsSchema = z
  .object({
    /** The roster, exactly as in a workers file (see `marketbench attempt`). */
    workers: z.unknown(),
    /** The central router: `{ model, withHistory, maxOutputTokens, temperature }`. */
    router: RouterSettingsSchema.optional(),
    /** Market settings (bounty, currency, maxAttempts, forceBids, bid timeout, …). */
    market: MarketFileSettingsSchema.optional(),
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
  /** One line per deprecated spelling the file uses (e.g. `market.bounty`), naming the new one. */
  deprecations: string[];
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
  if (!isMarketFile) return { workers: workersFromValue(value, where), router: undefined, market: undefined, arms: undefined, deprecations: [] };
  const parsed = MarketSectionsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    const known = issue.code === 'unrecognized_keys' ? '; a market file has workers, router, market, arms and limit' : '';
    const missingWorkers = path.length === 1 && path[0] === 'workers' && (value as { workers?: unknown }).workers == null;
    const message = missingWorkers ? 'missing; expected a list of workers under workers: (marketbench init writes an example)' : `${issue.message}${known}`;
    throw new InvalidInputError(message, {
      file: where.file,
      line: where.lineOf?.(path),
      field: path.length > 0 ? path.join('.') : undefined,
    });
  }
  const workers = workersFromValue({ workers: parsed.data.workers }, where);
  const { market, deprecations } = marketSettingsAsWritten((value as { market?: Record<string, unknown> }).market, where);
  return { workers, router: parsed.data.router, market, arms: parsed.data.arms, limit: parsed.data.limit, deprecations };
}

/**
 * The `market:` section as settings (defaults not applied): `bountyCredits` / `bountyUsd` become
 * the bounty and its currency; the old `bounty` / `currency` pass through with a deprecation line.
 */
function marketSettingsAsWritten(
  section: Record<string, unknown> | undefined,
  where: { file?: string; lineOf?: (path: (string | number)[]) => number | undefined },
): { market: MarketSettingsInput | undefined; deprecations: string[] } {
  if (section === undefined) return { market: undefined, deprecations: [] };
  const { bountyCredits, bountyUsd, ...rest } = section;
  if (bountyCredits !== undefined) return { market: { ...rest, bounty: bountyCredits, currency: 'credits' } as MarketSettingsInput, deprecations: [] };
  if (bountyUsd !== undefined) return { market: { ...rest, bounty: bountyUsd, currency: 'usd' } as MarketSettingsInput, deprecations: [] };
  const old = ['bounty', 'currency'].filter((key) => key in section);
  if (old.length === 0) return { market: rest as MarketSettingsInput, deprecations: [] };
  const line = where.lineOf?.(['market', old[0] as string]);
  const at = where.file === undefined ? '' : `${where.file}${line === undefined ? '' : `:${line}`}: `;
  const replacement = section.currency === 'usd' ? 'bountyUsd' : 'bountyCredits';
  return {
    market: rest as MarketSettingsInput,
    deprecations: [`deprecated: ${at}market.${old.join(' and market.')}; write market.${replacement}: ${String(section.bounty ?? DEFAULTS.bountyCredits)} instead (the old spelling still works)`],
  };
}
