import { InvalidInputError } from '../../core/errors.js';

/** The provider families this layer can call. */
export type ProviderName = 'openai' | 'anthropic' | 'google' | 'openrouter' | 'openai-compatible' | 'mock';

/** Which OpenAI HTTP API a model is called through. */
export type OpenAiApi = 'responses' | 'chat';

/** How to reach one provider prefix of a model reference. */
export interface ProviderSpec {
  /** The provider family (SDK adapter) used. */
  provider: ProviderName;
  /** Environment variables holding the API key, first found wins. */
  keyVariables: readonly string[];
  /** Whether calls fail without a key (hosted APIs) or work without one (local servers). */
  keyRequired: boolean;
  /** Environment variable that overrides the base URL. */
  baseUrlVariable: string | undefined;
  /** Default base URL; undefined means the SDK's own default. */
  defaultBaseUrl: string | undefined;
  /** OpenAI only: Responses API (default) or chat completions. */
  openAiApi?: OpenAiApi;
  /** True for servers on the user's machine, priced at zero unless a pricing file says otherwise. */
  local: boolean;
}

const compatible = (defaultBaseUrl: string | undefined): ProviderSpec => ({
  provider: 'openai-compatible',
  keyVariables: ['OPENAI_COMPATIBLE_API_KEY'],
  keyRequired: false,
  baseUrlVariable: 'OPENAI_COMPATIBLE_BASE_URL',
  defaultBaseUrl,
  local: true,
});

/**
 * Prefixes accepted in `provider:model` references. `openai` calls the Responses API and
 * `openai-chat` chat completions; `ollama`, `vllm`, `llamacpp`, `lmstudio` and `litellm` are
 * OpenAI-compatible servers at their usual local addresses; `mock` is the offline, seeded mock provider
 * (`mock:calibrated`, `mock:overconfident?skill=0.4`, …; see `parseMockModelId`).
 */
export const PROVIDER_PREFIXES: Readonly<Record<string, ProviderSpec>> = {
  openai: {
    provider: 'openai',
    keyVariables: ['OPENAI_API_KEY'],
    keyRequired: true,
    baseUrlVariable: 'OPENAI_BASE_URL',
    defaultBaseUrl: undefined,
    openAiApi: 'responses',
    local: false,
  },
  'openai-chat': {
    provider: 'openai',
    keyVariables: ['OPENAI_API_KEY'],
    keyRequired: true,
    baseUrlVariable: 'OPENAI_BASE_URL',
    defaultBaseUrl: undefined,
    openAiApi: 'chat',
    local: false,
  },
  anthropic: {
    provider: 'anthropic',
    keyVariables: ['ANTHROPIC_API_KEY'],
    keyRequired: true,
    baseUrlVariable: 'ANTHROPIC_BASE_URL',
    defaultBaseUrl: undefined,
    local: false,
  },
  google: {
    provider: 'google',
    keyVariables: ['GOOGLE_GENERATIVE_AI_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    keyRequired: true,
    baseUrlVariable: 'GOOGLE_GENERATIVE_AI_BASE_URL',
    defaultBaseUrl: undefined,
    local: false,
  },
  openrouter: {
    provider: 'openrouter',
    keyVariables: ['OPENROUTER_API_KEY'],
    keyRequired: true,
    baseUrlVariable: 'OPENROUTER_BASE_URL',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    local: false,
  },
  'openai-compatible': compatible(undefined),
  ollama: compatible('http://127.0.0.1:11434/v1'),
  vllm: compatible('http://127.0.0.1:8000/v1'),
  llamacpp: compatible('http://127.0.0.1:8080/v1'),
  lmstudio: compatible('http://127.0.0.1:1234/v1'),
  litellm: compatible('http://127.0.0.1:4000/v1'),
  mock: { provider: 'mock', keyVariables: [], keyRequired: false, baseUrlVariable: undefined, defaultBaseUrl: undefined, local: false },
};

/** A parsed model reference. */
export interface ModelRef {
  /** The reference as given, e.g. `openai:gpt-5.2`. */
  ref: string;
  /** The prefix before the first colon, e.g. `openai`, `ollama`. */
  prefix: string;
  /** The model id after the first colon (may itself contain colons or slashes). */
  modelId: string;
  /** How to reach it. */
  spec: ProviderSpec;
}

/** Parses `provider:model`; throws `InvalidInputError` naming the accepted prefixes otherwise. */
export function parseProviderRef(ref: string): ModelRef {
  const index = ref.indexOf(':');
  const prefix = index > 0 ? ref.slice(0, index) : '';
  const modelId = index > 0 ? ref.slice(index + 1) : '';
  const spec = PROVIDER_PREFIXES[prefix];
  if (!spec || modelId.trim() === '') {
    throw new InvalidInputError(
      `model reference '${ref}' must look like provider:model with provider one of ${Object.keys(PROVIDER_PREFIXES).join(', ')}`,
      { field: 'model' },
    );
  }
  return { ref, prefix, modelId, spec };
}
