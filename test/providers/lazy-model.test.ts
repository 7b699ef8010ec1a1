import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { resolveModel } from '../../src/runtime/providers/index.js';

const env = { OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-x', GOOGLE_GENERATIVE_AI_API_KEY: 'sk-x', OPENROUTER_API_KEY: 'sk-x' };
const baseURL = 'http://127.0.0.1:9/v1';

function identity(model: LanguageModel): { provider: string; modelId: string } {
  if (typeof model === 'string') throw new Error('expected a model object');
  return { provider: model.provider, modelId: model.modelId };
}

// resolveModel imports a provider's SDK only on the model's first call, so before that it must
// already report what the SDK's own model reports (the SDK uses these in telemetry and metadata).
describe('models resolved before their SDK is loaded', () => {
  const cases: [ref: string, real: () => LanguageModel][] = [
    ['openai:gpt-test', () => createOpenAI({ apiKey: 'sk-x', baseURL }).responses('gpt-test')],
    ['openai-chat:gpt-test', () => createOpenAI({ apiKey: 'sk-x', baseURL }).chat('gpt-test')],
    ['anthropic:claude-test', () => createAnthropic({ apiKey: 'sk-x', baseURL })('claude-test')],
    ['google:gemini-test', () => createGoogleGenerativeAI({ apiKey: 'sk-x', baseURL })('gemini-test')],
    ['openrouter:vendor/model-test', () => createOpenAICompatible({ name: 'openrouter', baseURL })('vendor/model-test')],
  ];
  for (const [ref, real] of cases) {
    it(`${ref} reports the provider name and model id of the SDK's model`, async () => {
      const resolved = resolveModel(ref, { env, baseUrl: baseURL });
      expect(identity(resolved.model)).toEqual(identity(real()));
      if (typeof resolved.model === 'string' || typeof real() === 'string') throw new Error('expected model objects');
      // The URL support comes from the loaded model itself.
      expect(await resolved.model.supportedUrls).toEqual(await (real() as Exclude<LanguageModel, string>).supportedUrls);
    });
  }
});
