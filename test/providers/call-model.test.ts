import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Budget } from '../../src/runtime/jobs/budget.js';
import {
  callModel,
  ProviderCallError,
  ProviderLimiter,
  type PricingTable,
  resolveModel,
  storeResponseCache,
} from '../../src/runtime/providers/index.js';
import { Store } from '../../src/runtime/store/index.js';
import { lazyLanguageModel, loadLanguageModel } from '../../src/runtime/providers/lazy-model.js';
import { fault, slow } from '../support/fake-llm-server.js';
import { useFakeLlmServer } from '../support/use-fake-llm-server.js';

const KEY = 'sk-test-SECRET-0123456789';
// Round prices so costs can be worked out by hand: $1 per million input, $4 per million output,
// $0.5 per million cached input.
const table: PricingTable = {
  version: 'test',
  models: {
    'openai:gpt-test': { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 },
    'openai-chat:gpt-test': { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 },
    'anthropic:claude-test': { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 },
    'google:gemini-test': { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 },
    'openrouter:vendor/model-test': { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 },
  },
};
const env = {
  OPENAI_API_KEY: KEY,
  ANTHROPIC_API_KEY: KEY,
  GOOGLE_GENERATIVE_AI_API_KEY: KEY,
  OPENROUTER_API_KEY: KEY,
};
const fast = { baseDelayMs: 5, maxDelayMs: 20, jitter: false, timeoutMs: 2_000 };

const server = useFakeLlmServer();

function model(ref: string) {
  return resolveModel(ref, { env, baseUrl: server().baseUrl('openai-chat'), pricingTable: table });
}

describe('callModel meters the usage each provider reports', () => {
  const refs = ['openai:gpt-test', 'openai-chat:gpt-test', 'anthropic:claude-test', 'google:gemini-test', 'openrouter:vendor/model-test'];
  for (const ref of refs) {
    it(`${ref}: cost = uncached input × 1e-6 + cached × 5e-7 + output × 4e-6`, async () => {
      server().setScript(() => ({ text: '{"p_success": 0.5}', usage: { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400 } }));
      const result = await callModel({ model: model(ref), prompt: 'hi', maxOutputTokens: 300, retry: fast });
      // 600 × 1e-6 + 400 × 5e-7 + 200 × 4e-6 = 0.0006 + 0.0002 + 0.0008 = 0.0016
      expect(result.costUsd).toBeCloseTo(0.0016, 12);
      expect(result.spentUsd).toBeCloseTo(0.0016, 12);
      expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400 });
      expect(result.tries).toHaveLength(1);
      expect(server().requests).toHaveLength(1);
    });
  }

  it('sends structured-output requests and returns the raw text even when it is not JSON', async () => {
    server().setScript(() => 'I think about 70%.');
    const result = await callModel({
      model: model('openai:gpt-test'),
      prompt: 'x',
      maxOutputTokens: 100,
      jsonSchema: { type: 'object', properties: { p: { type: 'number' } }, required: ['p'], additionalProperties: false },
      retry: fast,
    });
    expect(result.text).toBe('I think about 70%.');
    expect(server().requests[0]?.structured).toBe(true);
  });
});

describe('retries', () => {
  it('honours Retry-After on 429 and does not charge the refused tries', async () => {
    let calls = 0;
    server().setScript(() => (++calls <= 2 ? fault.rateLimited(0.2) : 'ok'));
    const started = Date.now();
    const result = await callModel({ model: model('openai:gpt-test'), prompt: 'x', maxOutputTokens: 10, retry: fast });
    const elapsed = Date.now() - started;
    expect(result.text).toBe('ok');
    expect(result.tries.map((t) => t.outcome)).toEqual(['http', 'http', 'ok']);
    expect(result.tries.map((t) => t.delayMs)).toEqual([200, 200, 0]);
    // Two waits of 200 ms each, not the 5 ms backoff.
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(result.tries[0]?.costUsd).toBe(0);
    expect(server().requests).toHaveLength(3);
  });

  it('a Retry-After longer than the limit ends the call', async () => {
    server().setScript(() => fault.rateLimited(3600));
    const error = await callModel({ model: model('openai:gpt-test'), prompt: 'x', maxOutputTokens: 10, retry: fast }).catch((e) => e);
    expect(ProviderCallError.isInstance(error)).toBe(true);
    expect((error as ProviderCallError).reason).toBe('retry-after-too-long');
    expect(server().requests).toHaveLength(1);
  });

  it('retries 500s with backoff and gives up after maxRetries + 1 tries', async () => {
    server().setScript(() => fault.http(500));
    const error = (await callModel({ model: model('openai:gpt-test'), prompt: 'x', maxOutputTokens: 10, retry: { ...fast, maxRetries: 2 } }).catch(
      (e) => e,
    )) as ProviderCallError;
    expect(error.reason).toBe('http');
    expect(error.status).toBe(500);
    expect(error.tries).toHaveLength(3);
    expect(error.spentUsd).toBe(0);
    expect(server().requests).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    server().setScript(() => fault.http(400));
    const error = (await callModel({ model: model('openai:gpt-test'), prompt: 'x', maxOutputTokens: 10, retry: fast }).catch((e) => e)) as ProviderCallError;
    expect(error.status).toBe(400);
    expect(server().requests).toHaveLength(1);
  });

  it('times out slow replies, charges the reservation (maybe billed) and retries', async () => {
    let calls = 0;
    server().setScript(() => (++calls === 1 ? slow(1_000, 'late') : 'fast'));
    const m = model('openai:gpt-test');
    const result = await callModel({ model: m, prompt: 'abcd', maxOutputTokens: 100, retry: { ...fast, timeoutMs: 150 } });
    expect(result.text).toBe('fast');
    expect(result.tries[0]?.outcome).toBe('timeout');
    // Reservation: (4 bytes + 32 template tokens) × 1e-6 + 100 × 4e-6 = 0.000036 + 0.0004 = 0.000436
    expect(result.reserveUsd).toBeCloseTo(0.000436, 12);
    expect(result.tries[0]?.costUsd).toBeCloseTo(0.000436, 12);
  });

  it('malformed and truncated 200 bodies are retried and charged the reservation', async () => {
    for (const injected of [fault.malformedJson(), fault.truncated()]) {
      server().clear();
      let calls = 0;
      server().setScript(() => (++calls === 1 ? injected : 'fine'));
      const result = await callModel({ model: model('openai-chat:gpt-test'), prompt: 'abcd', maxOutputTokens: 100, retry: fast });
      expect(result.text).toBe('fine');
      expect(result.tries[0]?.outcome === 'invalid-response' || result.tries[0]?.outcome === 'network').toBe(true);
      expect(result.tries[0]?.costUsd).toBeCloseTo(0.000436, 12);
    }
  });

  it('a 429 pauses the whole provider limiter, not only the refused call', async () => {
    // Orders, not durations: a call scheduled on the limiter the moment the 429 pauses it must not
    // reach the server before a timer set at the same moment for half the pause has fired. Without
    // the pause it would be sent at once; with it, its own wait (the whole pause) ends after the
    // half-way timer however slowly the machine runs (timers fire in the order they fall due).
    let refusedOnce = false;
    let halfOver = false;
    let sentAfterHalf: boolean | undefined;
    server().setScript((request) => {
      if (request.prompt === 'refused-call' && !refusedOnce) {
        refusedOnce = true;
        return fault.rateLimited(0.3);
      }
      if (request.prompt === 'later-call') sentAfterHalf = halfOver;
      return 'ok';
    });
    const limiter = new ProviderLimiter({ concurrency: 4 });
    const m = model('openai:gpt-test');
    let later: Promise<unknown> | undefined;
    const refused = await callModel({
      model: m,
      prompt: 'refused-call',
      maxOutputTokens: 5,
      retry: fast,
      limiter,
      onTry: (record) => {
        if (record.outcome !== 'http' || later) return;
        setTimeout(() => {
          halfOver = true;
        }, record.delayMs / 2);
        later = callModel({ model: m, prompt: 'later-call', maxOutputTokens: 5, retry: fast, limiter });
      },
    });
    await later;
    expect(refused.tries.map((t) => [t.outcome, t.delayMs])).toEqual([
      ['http', 300],
      ['ok', 0],
    ]);
    expect(sentAfterHalf).toBe(true);
  });

  it('a try waiting for a limiter slot is not timed out: its timeout runs from when it is sent', async () => {
    server().setScript((request) => (request.prompt === 'holds-the-slot' ? slow(1_500, 'first') : 'second'));
    const limiter = new ProviderLimiter({ concurrency: 1 });
    const m = model('openai:gpt-test');
    const arrived = new Promise<void>((resolve) => {
      server().onRequest = () => resolve();
    });
    const first = callModel({ model: m, prompt: 'holds-the-slot', maxOutputTokens: 5, retry: { ...fast, timeoutMs: 20_000 }, limiter });
    await arrived;
    server().onRequest = undefined;
    // Queued behind the first call's 1.5 s reply for the only slot, with a 1 s timeout of its own:
    // the wait is the limiter's, not the provider's, so it is neither a timeout nor charged.
    const second = await callModel({ model: m, prompt: 'waits-for-it', maxOutputTokens: 5, retry: { ...fast, timeoutMs: 1_000 }, limiter });
    expect(second.tries.map((t) => t.outcome)).toEqual(['ok']);
    expect(second.text).toBe('second');
    expect((await first).text).toBe('first');
    expect(server().requests).toHaveLength(2);
  });

  it("the provider SDK's import on a model's first call is not counted in the call's timeout", async () => {
    server().setScript(() => 'ok');
    const resolved = model('openai:gpt-test');
    // A model whose SDK takes 1.5 s to load (as an import can on a loaded machine), with a 1 s timeout per try.
    const slowToLoad = {
      ...resolved,
      model: lazyLanguageModel({
        provider: 'openai.responses',
        modelId: 'gpt-test',
        load: async () => {
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          await loadLanguageModel(resolved.model);
          return resolved.model;
        },
      }),
    };
    const result = await callModel({ model: slowToLoad, prompt: 'x', maxOutputTokens: 5, retry: { ...fast, timeoutMs: 1_000 } });
    expect(result.tries.map((t) => [t.outcome, t.costUsd > 0])).toEqual([['ok', true]]);
    expect(server().requests).toHaveLength(1);
  });
});

describe('budget, cache and secrets', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mb-call-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a try that does not fit the budget', async () => {
    const budget = new Budget({ limitUsd: 0.0001 });
    const error = (await callModel({ model: model('openai:gpt-test'), prompt: 'abcd', maxOutputTokens: 100, budget }).catch((e) => e)) as ProviderCallError;
    expect(error.reason).toBe('budget');
    expect(server().requests).toHaveLength(0);
  });

  it('settles the reservation to the reported cost', async () => {
    server().setScript(() => ({ text: 'x', usage: { inputTokens: 10, outputTokens: 10 } }));
    const budget = new Budget({ limitUsd: 1 });
    await callModel({ model: model('openai:gpt-test'), prompt: 'abcd', maxOutputTokens: 100, budget });
    // 10 × 1e-6 + 10 × 4e-6 = 0.00005
    expect(budget.spentUsd).toBeCloseTo(0.00005, 12);
    expect(budget.reservedUsd).toBe(0);
  });

  it('caches successes (a second identical call makes no request), never errors, and salts repeats', async () => {
    const store = Store.open(join(dir, 'cache.db'));
    const cache = storeResponseCache(store);
    let calls = 0;
    server().setScript(() => (++calls === 1 ? fault.http(400) : `reply ${calls}`));
    const m = model('openai:gpt-test');
    await expect(callModel({ model: m, prompt: 'q', maxOutputTokens: 10, cache, retry: fast })).rejects.toThrow();
    const first = await callModel({ model: m, prompt: 'q', maxOutputTokens: 10, cache, retry: fast });
    const again = await callModel({ model: m, prompt: 'q', maxOutputTokens: 10, cache, retry: fast });
    expect(first.text).toBe('reply 2');
    expect(again.text).toBe('reply 2');
    expect(again.cacheHit).toBe(true);
    expect(again.spentUsd).toBe(0);
    const salted = await callModel({ model: m, prompt: 'q', maxOutputTokens: 10, cache, cacheSalt: 1, retry: fast });
    expect(salted.text).toBe('reply 3');
    expect(server().requests).toHaveLength(3);
    store.close();
  });

  it('never returns the API key in the stored request, response or error', async () => {
    server().setScript((request) => fault.http(401, { body: JSON.stringify({ error: { message: `bad key ${request.headers.authorization}` } }) }));
    const error = (await callModel({ model: model('openai:gpt-test'), prompt: 'q', maxOutputTokens: 10, retry: fast }).catch((e) => e)) as ProviderCallError;
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.tries)).not.toContain(KEY);
    server().setScript(() => `echo ${KEY}`);
    const result = await callModel({ model: model('openai:gpt-test'), prompt: 'q', maxOutputTokens: 10, retry: fast });
    expect(JSON.stringify([result.request, result.response])).not.toContain(KEY);
    expect(server().requests[1]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('a missing key names the variable, not a value', () => {
    expect(() => resolveModel('anthropic:claude-test', { env: {} })).toThrow(/ANTHROPIC_API_KEY/);
  });

  it('a local openai-compatible server needs no key and is free unless priced', async () => {
    server().setScript(() => ({ text: 'local', usage: { inputTokens: 1000, outputTokens: 1000 } }));
    const m = resolveModel('ollama:llama3', { env: {}, baseUrl: server().baseUrl('openai-chat') });
    const result = await callModel({ model: m, prompt: 'q', maxOutputTokens: 10, retry: fast });
    expect(result.costUsd).toBe(0);
    expect(server().requests[0]?.headers.authorization).toBeUndefined();
  });
});
