import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, jsonSchema, type LanguageModel, Output, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateUsage, type FakeLlmServer, fault, startFakeLlmServer, type WireFormat } from './fake-llm-server.js';

let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.close();
});

function modelFor(format: WireFormat | 'compatible', id: string): LanguageModel {
  const key = 'sk-test-key';
  switch (format) {
    case 'openai-chat':
      return createOpenAI({ baseURL: server.baseUrl('openai-chat'), apiKey: key }).chat(id);
    case 'openai-responses':
      return createOpenAI({ baseURL: server.baseUrl('openai-responses'), apiKey: key })(id);
    case 'anthropic':
      return createAnthropic({ baseURL: server.baseUrl('anthropic'), apiKey: key })(id);
    case 'google':
      return createGoogleGenerativeAI({ baseURL: server.baseUrl('google'), apiKey: key })(id);
    case 'compatible':
      return createOpenAICompatible({ name: 'local', baseURL: server.baseUrl('openai-chat'), apiKey: key, supportsStructuredOutputs: true })(id);
  }
}

const formats: [WireFormat | 'compatible', WireFormat, string][] = [
  ['openai-chat', 'openai-chat', 'gpt-test'],
  ['openai-responses', 'openai-responses', 'gpt-test'],
  ['anthropic', 'anthropic', 'claude-sonnet-4-5'],
  ['google', 'google', 'gemini-test'],
  ['compatible', 'openai-chat', 'llama-test'],
];

describe('fake LLM server speaks each wire format to the real AI SDK', () => {
  for (const [name, format, id] of formats) {
    it(`${name}: text, usage, system and prompt round-trip`, async () => {
      server.clear();
      server.setScript((request) => ({ text: `echo:${request.prompt}`, usage: { inputTokens: 120, outputTokens: 7, cachedInputTokens: 20 } }));
      const result = await generateText({
        model: modelFor(name, id),
        system: 'be terse',
        prompt: 'hello {{ world }} ${x}',
        maxOutputTokens: 50,
        temperature: 0,
        maxRetries: 0,
      });
      expect(result.text).toBe('echo:hello {{ world }} ${x}');
      // The SDK reports total input tokens including cached ones, whatever the wire format.
      expect(result.usage.inputTokens).toBe(120);
      expect(result.usage.outputTokens).toBe(7);
      expect(result.usage.inputTokenDetails.cacheReadTokens).toBe(20);
      const [request] = server.requests;
      expect(request?.format).toBe(format);
      expect(request?.model).toBe(id);
      expect(request?.system).toBe('be terse');
      expect(request?.maxOutputTokens).toBe(50);
      expect(server.exchanges[0]?.kind).toBe('reply');
    });

    it(`${name}: structured output requests are flagged and answered`, async () => {
      server.clear();
      server.setScript(() => '{"p_success": 0.25}');
      const result = await generateText({
        model: modelFor(name, id),
        prompt: 'json please',
        output: Output.object({
          schema: jsonSchema<{ p_success: number }>({
            type: 'object',
            properties: { p_success: { type: 'number' } },
            required: ['p_success'],
            additionalProperties: false,
          }),
        }),
        maxRetries: 0,
      });
      expect(result.output).toEqual({ p_success: 0.25 });
      expect(server.requests[0]?.structured).toBe(true);
    });

    it(`${name}: tool calls`, async () => {
      server.clear();
      server.setScript(() => ({ toolCalls: [{ name: 'bash', input: { command: 'ls' } }] }));
      const result = await generateText({
        model: modelFor(name, id),
        prompt: 'run ls',
        tools: { bash: tool({ description: 'run a command', inputSchema: jsonSchema<{ command: string }>({ type: 'object', properties: { command: { type: 'string' } }, required: ['command'] }) }) },
        maxRetries: 0,
      });
      expect(result.toolCalls.map((call) => [call.toolName, call.input])).toEqual([['bash', { command: 'ls' }]]);
      expect(server.requests[0]?.tools).toEqual(['bash']);
    });

    it(`${name}: 429 with retry-after reaches the client as an API error with headers`, async () => {
      server.clear();
      server.setScript(() => fault.rateLimited(3));
      const error = await generateText({ model: modelFor(name, id), prompt: 'x', maxRetries: 0 }).catch((e: unknown) => e);
      expect((error as { statusCode?: number }).statusCode).toBe(429);
      expect((error as { responseHeaders?: Record<string, string> }).responseHeaders?.['retry-after']).toBe('3');
      expect(server.exchanges[0]?.kind).toBe('fault');
    });
  }

  it('malformed, truncated and reset replies fail on the client side and are logged as faults', async () => {
    for (const injected of [fault.malformedJson(), fault.truncated(), fault.reset()]) {
      server.clear();
      server.setScript(() => injected);
      await expect(generateText({ model: modelFor('openai-chat', 'gpt-test'), prompt: 'x', maxRetries: 0 })).rejects.toThrow();
      expect(server.exchanges[0]?.kind).toBe('fault');
    }
  });

  it("anthropic's forced json tool mode gets a tool_use reply that the SDK turns into the object", async () => {
    server.clear();
    server.setScript(() => '{"p_success": 0.4}');
    const result = await generateText({
      model: modelFor('anthropic', 'claude-sonnet-4-5'),
      prompt: 'json please',
      output: Output.object({
        schema: jsonSchema<{ p_success: number }>({ type: 'object', properties: { p_success: { type: 'number' } }, required: ['p_success'] }),
      }),
      providerOptions: { anthropic: { structuredOutputMode: 'jsonTool' } },
      maxRetries: 0,
    });
    expect(result.output).toEqual({ p_success: 0.4 });
    expect(server.requests[0]?.tools).toEqual(['json']);
    expect(server.requests[0]?.structured).toBe(true);
  });

  it('a hung request is released when the client aborts', async () => {
    server.clear();
    server.setScript(() => fault.hang());
    const started = Date.now();
    await expect(
      generateText({ model: modelFor('openai-chat', 'gpt-test'), prompt: 'x', maxRetries: 0, abortSignal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('estimates usage as documented: ceil(chars/4) + 8 per message', async () => {
    server.clear();
    server.setScript(() => ({ text: 'abcdefghi' }));
    const result = await generateText({ model: modelFor('openai-chat', 'gpt-test'), system: '12345678', prompt: '1234', maxRetries: 0 });
    // system 8 chars + prompt 4 chars = 12 chars → 3 tokens, plus 2 messages × 8 = 19; reply 9 chars → 3.
    expect(result.usage.inputTokens).toBe(19);
    expect(result.usage.outputTokens).toBe(3);
    expect(estimateUsage(server.requests[0]!, 'abcdefghi')).toEqual({ inputTokens: 19, outputTokens: 3, cachedInputTokens: 0 });
  });
});
