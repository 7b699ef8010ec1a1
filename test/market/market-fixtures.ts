import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { type FakeLlmServer, type FakeOutcome, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';

/** The built-in tasks the end-to-end tests run (each evaluation is a real `node --test` in bubblewrap). */
export const TASK_IDS = ['slugify-spaces', 'paginate-first-page'];

/** Those tasks, loaded from the built-in suite. */
export const TASKS: Task[] = (await builtinSuite().loadTasks()).filter((task) => TASK_IDS.includes(task.id));

/** Usage the fake server reports for each kind of call (so costs can be worked out by hand). */
export const USAGE = {
  bid: { inputTokens: 500, outputTokens: 50, cachedInputTokens: 0 },
  router: { inputTokens: 800, outputTokens: 20, cachedInputTokens: 0 },
  agent: { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0 },
};

/**
 * Two workers over the fake provider: `bold` overstates its chances (bids p = 0.95) and submits
 * without changing anything; `careful` bids p = 0.6 and applies the task's known fix. Prices are
 * per million tokens: bold 1 in / 1 out (blended 1e-6 per token), careful 0.5 / 0.5 (5e-7).
 */
export const WORKERS_YAML = `workers:
  - id: bold
    model: openai-chat:bold
    scaffold: { kind: bash-agent, options: { maxSteps: 5, maxOutputTokens: 200 } }
    pricing: { inputPerMillion: 1, outputPerMillion: 1 }
    persona: You are confident.
  - id: careful
    model: openai-chat:careful
    scaffold: { kind: bash-agent, options: { maxSteps: 5, maxOutputTokens: 200 } }
    pricing: { inputPerMillion: 0.5, outputPerMillion: 0.5 }
router:
  model: openai-chat:router
  maxOutputTokens: 200
market:
  bountyCredits: 90
  creditsPerUsd: 10
`;

/** Prices of the router model (a pricing file, since the table does not know it): $2/M in and out. */
export const PRICING_YAML = `models:
  "openai:router": { inputPerMillion: 2, outputPerMillion: 2 }
`;

/** What kind of call a request is. */
export function requestKind(request: FakeRequest): 'bid' | 'router' | 'agent' {
  if (request.model === 'router') return 'router';
  if (request.prompt.includes('You are bidding in a market')) return 'bid';
  return 'agent';
}

/** The task a request is about. */
export function requestTask(request: FakeRequest): string {
  const id = /Task id: (\S+)/.exec(request.prompt)?.[1];
  if (id) return id;
  const text = request.messages.map((message) => message.text).join('\n');
  return TASKS.find((task) => text.includes(task.statement.split('\n')[0] as string))?.id ?? 'unknown';
}

/** The round a router request decides (round 2 lists a worker that already failed). */
export function routerRound(request: FakeRequest): number {
  return request.prompt.includes('ALREADY FAILED') ? 2 : 1;
}

/** An agent reply that runs one bash command. */
export const bash = (command: string) => `THOUGHT: next step.\n\n\`\`\`bash\n${command}\n\`\`\``;

/** Options of the scripted market. */
export interface MarketScriptOptions {
  /** The router's reply text for a task and round (default: bold first, then careful). */
  router?: (taskId: string, round: number) => string;
  /** Bid reply per worker model (default: bold p 0.95, careful p 0.6, both ask 10 and 1000 tokens). */
  bids?: Partial<Record<string, string | FakeOutcome>>;
  /** Delay of every agent reply (to kill a child mid-run). */
  agentDelayMs?: number;
}

/** The fake provider's script for the market tests. */
export function marketScript(options: MarketScriptOptions = {}): (request: FakeRequest) => FakeOutcome {
  return (request) => {
    const kind = requestKind(request);
    const taskId = requestTask(request);
    if (kind === 'router') {
      const round = routerRound(request);
      const text = options.router ? options.router(taskId, round) : JSON.stringify({ worker: round === 1 ? 'bold' : 'careful', reason: 'scripted' });
      return { text, usage: USAGE.router };
    }
    if (kind === 'bid') {
      const given = options.bids?.[request.model];
      if (given !== undefined && typeof given !== 'string') return given;
      const p = request.model === 'bold' ? 0.95 : 0.6;
      return { text: given ?? JSON.stringify({ p_success: p, expected_tokens: 1000, ask: 10, rationale: 'scripted' }), usage: USAGE.bid };
    }
    const turn = request.messages.filter((message) => message.role === 'assistant').length;
    const task = TASKS.find((candidate) => candidate.id === taskId);
    const plan =
      request.model === 'careful' && task
        ? [bash(`git apply <<'PATCH'\n${String(task.metadata.fixPatch)}PATCH`), bash('echo MARKETBENCH_SUBMIT')]
        : [bash('echo MARKETBENCH_SUBMIT')];
    return { text: plan[turn] ?? bash('echo MARKETBENCH_SUBMIT'), usage: USAGE.agent, ...(options.agentDelayMs && { delayMs: options.agentDelayMs }) };
  };
}

/**
 * The fake provider's script for a market on scripted tasks (`scriptedTask`, answer in its
 * metadata): bold bids p 0.95 and submits nothing; careful bids p 0.6 and writes the answer; the
 * router picks bold in round 1 and careful in round 2. Usage per call is `USAGE`.
 */
export function scriptedMarketScript(tasks: readonly Task[]): (request: FakeRequest) => FakeOutcome {
  const taskOf = (request: FakeRequest) => {
    const text = [request.prompt, ...request.messages.map((message) => message.text)].join('\n');
    return tasks.find((task) => text.includes(task.statement)) ?? tasks.find((task) => /Task id: (\S+)/.exec(text)?.[1] === task.id);
  };
  return (request) => {
    if (request.model === 'router') {
      return { text: JSON.stringify({ worker: routerRound(request) === 1 ? 'bold' : 'careful', reason: 'scripted' }), usage: USAGE.router };
    }
    if (requestKind(request) === 'bid') {
      const p = request.model === 'bold' ? 0.95 : 0.6;
      return { text: JSON.stringify({ p_success: p, expected_tokens: 1000, ask: 10, rationale: 'scripted' }), usage: USAGE.bid };
    }
    const turn = request.messages.filter((message) => message.role === 'assistant').length;
    const answer = taskOf(request)?.metadata.answer;
    const plan = request.model === 'careful' ? [bash(`cat > answer.txt <<'EOF'\n${String(answer)}\nEOF`), bash('echo MARKETBENCH_SUBMIT')] : [bash('echo MARKETBENCH_SUBMIT')];
    return { text: plan[turn] ?? bash('echo MARKETBENCH_SUBMIT'), usage: USAGE.agent };
  };
}

/** The fake server and the current test's folder (read them inside tests: they change per test). */
export interface MarketWorkspace {
  /** The fake provider, started once for the file. */
  readonly server: FakeLlmServer;
  /** A fresh temporary folder holding `market.yaml` (`WORKERS_YAML`) and `pricing.yaml` (`PRICING_YAML`). */
  readonly dir: string;
}

/**
 * Registers the set-up the market tests share: a fake provider serving `script` for the whole
 * file, and before each test a cleared request log and a fresh folder with the market and pricing
 * files (removed after the test).
 */
export function useMarketWorkspace(options: { prefix: string; script: (request: FakeRequest) => FakeOutcome }): MarketWorkspace {
  let server: FakeLlmServer | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    server = await startFakeLlmServer({ script: options.script });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.clear();
    const folder = mkdtempSync(join(tmpdir(), options.prefix));
    dir = folder;
    writeFileSync(join(folder, 'market.yaml'), WORKERS_YAML);
    writeFileSync(join(folder, 'pricing.yaml'), PRICING_YAML);
    return () => rmSync(folder, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!server) throw new Error('the fake server starts in beforeAll');
      return server;
    },
    get dir() {
      if (!dir) throw new Error('the market folder is made in beforeEach');
      return dir;
    },
  };
}
