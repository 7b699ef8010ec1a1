import type { LanguageModel } from 'ai';
import { mockAgentReply } from './mock-agent.js';
import { type MockPolicy, parseMockModelId, statedProbability, trueSuccessProbability, uniformFrom } from './mock-policy.js';
import { mockPlansReply } from './mock-plans.js';

// The SDK's v3 model spec, taken from `ai`'s own union so no second package is pinned for types.
type LanguageModelV3 = Extract<LanguageModel, { specificationVersion: 'v3' }>;
type LanguageModelV3CallOptions = Parameters<LanguageModelV3['doGenerate']>[0];
type LanguageModelV3GenerateResult = Awaited<ReturnType<LanguageModelV3['doGenerate']>>;

/** Tokens billed for a text: one per four characters, rounded up (a fixed rule, so costs are reproducible). */
export function mockTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Expected tokens a mock worker states, by style (the mock agent uses about 5,000). */
const STATED_TOKENS = { calibrated: 5000, overconfident: 3000, underconfident: 8000 } as const;

function between(text: string, start: string, end: string): string | undefined {
  const from = text.indexOf(start);
  if (from < 0) return undefined;
  const to = text.indexOf(end, from + start.length);
  return to < 0 ? undefined : text.slice(from + start.length, to);
}

function textOf(options: LanguageModelV3CallOptions): { system: string; users: string[]; assistants: number } {
  let system = '';
  const users: string[] = [];
  let assistants = 0;
  for (const message of options.prompt) {
    if (message.role === 'system') system += message.content;
    else if (message.role === 'user') users.push(message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''));
    else if (message.role === 'assistant') assistants += 1;
  }
  return { system, users, assistants };
}

function forecastReply(policy: MockPolicy, prompt: string): string {
  const statement = between(prompt, 'Problem statement:\n<<<\n', '\n>>>') ?? prompt;
  const trueP = trueSuccessProbability(policy, statement);
  const p = Number(statedProbability(policy, trueP).toFixed(3));
  const reply: Record<string, unknown> = { p_success: p, expected_tokens: STATED_TOKENS[policy.style] };
  if (prompt.includes('"ask"')) {
    const bounty = Number(/B = ([0-9.]+)/.exec(prompt)?.[1] ?? /between \$0 and \$([0-9.]+)/.exec(prompt)?.[1] ?? 1);
    reply.ask = Number((0.25 * p * bounty).toFixed(4));
  }
  reply.rationale = `[mock ${policy.style} forecaster, skill ${policy.skill}] synthetic estimate, not a model's judgement.`;
  return JSON.stringify(reply);
}

function routerReply(policy: MockPolicy, prompt: string): string {
  const line = /exactly one of: (.+)$/m.exec(prompt)?.[1] ?? '';
  const eligible = line.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const statement = between(prompt, 'Problem statement:\n<<<\n', '\n>>>') ?? prompt;
  const pick = eligible[Math.floor(uniformFrom('route', policy.seed, statement, eligible.join(',')) * eligible.length)] ?? '';
  return JSON.stringify({ worker: pick, reason: '[mock router] a seeded random pick among the eligible workers.' });
}

/**
 * The reply of a mock model to one request, chosen by what the request is: a forecast or bid (the
 * prompt asks for "p_success"), a router decision (the operator's prompt), or a bash-agent step
 * (the shell system prompt); anything else gets a short labelled echo.
 */
export function mockReply(policy: MockPolicy, modelId: string, options: LanguageModelV3CallOptions): string {
  const { system, users, assistants } = textOf(options);
  const first = users[0] ?? '';
  if (system.includes('working in a Linux shell')) {
    const statement = between(first, '<task>\n', '\n</task>') ?? first;
    return mockAgentReply({ statement, step: assistants, modelId, policy });
  }
  if (system.includes('operator of a pool')) return routerReply(policy, first);
  if (first.includes('"plans": a list')) return mockPlansReply(policy, first);
  if (first.includes('"p_success"')) return forecastReply(policy, first);
  return `[mock ${policy.style}] offline mock reply to ${mockTokens(first)} tokens of prompt.`;
}

/**
 * An AI SDK language model that answers offline and deterministically (see `mockReply`), with
 * usage reported so that metering, budgets, the response cache and the job ledger treat it exactly
 * like a hosted model. Every reply and response id says "mock".
 */
export function createMockLanguageModel(modelId: string): LanguageModelV3 {
  const policy = parseMockModelId(modelId);
  return {
    specificationVersion: 'v3',
    provider: 'mock',
    modelId,
    supportedUrls: {},
    async doGenerate(options): Promise<LanguageModelV3GenerateResult> {
      const text = mockReply(policy, modelId, options);
      const promptText = options.prompt.map((message) => JSON.stringify(message.content)).join('\n');
      const inputTokens = mockTokens(promptText);
      const outputTokens = mockTokens(text);
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
        },
        request: { body: { mock: true, model: modelId } },
        response: { id: `mock-${uniformFrom('id', modelId, promptText).toString(36).slice(2, 12)}`, modelId: `mock:${modelId}`, body: { mock: true, text } },
        warnings: [],
      };
    },
    async doStream() {
      throw new Error('the mock provider does not stream');
    },
  };
}
