import type { LanguageModel } from 'ai';
import { InvalidInputError } from '../../core/errors.js';
import type { Pricing } from '../../core/pricing.js';
import { lookupPricing } from './pricing.js';
import { PRICING_TABLE, type PricingTable } from './pricing-table.js';
import { type ModelRef, type ProviderName, parseProviderRef } from './provider-ref.js';
import { lazyLanguageModel } from './lazy-model.js';
import { parseMockModelId } from './mock/mock-policy.js';
import { makeRedactor } from './redact.js';

/** The `fetch` the SDK providers accept. */
export type FetchFunction = typeof globalThis.fetch;

/** Options of `resolveModel`. */
export interface ResolveModelOptions {
  /** Environment to read API keys and base URLs from (the CLI passes `.env` merged with `io.env`). */
  env: Record<string, string | undefined>;
  /** Base URL for every provider (a local server, a proxy); overrides the environment. */
  baseUrl?: string;
  /** Use this key instead of the environment's. */
  apiKeyOverride?: string;
  /** Custom fetch (tests, proxies). */
  fetch?: FetchFunction;
  /** Price list; default the built-in `PRICING_TABLE`. */
  pricingTable?: PricingTable;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
}

/** A model reference made callable. Holds the key inside the SDK model only; serializing it leaks nothing. */
export interface ResolvedModel {
  /** The reference as given, e.g. `openai:gpt-5.2`. */
  ref: string;
  /** Provider family. */
  provider: ProviderName;
  /** The reference's prefix (`openai`, `openai-chat`, `ollama`, …). */
  prefix: string;
  /** Model id sent to the provider. */
  modelId: string;
  /** The AI SDK model. */
  model: LanguageModel;
  /** Per-token prices; undefined when neither the table nor a pricing file knows the model. */
  pricing: Pricing | undefined;
  /** The pricing-table key that matched (or `local`), undefined when unpriced. */
  pricingKey: string | undefined;
  /** Version of the price list used. */
  pricingVersion: string | undefined;
  /** Base URL in use; undefined for the SDK's default endpoint. */
  baseUrl: string | undefined;
  /** Whether JSON-schema structured output is requested from this provider. */
  supportsStructuredOutput: boolean;
  /** Returns a copy of a value with this model's API key (and credential headers) redacted. */
  redact: <T>(value: T) => T;
}

/**
 * Turns `provider:model` into an AI SDK model with its key, base URL and prices. Keys come from
 * `options.env` (see `PROVIDER_PREFIXES` for the variable names) or `apiKeyOverride`; a hosted
 * provider without a key is an `InvalidInputError` naming the variable (never the key).
 */
export function resolveModel(ref: string, options: ResolveModelOptions): ResolvedModel {
  const parsed = parseProviderRef(ref);
  const { spec } = parsed;
  const apiKey = options.apiKeyOverride ?? firstValue(options.env, spec.keyVariables);
  if (spec.keyRequired && !apiKey) {
    throw new InvalidInputError(
      `no API key for '${ref}': set ${spec.keyVariables.join(' or ')} in the environment or in .env`,
      { field: 'model' },
    );
  }
  const baseUrl =
    options.baseUrl ?? (spec.baseUrlVariable ? options.env[spec.baseUrlVariable] : undefined) ?? spec.defaultBaseUrl;
  const model = createModel({ parsed, apiKey, baseUrl, fetch: options.fetch, headers: options.headers });
  const match = lookupPricing(ref, options.pricingTable ?? PRICING_TABLE);
  return {
    ref,
    provider: spec.provider,
    prefix: parsed.prefix,
    modelId: parsed.modelId,
    model,
    pricing: match?.pricing,
    pricingKey: match?.key,
    pricingVersion: match?.version,
    baseUrl: baseUrl?.replace(/\/+$/, ''),
    supportsStructuredOutput: true,
    redact: makeRedactor(apiKey ? [apiKey] : []),
  };
}

function firstValue(env: Record<string, string | undefined>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function createModel(input: {
  parsed: ModelRef;
  apiKey: string | undefined;
  baseUrl: string | undefined;
  fetch: FetchFunction | undefined;
  headers: Record<string, string> | undefined;
}): LanguageModel {
  const { parsed, apiKey, baseUrl, fetch, headers } = input;
  const common = { apiKey, fetch, headers, ...(baseUrl !== undefined && { baseURL: baseUrl }) };
  const { modelId } = parsed;
  // Each provider's SDK is imported on the model's first call (see `lazyLanguageModel`).
  switch (parsed.spec.provider) {
    case 'openai': {
      const chat = parsed.spec.openAiApi === 'chat';
      return lazyLanguageModel({
        provider: chat ? 'openai.chat' : 'openai.responses',
        modelId,
        load: async () => {
          const provider = (await import('@ai-sdk/openai')).createOpenAI(common);
          return chat ? provider.chat(modelId) : provider.responses(modelId);
        },
      });
    }
    case 'mock':
      // The id is checked now (a bad one is a usage error, not a failed call); the offline model
      // itself loads on its first call, so runs against hosted models never load it.
      parseMockModelId(modelId);
      return lazyLanguageModel({
        provider: 'mock',
        modelId,
        load: async () => (await import('./mock/mock-model.js')).createMockLanguageModel(modelId),
      });
    case 'anthropic':
      return lazyLanguageModel({
        provider: 'anthropic.messages',
        modelId,
        load: async () => (await import('@ai-sdk/anthropic')).createAnthropic(common)(modelId),
      });
    case 'google':
      return lazyLanguageModel({
        provider: 'google.generative-ai',
        modelId,
        load: async () => (await import('@ai-sdk/google')).createGoogleGenerativeAI(common)(modelId),
      });
    case 'openrouter':
    case 'openai-compatible': {
      if (!baseUrl) {
        throw new InvalidInputError(
          `'${parsed.ref}' needs a server address: pass --base-url or set ${parsed.spec.baseUrlVariable}`,
          { field: 'model' },
        );
      }
      const settings = { name: parsed.prefix, baseURL: baseUrl, apiKey, fetch, headers, includeUsage: true, supportsStructuredOutputs: true };
      return lazyLanguageModel({
        provider: `${parsed.prefix}.chat`,
        modelId,
        load: async () => (await import('@ai-sdk/openai-compatible')).createOpenAICompatible(settings)(modelId),
      });
    }
  }
}
