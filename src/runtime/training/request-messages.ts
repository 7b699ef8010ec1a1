/** One chat message. */
export interface ChatMessage {
  /** `system`, `user` or `assistant`. */
  role: 'system' | 'user' | 'assistant';
  /** Its text. */
  content: string;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Text of a content field: a string, or the text parts of an array of parts. */
function text(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts = content.map((part) => {
    const r = record(part);
    return typeof r?.text === 'string' ? r.text : null;
  });
  return parts.every((part) => part !== null) ? parts.join('') : null;
}

function role(value: unknown): ChatMessage['role'] | null {
  if (value === 'system' || value === 'developer') return 'system';
  if (value === 'user') return 'user';
  if (value === 'assistant' || value === 'model') return 'assistant';
  return null;
}

function messageList(list: unknown, contentKey: 'content' | 'parts'): ChatMessage[] | null {
  if (!Array.isArray(list)) return null;
  const out: ChatMessage[] = [];
  for (const item of list) {
    const r = record(item);
    const who = role(r?.role);
    const body = text(r?.[contentKey]);
    if (!who || body === null) return null;
    out.push({ role: who, content: body });
  }
  return out;
}

/**
 * The chat messages of a stored request body, in the wire formats the providers send: OpenAI
 * chat (`messages`), OpenAI Responses (`instructions` + `input`), Anthropic (`system` +
 * `messages`) and Google (`systemInstruction` + `contents`). Null when the body has none of
 * these shapes, so the export can skip the row with that reason rather than guess.
 */
export function chatMessagesFromRequest(body: unknown): ChatMessage[] | null {
  const r = record(body);
  if (!r) return null;
  const system = (value: unknown): ChatMessage[] | null => {
    if (value === undefined) return [];
    const parts = record(value)?.parts;
    const content = text(parts ?? value);
    return content === null ? null : [{ role: 'system', content }];
  };
  let rest: ChatMessage[] | null = null;
  let head: ChatMessage[] | null = [];
  if (Array.isArray(r.messages)) {
    rest = messageList(r.messages, 'content');
    head = system(r.system);
  } else if (r.input !== undefined) {
    rest = typeof r.input === 'string' ? [{ role: 'user', content: r.input }] : messageList(r.input, 'content');
    head = system(r.instructions);
  } else if (Array.isArray(r.contents)) {
    rest = messageList(r.contents, 'parts');
    head = system(r.systemInstruction);
  }
  if (!rest || !head || rest.length === 0) return null;
  return [...head, ...rest];
}
