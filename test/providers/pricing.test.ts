import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPricingFile, lookupPricing, PRICING_TABLE, pricingKeys } from '../../src/runtime/providers/index.js';

const dataDir = resolve(import.meta.dirname, '../../../shared/data');
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`skipping the paper pricing check: ${dataDir} not found`);

describe('pricing table', () => {
  it('finds dated, chat, openrouter and google-prefixed names of a base model', () => {
    expect(pricingKeys('anthropic:claude-opus-4-5-20251101')).toContain('anthropic:claude-opus-4-5');
    for (const ref of ['openai:gpt-5.2-2025-12-11', 'openai-chat:gpt-5.2', 'openrouter:openai/gpt-5.2']) {
      expect(lookupPricing(ref)?.key, ref).toBe('openai:gpt-5.2');
    }
    expect(lookupPricing('google:models/gemini-3-pro-preview')?.key).toBe('google:gemini-3-pro-preview');
    expect(lookupPricing('openai:no-such-model')).toBeUndefined();
    expect(lookupPricing('ollama:llama3.1')).toEqual({ pricing: { inputPerToken: 0, outputPerToken: 0, cachedInputPerToken: 0 }, key: 'local', version: 'local' });
    expect(PRICING_TABLE.version).toBe('2026-11-27');
  });

  it.skipIf(!haveData)("matches the paper's model_token_pricing.csv for its six models", () => {
    const lines = readFileSync(join(dataDir, 'marketbench/model_token_pricing.csv'), 'utf8').trim().split('\n').slice(1);
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      const [ref, inPer1k, outPer1k, blended] = line.split(',');
      const match = lookupPricing(ref as string);
      expect(match, ref).toBeDefined();
      // USD per 1k tokens / 1000 = USD per token; blended = mean of the two.
      expect(match?.pricing.inputPerToken).toBeCloseTo(Number(inPer1k) / 1000, 15);
      expect(match?.pricing.outputPerToken).toBeCloseTo(Number(outPer1k) / 1000, 15);
      expect(((match?.pricing.inputPerToken ?? 0) + (match?.pricing.outputPerToken ?? 0)) / 2).toBeCloseTo(Number(blended), 15);
    }
  });
});

describe('pricing file', () => {
  it('YAML with per-million prices overrides and extends the table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-pricing-'));
    try {
      const file = join(dir, 'prices.yaml');
      writeFileSync(file, 'version: lab-2026\nmodels:\n  "openai:gpt-5.2": { inputPerMillion: 2, outputPerMillion: 10 }\n  "vllm:qwen3": { inputPerToken: 1.0e-7, outputPerToken: 2.0e-7, cachedInputPerToken: 0 }\n');
      const table = loadPricingFile(file);
      expect(table.version).toBe('2026-11-27+lab-2026');
      // $2 per million = 2e-6 per token.
      expect(table.models['openai:gpt-5.2']).toEqual({ inputPerToken: 2e-6, outputPerToken: 1e-5 });
      expect(lookupPricing('vllm:qwen3', table)?.pricing.outputPerToken).toBe(2e-7);
      expect(table.models['anthropic:claude-opus-4-5']).toEqual(PRICING_TABLE.models['anthropic:claude-opus-4-5']);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ models: { 'openai:x': { inputPerToken: -1, outputPerToken: 1 } } }));
      expect(() => loadPricingFile(bad)).toThrow(/bad\.json: field 'models\.openai:x\.inputPerToken'/);
      writeFileSync(bad, JSON.stringify({ models: { 'openai:x': { inputPerToken: 1 } } }));
      expect(() => loadPricingFile(bad)).toThrow(/needs inputPerToken .* and outputPerToken/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
