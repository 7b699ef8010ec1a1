import { describe, expect, it } from 'vitest';
import { callModel, type PricingTable, resolveModel } from '../../src/runtime/providers/index.js';
import { useFakeLlmServer } from '../support/use-fake-llm-server.js';

// $1 per million input tokens, $4 per million output tokens: costs worked out by hand below.
const table: PricingTable = { version: 'test', models: { 'openai-chat:gpt-test': { inputPerToken: 1e-6, outputPerToken: 4e-6 } } };
const env = { OPENAI_API_KEY: 'sk-test-METER-0123456789' };
const fast = { baseDelayMs: 5, maxDelayMs: 20, jitter: false, timeoutMs: 20_000 };

const server = useFakeLlmServer();

const model = () => resolveModel('openai-chat:gpt-test', { env, baseUrl: server().baseUrl('openai-chat'), pricingTable: table });

describe('metering does not trust reported usage, and caps oversized replies', () => {
  it('a 3 MB reply that reports 10 tokens is billed by its bytes and stored cut with a marker', async () => {
    const reply = 'a'.repeat(3_000_000);
    server().setScript(() => ({ text: reply, usage: { inputTokens: 5, outputTokens: 10, cachedInputTokens: 0 } }));
    const result = await callModel({ model: model(), prompt: 'hi', maxOutputTokens: 1000, retry: fast });
    // Output: 3,000,000 bytes at the floor of 16 bytes per token = 187,500 tokens, not the reported 10.
    expect(result.usage.outputTokens).toBe(187_500);
    // Input is what was reported.
    expect(result.usage.inputTokens).toBe(5);
    // 5 × 1e-6 + 187,500 × 4e-6 = 0.750005 USD.
    expect(result.costUsd).toBeCloseTo(0.750005, 9);
    // The cap for 1,000 output tokens is max(64 KiB, 16,000 bytes) = 65,536 bytes, then the marker.
    expect(result.text.startsWith('a'.repeat(65_536))).toBe(true);
    expect(result.text).toContain('[... reply truncated by marketbench: 3000000 bytes received, 65536 kept ...]');
    expect(result.text.length).toBeLessThan(65_536 + 200);
    // The stored raw response never holds the whole body either.
    const stored = JSON.stringify(result.raw.response);
    expect(stored.length).toBeLessThan(200_000);
    expect(stored).toContain('"truncated":true');
  });

  it('an honest reply is billed what it reports', async () => {
    // 400 bytes are at least 25 tokens by the estimate; the provider reports 40, which is larger and wins.
    server().setScript(() => ({ text: 'b'.repeat(400), usage: { inputTokens: 7, outputTokens: 40, cachedInputTokens: 0 } }));
    const result = await callModel({ model: model(), prompt: 'hello', maxOutputTokens: 1000, retry: fast });
    expect(result.usage).toEqual({ inputTokens: 7, outputTokens: 40, cachedInputTokens: 0 });
    // 7 × 1e-6 + 40 × 4e-6 = 0.000167 USD.
    expect(result.costUsd).toBeCloseTo(0.000167, 12);
    expect(result.text).toBe('b'.repeat(400));
  });
});
