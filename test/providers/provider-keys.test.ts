import { describe, expect, it } from 'vitest';
import { assertKeys, missingProviderKeys, providersWithKeys } from '../../src/runtime/providers/provider-keys.js';

// One module answers "which keys does this set of providers need, and which are missing" for the
// single-process commands (by model reference) and the queue worker (by provider prefix).
describe('provider keys', () => {
  const env = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: '   ', GEMINI_API_KEY: 'g' };

  it('names every missing key at once, with the models that need it; a blank value is missing', () => {
    expect(() => assertKeys(['anthropic:claude-x', 'openrouter:a/b', 'anthropic:claude-y', 'openai:gpt-x', 'mock:calibrated'], env)).toThrow(
      'missing API keys: set ANTHROPIC_API_KEY (for anthropic:claude-x, anthropic:claude-y); OPENROUTER_API_KEY (for openrouter:a/b) in the environment or in .env; nothing was written',
    );
    expect(() => assertKeys(['openai:gpt-x', 'google:gemini-x', 'ollama:llama', 'mock:calibrated'], env)).not.toThrow();
    expect(() => assertKeys(['nope:model'], env)).toThrow(/must look like provider:model/);
  });

  it('by prefix: the missing ones with their variables, and the ones a worker can serve', () => {
    expect(missingProviderKeys(['openai', 'anthropic', 'google', 'ollama', 'mock'], env)).toEqual([{ provider: 'anthropic', variables: ['ANTHROPIC_API_KEY'] }]);
    expect(providersWithKeys(env).sort()).toEqual(['google', 'openai', 'openai-chat']);
    expect(() => missingProviderKeys(['nope'], env)).toThrow(/unknown provider 'nope'/);
  });
});
