import type { AgentModel, AgentReply, ChatMessage } from '../../src/runtime/scaffold/agent-model.js';

/** A deterministic in-process model: replies come from a list (or a function of the conversation). */
export function scriptedModel(
  replies: readonly string[] | ((messages: readonly ChatMessage[], call: number) => string),
  options: { usage?: AgentReply['usage']; costUsd?: number } = {},
): AgentModel & { calls: ChatMessage[][] } {
  const calls: ChatMessage[][] = [];
  return {
    calls,
    async query(messages) {
      const call = calls.length;
      calls.push([...messages]);
      const text = typeof replies === 'function' ? replies(messages, call) : (replies[call] ?? 'THOUGHT: nothing more to say.');
      return { text, usage: options.usage ?? { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0 }, costUsd: options.costUsd ?? 0.01 };
    },
  };
}

/** A reply with a thought and one bash block. */
export function bash(command: string, thought = 'next step'): string {
  return `THOUGHT: ${thought}\n\n\`\`\`bash\n${command}\n\`\`\`\n`;
}
