/**
 * A scripted language-model server on 127.0.0.1 that speaks the real wire formats of OpenAI chat
 * completions, the OpenAI Responses API, Anthropic messages and Google generateContent.
 *
 * Provider code is tested against it over real HTTP (no mocks of the SDK): a script decides, per
 * request, the reply text (or tool calls) or a fault (an HTTP error with headers, a slow reply, a
 * hang, a malformed or truncated body, a reset connection); every request is recorded with what
 * the server answered, so tests can count calls per job and price the usage the server reported.
 *
 * Routes (any prefix): `POST …/chat/completions` (OpenAI chat and every OpenAI-compatible server),
 * `POST …/responses` (OpenAI Responses), `POST …/messages` (Anthropic), `POST …/models/<id>:generateContent`
 * (Google). Streaming requests are answered with 400: the project calls models without streaming.
 *
 * ```ts
 * const server = await startFakeLlmServer({ script: (request) => '{"p_success": 0.7, "expected_tokens": 5000}' });
 * const model = createOpenAI({ baseURL: server.baseUrl('openai-chat'), apiKey: 'test' }).chat('gpt-test');
 * …
 * await server.close();
 * ```
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The wire format a request arrived in (decided by its path). */
export type WireFormat = 'openai-chat' | 'openai-responses' | 'anthropic' | 'google';

/** Every wire format the server speaks. */
export const WIRE_FORMATS: readonly WireFormat[] = ['openai-chat', 'openai-responses', 'anthropic', 'google'];

/** One message of a request, flattened to text. */
export interface FakeMessage {
  /** `system`, `user`, `assistant` or `tool` (Google's `model` is reported as `assistant`). */
  role: string;
  /** The text parts of the message joined by newlines (tool results included as text). */
  text: string;
}

/** A request as the script and the log see it, normalized across wire formats. */
export interface FakeRequest {
  /** 0-based arrival order. */
  index: number;
  /** Which API the request spoke. */
  format: WireFormat;
  /** HTTP path including any query string. */
  path: string;
  /** Request headers (lower-case names), as received: they include the API key. */
  headers: Record<string, string>;
  /** The raw request body text. */
  rawBody: string;
  /** The parsed JSON body (undefined when the body was not JSON). */
  body: Record<string, unknown> | undefined;
  /** Model id named by the request (body `model`, or the path for Google). */
  model: string;
  /** System text (system/developer messages, Anthropic `system`, Google `systemInstruction`). */
  system: string;
  /** Non-system messages in order. */
  messages: FakeMessage[];
  /** The text of the last user message (what a single-turn script usually reads). */
  prompt: string;
  /** Requested maximum output tokens, if any. */
  maxOutputTokens: number | undefined;
  /** Requested temperature, if any. */
  temperature: number | undefined;
  /** True when the request asked for JSON output (response_format, text.format, output_config, responseMimeType, or Anthropic's forced `json` tool). */
  structured: boolean;
  /** Names of the tools offered. */
  tools: string[];
}

/** Token usage the server reports for a reply. */
export interface FakeUsage {
  /** Input tokens, including cached ones. */
  inputTokens: number;
  /** Output tokens. */
  outputTokens: number;
  /** The part of the input served from a cache. */
  cachedInputTokens: number;
}

/** A tool call the fake model makes. */
export interface FakeToolCall {
  /** Tool name. */
  name: string;
  /** Arguments object. */
  input: Record<string, unknown>;
}

/** A successful reply: text and/or tool calls, with optional usage and latency. */
export interface FakeReplyObject {
  /** Assistant text. */
  text?: string;
  /** Tool calls to make (the finish reason becomes tool calls). */
  toolCalls?: FakeToolCall[];
  /** Usage to report; missing fields are estimated (see `estimateUsage`). */
  usage?: Partial<FakeUsage>;
  /** `stop` (default) or `length` (hit the output cap). */
  finishReason?: 'stop' | 'length';
  /** Wait this long before answering. */
  delayMs?: number;
}

/** What a script may return for a successful reply: plain text or a reply object. */
export type FakeReply = string | FakeReplyObject;

/** An injected fault. */
export type FakeFault =
  /** Answer with this HTTP status, headers (e.g. `retry-after`) and body (a provider-shaped error by default). */
  | { fault: 'http'; status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Answer 200 with a body that is not JSON. */
  | { fault: 'malformed-json'; delayMs?: number }
  /** Announce a full body, send half of a valid reply, then cut the connection. */
  | { fault: 'truncated'; text?: string; delayMs?: number }
  /** Destroy the connection without answering. */
  | { fault: 'reset'; delayMs?: number }
  /** Never answer (until the client gives up or the server closes). */
  | { fault: 'hang' };

/** What a script returns. */
export type FakeOutcome = FakeReply | FakeFault;

/** Decides the answer to each request. */
export type FakeScript = (request: FakeRequest) => FakeOutcome | Promise<FakeOutcome>;

/** One request and what the server did with it. */
export interface FakeExchange {
  /** The request. */
  request: FakeRequest;
  /** `reply` when a complete 200 reply was sent (billed by a real provider), else `fault`. */
  kind: 'reply' | 'fault';
  /** HTTP status sent (0 when none: reset, hang or truncated mid-body). */
  status: number;
  /** The reply text (replies only). */
  text: string | undefined;
  /** The usage reported (replies only; truncated replies report the usage of the cut body too). */
  usage: FakeUsage | undefined;
  /** The fault injected (faults only). */
  fault: FakeFault | undefined;
}

/** Options of `startFakeLlmServer`. */
export interface FakeLlmServerOptions {
  /** The script; by default every request gets `{"p_success": 0.5, "expected_tokens": 10000}`. */
  script?: FakeScript;
  /** Port to listen on (0 = any free port). */
  port?: number;
}

/** A running fake server. */
export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every exchange so far, in arrival order (the request is recorded before the reply is sent). */
  exchanges: FakeExchange[];
  /** The requests so far (a view of `exchanges`). */
  readonly requests: FakeRequest[];
  /** Replaces the script. */
  setScript(script: FakeScript): void;
  /** Forgets recorded exchanges. */
  clear(): void;
  /** The base URL to give a provider factory for a wire format (`/v1`, or `/v1beta` for Google). */
  baseUrl(format: WireFormat): string;
  /** Called on every request as it arrives (e.g. to kill a client after N calls). */
  onRequest: ((request: FakeRequest) => void) | undefined;
  /** Stops listening and destroys open connections (hung requests included). */
  close(): Promise<void>;
}

/** Helpers to build faults and replies in scripts. */
export const fault = {
  /** An HTTP error; `retryAfter` (seconds) becomes a `retry-after` header. */
  http(status: number, options: { retryAfter?: number | string; headers?: Record<string, string>; body?: string } = {}): FakeFault {
    const headers = { ...options.headers };
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    return { fault: 'http', status, headers, body: options.body };
  },
  /** 429 rate limit with `retry-after` in seconds. */
  rateLimited(retryAfterSeconds = 1): FakeFault {
    return fault.http(429, { retryAfter: retryAfterSeconds });
  },
  /** 200 with a body that is not JSON. */
  malformedJson(): FakeFault {
    return { fault: 'malformed-json' };
  },
  /** A reply cut off halfway through its body. */
  truncated(text?: string): FakeFault {
    return { fault: 'truncated', text };
  },
  /** Connection destroyed without an answer. */
  reset(): FakeFault {
    return { fault: 'reset' };
  },
  /** No answer at all. */
  hang(): FakeFault {
    return { fault: 'hang' };
  },
} as const;

/** A reply after a delay (a slow provider). */
export function slow(delayMs: number, reply: FakeReply): FakeReplyObject {
  return typeof reply === 'string' ? { text: reply, delayMs } : { ...reply, delayMs };
}

/** True when a script outcome is a fault. */
export function isFault(outcome: FakeOutcome): outcome is FakeFault {
  return typeof outcome === 'object' && outcome !== null && 'fault' in outcome;
}

/**
 * The usage the server reports when the script gives none: ⌈characters / 4⌉ of the system text
 * plus all messages (+ 8 per message for the chat template) for input, ⌈characters / 4⌉ of the
 * reply (at least 1) for output, nothing cached. Tests can recompute it independently.
 */
export function estimateUsage(request: FakeRequest, replyText: string): FakeUsage {
  const chars = request.system.length + request.messages.reduce((sum, message) => sum + message.text.length, 0);
  const messages = request.messages.length + (request.system ? 1 : 0);
  return {
    inputTokens: Math.ceil(chars / 4) + 8 * messages,
    outputTokens: Math.max(1, Math.ceil(replyText.length / 4)),
    cachedInputTokens: 0,
  };
}

const DEFAULT_REPLY = '{"p_success": 0.5, "expected_tokens": 10000, "rationale": "default fake reply"}';

/** Starts the server on 127.0.0.1. */
export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  let script: FakeScript = options.script ?? (() => DEFAULT_REPLY);
  const exchanges: FakeExchange[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  const state: FakeLlmServer = {
    url: '',
    exchanges,
    get requests() {
      return exchanges.map((exchange) => exchange.request);
    },
    setScript(next) {
      script = next;
    },
    clear() {
      exchanges.length = 0;
      counter = 0;
    },
    baseUrl(format) {
      return `${state.url}${format === 'google' ? '/v1beta' : '/v1'}`;
    },
    onRequest: undefined,
    close: async () => {},
  };

  const server: Server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `fake server: ${String(error)}` } }));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(incoming);
    const path = incoming.url ?? '/';
    const format = formatOf(path);
    if (incoming.method !== 'POST' || !format) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `fake server: no route for ${incoming.method} ${path}` } }));
      return;
    }
    const request = normalize({ index: counter++, format, path, headers: headersOf(incoming), rawBody });
    const exchange: FakeExchange = { request, kind: 'fault', status: 0, text: undefined, usage: undefined, fault: undefined };
    exchanges.push(exchange);
    state.onRequest?.(request);
    if (request.body?.stream === true) {
      sendJson(response, 400, errorBody(format, 400, 'the fake server does not stream'));
      exchange.status = 400;
      return;
    }
    const outcome = await script(request);
    if (isFault(outcome)) {
      exchange.fault = outcome;
      await sendFault({ response, request, outcome, exchange });
      return;
    }
    const reply: FakeReplyObject = typeof outcome === 'string' ? { text: outcome } : outcome;
    if (reply.delayMs) await sleep(reply.delayMs);
    const text = reply.text ?? '';
    const usage = { ...estimateUsage(request, text), ...reply.usage };
    const body = replyBody({ request, reply, text, usage });
    if (response.destroyed) return;
    exchange.kind = 'reply';
    exchange.status = 200;
    exchange.text = text;
    exchange.usage = usage;
    sendJson(response, 200, body);
  }

  async function sendFault(input: {
    response: ServerResponse;
    request: FakeRequest;
    outcome: FakeFault;
    exchange: FakeExchange;
  }): Promise<void> {
    const { response, request, outcome, exchange } = input;
    if (outcome.fault === 'hang') return;
    if (outcome.delayMs) await sleep(outcome.delayMs);
    if (response.destroyed) return;
    switch (outcome.fault) {
      case 'http': {
        exchange.status = outcome.status;
        const body = outcome.body ?? JSON.stringify(errorBody(request.format, outcome.status, `injected ${outcome.status}`));
        response.writeHead(outcome.status, { 'content-type': 'application/json', ...outcome.headers });
        response.end(body);
        return;
      }
      case 'malformed-json':
        exchange.status = 200;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"id": "broken", "choices": [ {"message": oops not json');
        return;
      case 'truncated': {
        const text = outcome.text ?? DEFAULT_REPLY;
        const usage = estimateUsage(request, text);
        exchange.usage = usage;
        const full = JSON.stringify(replyBody({ request, reply: { text }, text, usage }));
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(full)) });
        response.write(full.slice(0, Math.floor(full.length / 2)));
        await sleep(5);
        response.socket?.destroy();
        return;
      }
      case 'reset':
        response.socket?.destroy();
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${address.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return state;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

function headersOf(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}

/** Which API a path belongs to. */
function formatOf(path: string): WireFormat | undefined {
  const bare = path.split('?')[0] ?? '';
  if (bare.endsWith('/chat/completions')) return 'openai-chat';
  if (bare.endsWith('/responses')) return 'openai-responses';
  if (bare.endsWith('/messages')) return 'anthropic';
  if (/\/models\/[^/]+:generateContent$/.test(bare)) return 'google';
  return undefined;
}

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Text of a content field in any of the four formats (string, or array of typed parts). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  const parts: string[] = [];
  for (const part of asArray(content)) {
    const record = asRecord(part);
    if (!record) continue;
    if (typeof record.text === 'string') parts.push(record.text);
    else if (record.type === 'tool_result' || record.type === 'function_call_output') {
      parts.push(contentText(record.content ?? record.output));
    } else if (asRecord(record.functionResponse)) parts.push(JSON.stringify(asRecord(record.functionResponse)?.response));
  }
  return parts.join('\n');
}

function normalize(input: { index: number; format: WireFormat; path: string; headers: Record<string, string>; rawBody: string }): FakeRequest {
  let body: Json | undefined;
  try {
    body = asRecord(JSON.parse(input.rawBody));
  } catch {
    body = undefined;
  }
  const b = body ?? {};
  const systemParts: string[] = [];
  const messages: FakeMessage[] = [];
  let model = typeof b.model === 'string' ? b.model : '';
  let maxOutputTokens: number | undefined;
  let temperature = typeof b.temperature === 'number' ? b.temperature : undefined;
  let structured = false;
  let tools: string[] = [];
  switch (input.format) {
    case 'openai-chat':
      for (const message of asArray(b.messages).map(asRecord)) {
        if (!message) continue;
        const role = String(message.role);
        const text = contentText(message.content);
        if (role === 'system' || role === 'developer') systemParts.push(text);
        else messages.push({ role, text });
      }
      maxOutputTokens = numberOr(b.max_completion_tokens, b.max_tokens);
      structured = asRecord(b.response_format)?.type === 'json_schema' || asRecord(b.response_format)?.type === 'json_object';
      tools = asArray(b.tools).map((tool) => String(asRecord(asRecord(tool)?.function)?.name));
      break;
    case 'openai-responses':
      if (typeof b.instructions === 'string') systemParts.push(b.instructions);
      for (const item of typeof b.input === 'string' ? [{ role: 'user', content: b.input }] : asArray(b.input)) {
        const message = asRecord(item);
        if (!message) continue;
        const role = String(message.role ?? (message.type === 'function_call_output' ? 'tool' : message.type));
        const text = message.type === 'function_call_output' ? contentText(message.output) : contentText(message.content);
        if (role === 'system' || role === 'developer') systemParts.push(text);
        else messages.push({ role, text });
      }
      maxOutputTokens = numberOr(b.max_output_tokens);
      structured = ['json_schema', 'json_object'].includes(String(asRecord(asRecord(b.text)?.format)?.type));
      tools = asArray(b.tools).map((tool) => String(asRecord(tool)?.name));
      break;
    case 'anthropic':
      systemParts.push(contentText(b.system));
      for (const message of asArray(b.messages).map(asRecord)) {
        if (message) messages.push({ role: String(message.role), text: contentText(message.content) });
      }
      maxOutputTokens = numberOr(b.max_tokens);
      tools = asArray(b.tools).map((tool) => String(asRecord(tool)?.name));
      structured = asRecord(b.output_config)?.format !== undefined || forcedJsonTool(b);
      break;
    case 'google': {
      model = decodeURIComponent(/\/models\/([^/:]+):generateContent/.exec(input.path)?.[1] ?? '');
      systemParts.push(contentText(asRecord(b.systemInstruction)?.parts));
      for (const content of asArray(b.contents).map(asRecord)) {
        if (!content) continue;
        const role = content.role === 'model' ? 'assistant' : String(content.role ?? 'user');
        messages.push({ role, text: contentText(content.parts) });
      }
      const config = asRecord(b.generationConfig) ?? {};
      maxOutputTokens = numberOr(config.maxOutputTokens);
      temperature = numberOr(config.temperature);
      structured = config.responseMimeType === 'application/json';
      tools = asArray(b.tools).flatMap((tool) =>
        asArray(asRecord(tool)?.functionDeclarations).map((declaration) => String(asRecord(declaration)?.name)),
      );
      break;
    }
  }
  const userMessages = messages.filter((message) => message.role === 'user');
  return {
    index: input.index,
    format: input.format,
    path: input.path,
    headers: input.headers,
    rawBody: input.rawBody,
    body,
    model,
    system: systemParts.filter((part) => part.length > 0).join('\n'),
    messages,
    prompt: userMessages[userMessages.length - 1]?.text ?? '',
    maxOutputTokens,
    temperature,
    structured,
    tools,
  };
}

function numberOr(...values: unknown[]): number | undefined {
  for (const value of values) if (typeof value === 'number') return value;
  return undefined;
}

/** Anthropic's JSON-tool mode: a tool named `json` that the request forces (`any`, or that tool by name). */
function forcedJsonTool(body: Json): boolean {
  const choice = asRecord(body.tool_choice);
  const offered = asArray(body.tools).some((tool) => asRecord(tool)?.name === 'json');
  return offered && (choice?.type === 'any' || (choice?.type === 'tool' && choice.name === 'json'));
}

/** A deterministic id from the request body, so two identical runs store identical replies. */
function replyId(request: FakeRequest, prefix: string): string {
  return `${prefix}${createHash('sha256').update(request.rawBody).digest('hex').slice(0, 16)}`;
}

const CREATED = 1_767_225_600; // 2026-01-01T00:00:00Z: fixed so replies are reproducible

function replyBody(input: { request: FakeRequest; reply: FakeReplyObject; text: string; usage: FakeUsage }): Json {
  const { request, reply, text, usage } = input;
  const calls = reply.toolCalls ?? [];
  const finish = reply.finishReason ?? 'stop';
  switch (request.format) {
    case 'openai-chat':
      return {
        id: replyId(request, 'chatcmpl-'),
        object: 'chat.completion',
        created: CREATED,
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: text.length > 0 || calls.length === 0 ? text : null,
              ...(calls.length > 0 && {
                tool_calls: calls.map((call, i) => ({
                  id: `call_${i}`,
                  type: 'function',
                  function: { name: call.name, arguments: JSON.stringify(call.input) },
                })),
              }),
            },
            finish_reason: calls.length > 0 ? 'tool_calls' : finish,
          },
        ],
        usage: {
          prompt_tokens: usage.inputTokens,
          completion_tokens: usage.outputTokens,
          total_tokens: usage.inputTokens + usage.outputTokens,
          prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
        },
      };
    case 'openai-responses': {
      const output: Json[] = [];
      if (text.length > 0 || calls.length === 0) {
        output.push({
          type: 'message',
          id: replyId(request, 'msg_'),
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text, annotations: [] }],
        });
      }
      for (const [i, call] of calls.entries()) {
        output.push({
          type: 'function_call',
          id: `fc_${i}`,
          call_id: `call_${i}`,
          name: call.name,
          arguments: JSON.stringify(call.input),
          status: 'completed',
        });
      }
      return {
        id: replyId(request, 'resp_'),
        object: 'response',
        created_at: CREATED,
        status: finish === 'length' ? 'incomplete' : 'completed',
        model: request.model,
        output,
        incomplete_details: finish === 'length' ? { reason: 'max_output_tokens' } : null,
        usage: {
          input_tokens: usage.inputTokens,
          input_tokens_details: { cached_tokens: usage.cachedInputTokens },
          output_tokens: usage.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: usage.inputTokens + usage.outputTokens,
        },
      };
    }
    case 'anthropic': {
      const content: Json[] = [];
      const jsonTool = request.body !== undefined && forcedJsonTool(request.body) ? parseObject(text) : undefined;
      if (jsonTool) content.push({ type: 'tool_use', id: 'toolu_json', name: 'json', input: jsonTool });
      else if (text.length > 0 || calls.length === 0) content.push({ type: 'text', text });
      for (const [i, call] of calls.entries()) {
        content.push({ type: 'tool_use', id: `toolu_${i}`, name: call.name, input: call.input });
      }
      return {
        id: replyId(request, 'msg_'),
        type: 'message',
        role: 'assistant',
        model: request.model,
        content,
        stop_reason: calls.length > 0 || jsonTool ? 'tool_use' : finish === 'length' ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        // Anthropic reports input tokens WITHOUT the cache reads; the SDK adds them back.
        usage: {
          input_tokens: usage.inputTokens - usage.cachedInputTokens,
          output_tokens: usage.outputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: usage.cachedInputTokens,
        },
      };
    }
    case 'google': {
      const parts: Json[] = [];
      if (text.length > 0 || calls.length === 0) parts.push({ text });
      for (const call of calls) parts.push({ functionCall: { name: call.name, args: call.input } });
      return {
        candidates: [
          { content: { role: 'model', parts }, finishReason: finish === 'length' ? 'MAX_TOKENS' : 'STOP', index: 0 },
        ],
        usageMetadata: {
          promptTokenCount: usage.inputTokens,
          candidatesTokenCount: usage.outputTokens,
          totalTokenCount: usage.inputTokens + usage.outputTokens,
          cachedContentTokenCount: usage.cachedInputTokens,
        },
        modelVersion: request.model,
        responseId: replyId(request, ''),
      };
    }
  }
}

function parseObject(text: string): Json | undefined {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** A provider-shaped error body for an HTTP status. */
function errorBody(format: WireFormat, status: number, message: string): Json {
  if (format === 'anthropic') {
    const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }
  if (format === 'google') {
    return { error: { code: status, message, status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } };
  }
  return { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', param: null, code: null } };
}
