import { describe, expect, it } from 'vitest';
import { parseForecastReply } from '../../src/runtime/elicit/index.js';
import { forecastJsonSchema } from '../../src/runtime/elicit/forecast-prompt.js';
import { Budget } from '../../src/runtime/jobs/budget.js';
import { callModel, resolveModel } from '../../src/runtime/providers/index.js';

/** One cheap model per provider; a test runs only when its key is in the environment. */
const CASES = [
  { ref: 'openai:gpt-4o-mini', key: 'OPENAI_API_KEY' },
  { ref: 'openai-chat:gpt-4o-mini', key: 'OPENAI_API_KEY' },
  { ref: 'anthropic:claude-haiku-4-5', key: 'ANTHROPIC_API_KEY' },
  { ref: 'google:gemini-2.5-flash', key: 'GOOGLE_GENERATIVE_AI_API_KEY' },
  { ref: 'openrouter:openai/gpt-4o-mini', key: 'OPENROUTER_API_KEY' },
];

for (const { ref, key } of CASES) {
  const present = Boolean(process.env[key]);
  if (!present) console.warn(`skipping real-provider test of ${ref}: ${key} is not set`);
  describe.skipIf(!present)(`real provider ${ref}`, () => {
    it('returns a parsable forecast with usage and a cost under one cent', async () => {
      const model = resolveModel(ref, { env: process.env });
      const budget = new Budget({ limitUsd: 0.01 });
      const result = await callModel({
        model,
        system: 'Reply with strict JSON only.',
        prompt: 'Estimate the probability that you can reverse a string in Python in one attempt, and the tokens it takes. Reply {"p_success": number, "expected_tokens": number, "rationale": string}.',
        maxOutputTokens: 200,
        temperature: 0,
        jsonSchema: forecastJsonSchema('direct'),
        budget,
        retry: { maxRetries: 2, timeoutMs: 60_000 },
      });
      expect(parseForecastReply(result.text, 'direct').valid).toBe(true);
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(result.costUsd).toBeGreaterThan(0);
      expect(budget.spentUsd).toBeLessThanOrEqual(0.01);
    });
  });
}
