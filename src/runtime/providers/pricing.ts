import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { Pricing } from '../../core/pricing.js';
import { PRICING_TABLE, type PricingTable } from './pricing-table.js';
import { parseMockModelId } from './mock/mock-policy.js';
import { PROVIDER_PREFIXES } from './provider-ref.js';

/** Where a model's price came from. */
export interface PricingMatch {
  /** The prices. */
  pricing: Pricing;
  /** The table key that matched, or `local` for a free local server. */
  key: string;
  /** The table version (`local` for free local servers). */
  version: string;
}

const DATE_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/** Keys to try for a reference, most specific first: as given, then canonical (see `lookupPricing`). */
export function pricingKeys(ref: string): string[] {
  const index = ref.indexOf(':');
  const prefix = index > 0 ? ref.slice(0, index) : '';
  let model = index > 0 ? ref.slice(index + 1) : ref;
  let provider = prefix === 'openai-chat' ? 'openai' : prefix;
  if (provider === 'openrouter' && /^(openai|anthropic|google)\//.test(model)) {
    provider = model.slice(0, model.indexOf('/'));
    model = model.slice(model.indexOf('/') + 1);
  }
  model = model.replace(/^models\//, '');
  const keys = [ref, `${provider}:${model}`, `${provider}:${model.replace(DATE_SUFFIX, '')}`];
  return [...new Set(keys)];
}

/**
 * The price of a model: the first of `pricingKeys(ref)` found in the table (so
 * `anthropic:claude-opus-4-5-20251101`, `openai-chat:gpt-5.2` and `openrouter:openai/gpt-5.2` find
 * their base model); a `mock:` model's simulated price (its `price=` parameter); zero for local OpenAI-compatible servers (ollama, vllm, …) not in the table;
 * undefined otherwise.
 */
export function lookupPricing(ref: string, table: PricingTable = PRICING_TABLE): PricingMatch | undefined {
  for (const key of pricingKeys(ref)) {
    const pricing = table.models[key];
    if (pricing) return { pricing, key, version: table.version };
  }
  const prefix = ref.slice(0, Math.max(0, ref.indexOf(':')));
  if (prefix === 'mock') return { pricing: parseMockModelId(ref.slice(5)).pricing, key: 'mock', version: 'mock' };
  if (PROVIDER_PREFIXES[prefix]?.local) {
    return { pricing: { inputPerToken: 0, outputPerToken: 0, cachedInputPerToken: 0 }, key: 'local', version: 'local' };
  }
  return undefined;
}

const price = z.number().nonnegative().finite();

/** One model's entry in a pricing file: per-token or per-million-token USD prices. */
const PricingEntrySchema = z
  .object({
    inputPerToken: price.optional(),
    outputPerToken: price.optional(),
    cachedInputPerToken: price.optional(),
    inputPerMillion: price.optional(),
    outputPerMillion: price.optional(),
    cachedInputPerMillion: price.optional(),
  })
  .strict()
  .transform((entry, context) => {
    const input = entry.inputPerToken ?? perToken(entry.inputPerMillion);
    const output = entry.outputPerToken ?? perToken(entry.outputPerMillion);
    const cached = entry.cachedInputPerToken ?? perToken(entry.cachedInputPerMillion);
    if (input === undefined || output === undefined) {
      context.addIssue({ code: 'custom', message: 'needs inputPerToken (or inputPerMillion) and outputPerToken (or outputPerMillion)' });
      return z.NEVER;
    }
    const pricing: Pricing = { inputPerToken: input, outputPerToken: output };
    if (cached !== undefined) pricing.cachedInputPerToken = cached;
    return pricing;
  });

function perToken(perMillion: number | undefined): number | undefined {
  return perMillion === undefined ? undefined : perMillion / 1e6;
}

/** The YAML parser, loaded only for a YAML pricing file (it is most of this module's start-up cost). */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/** A user pricing file (YAML or JSON): `{ version?, models: { 'provider:model': {...} } }`. */
export const PricingFileSchema = z.object({
  version: z.string().optional(),
  models: z.record(z.string().regex(/^[^:]+:.+$/, 'keys must be provider:model'), PricingEntrySchema),
});

/**
 * Reads a pricing file and returns the built-in table (or `base`) with its entries added or
 * replaced. The version becomes `<base version>+<file version or file name>`.
 */
export function loadPricingFile(file: string, base: PricingTable = PRICING_TABLE): PricingTable {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InvalidInputError(`cannot read pricing file: ${(error as Error).message}`, { file }, { cause: error });
  }
  const parsed = PricingFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`invalid pricing file: ${issue?.message ?? 'invalid'}`, {
      file,
      field: issue?.path.join('.') || undefined,
    });
  }
  const suffix = parsed.data.version ?? file.split(/[\\/]/).pop() ?? 'file';
  return { version: `${base.version}+${suffix}`, models: { ...base.models, ...parsed.data.models } };
}
