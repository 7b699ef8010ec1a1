import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Task } from '../../src/core/index.js';
import { runElicitation } from '../../src/runtime/elicit/index.js';
import type { PricingTable } from '../../src/runtime/providers/index.js';
import { jobKey, Store } from '../../src/runtime/store/index.js';
import { type FakeLlmServer, type FakeOutcome, type FakeRequest, fault, slow, startFakeLlmServer } from '../support/fake-llm-server.js';

// Round prices: $1 per million input tokens, $4 per million output tokens.
const PRICE = { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 };
const MODELS = ['openai:gpt-resp', 'openai-chat:gpt-chat', 'anthropic:claude-test', 'google:gemini-test'];
const table: PricingTable = { version: 'test', models: Object.fromEntries(MODELS.map((model) => [model, PRICE])) };
const KEYS = {
  OPENAI_API_KEY: 'sk-openai-SECRET-4f9a2c77e1',
  ANTHROPIC_API_KEY: 'sk-ant-SECRET-88b1d0e3aa',
  GOOGLE_GENERATIVE_AI_API_KEY: 'AIza-SECRET-google-5521',
};
const TEMPLATE = 'Render {{ user.name }} with {% if x %}y{% endif %} and ${process.env.HOME} `${x}`';

function makeTasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `repo__pkg-${i}`,
    suite: 'custom',
    title: `Task ${i}`,
    repo: 'org/pkg',
    statement: `Problem ${i}: ${TEMPLATE}`,
    tests: { failToPass: [`test_${i}`], passToPass: [] },
    features: {},
    metadata: {},
  }));
}

function taskOf(request: FakeRequest): string {
  return /Task id: (\S+)/.exec(request.prompt)?.[1] ?? 'unknown';
}

/** A CLI io that collects everything printed. */
function captureIo(cwd: string) {
  const chunks: string[] = [];
  const write = (text: string) => {
    chunks.push(text);
  };
  return { io: { out: write, err: write, isTty: false, env: {}, cwd }, text: () => chunks.join('') };
}

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer();
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clear();
  dir = mkdtempSync(join(tmpdir(), 'mb-elicit-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

const fastRetry = { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5, jitter: false, timeoutMs: 2_500 };

describe('runElicitation against the four wire formats with injected faults', () => {
  it('every call ends as a valid or an invalid row, never a crash or a lost row', async () => {
    const tries = new Map<string, number>();
    server.setScript((request): FakeOutcome => {
      const task = Number(taskOf(request).split('-').pop());
      const key = `${request.model}|${task}`;
      const n = (tries.get(key) ?? 0) + 1;
      tries.set(key, n);
      const clean = '{"p_success": 0.6, "expected_tokens": 20000, "rationale": "fine"}';
      switch (task) {
        case 0:
          return clean;
        case 1:
          return 'Sure. Here it is:\n```json\n{"p_success": 0.3, "expected_tokens": 5000}\n```\nHope that helps.';
        case 2:
          return '{"p_success": "80%", "expected_tokens": 1000}';
        case 3:
          return '{"p_success": 1.7, "expected_tokens": 1000}';
        case 4:
          return '{"rationale": "forgot the numbers"}';
        case 5:
          return n === 1 ? fault.malformedJson() : clean;
        case 6:
          return n === 1 ? fault.rateLimited(0.05) : clean;
        case 7:
          return fault.http(500);
        case 8:
          return n === 1 ? fault.truncated() : clean;
        default:
          return n === 1 ? slow(30_000, clean) : clean;
      }
    });
    const store = Store.open(join(dir, 'faults.db'));
    const tasks = makeTasks(10);
    const result = await runElicitation({
      store,
      tasks,
      tasksSource: 'inline',
      models: MODELS,
      concurrency: 8,
      env: KEYS,
      baseUrl: server.baseUrl('openai-chat'),
      pricingTable: table,
      retry: fastRetry,
    });
    expect(result.summary?.done).toBe(36);
    expect(result.summary?.failed).toBe(4);
    const forecasts = store.getForecasts({ runId: result.runId });
    expect(forecasts).toHaveLength(40);
    for (const model of MODELS) {
      const mine = new Map(forecasts.filter((f) => f.workerId === model).map((f) => [f.taskId, f]));
      const at = (i: number) => mine.get(`repo__pkg-${i}`);
      expect(at(0)?.pSuccess).toBe(0.6);
      expect(at(1)?.pSuccess).toBe(0.3);
      expect(at(2)?.pSuccess).toBeCloseTo(0.8, 12);
      expect(at(3)?.valid).toBe(false);
      expect(at(3)?.invalidReason).toContain('outside [0, 1]');
      expect(at(3)?.rawText).toContain('1.7');
      expect(at(4)?.invalidReason).toBe('missing p_success');
      for (const i of [5, 6, 8, 9]) expect(at(i)?.valid, `${model} task ${i}`).toBe(true);
      expect(at(7)?.valid).toBe(false);
      expect(at(7)?.invalidReason).toMatch(/^call failed \(http\)/);
    }
    // Structured output was requested from every provider.
    expect(server.requests.every((request) => request.structured)).toBe(true);
    // Task text with template syntax reached every provider verbatim.
    for (const request of server.requests) expect(request.prompt).toContain(TEMPLATE);

    // A rerun retries only the failed calls (2 tries each with maxRetries 1), nothing else.
    server.clear();
    const again = await runElicitation({
      store,
      tasks,
      tasksSource: 'inline',
      models: MODELS,
      concurrency: 8,
      env: KEYS,
      baseUrl: server.baseUrl('openai-chat'),
      pricingTable: table,
      retry: fastRetry,
    });
    expect(again.runId).toBe(result.runId);
    expect(again.skippedDone).toBe(36);
    expect(server.requests).toHaveLength(8);
    expect(server.requests.every((request) => taskOf(request) === 'repo__pkg-7')).toBe(true);
    expect(store.getForecasts({ runId: result.runId })).toHaveLength(40);
    store.close();
  });
});

describe('budget', () => {
  it('holds at concurrency 32: settled costs from the server log stay under the ceiling', async () => {
    let n = 0;
    server.setScript(() => {
      n++;
      if (n % 7 === 0) return fault.rateLimited(0.01);
      if (n % 11 === 0) return fault.http(503);
      return { text: '{"p_success": 0.5, "expected_tokens": 1000}', usage: { inputTokens: 900, outputTokens: 600 }, delayMs: 5 };
    });
    const store = Store.open(join(dir, 'budget.db'));
    const budgetUsd = 0.05;
    const result = await runElicitation({
      store,
      tasks: makeTasks(60),
      tasksSource: 'inline',
      models: ['openai:gpt-resp', 'anthropic:claude-test'],
      concurrency: 32,
      budgetUsd,
      env: KEYS,
      baseUrl: server.baseUrl('openai-chat'),
      pricingTable: table,
      retry: { ...fastRetry, maxRetries: 3 },
    });
    // Independent cost: every complete reply the server sent, at 900 × 1e-6 + 600 × 4e-6 = $0.0033.
    const replies = server.exchanges.filter((exchange) => exchange.kind === 'reply');
    const serverCost = replies.reduce((sum, e) => sum + (e.usage?.inputTokens ?? 0) * 1e-6 + (e.usage?.outputTokens ?? 0) * 4e-6, 0);
    expect(serverCost).toBeLessThanOrEqual(budgetUsd);
    expect(store.jobSpendUsd(result.runId)).toBeLessThanOrEqual(budgetUsd + 1e-12);
    expect(result.stopReason).toBe('budget');
    expect(store.getRun(result.runId)?.status).toBe('stopped');
    // Each reply became exactly one stored forecast; unstarted calls wrote nothing.
    expect(store.getForecasts({ runId: result.runId }).filter((f) => f.valid)).toHaveLength(replies.length);
    expect(result.summary?.notStarted).toBeGreaterThan(0);
    // The run used most of the budget: the reservations (≈ $0.006 each) do not strand it.
    expect(serverCost).toBeGreaterThan(budgetUsd * 0.6);

    // A resumed session with the same budget counts the money already spent and starts nothing.
    server.clear();
    const resumed = await runElicitation({
      store,
      tasks: makeTasks(60),
      tasksSource: 'inline',
      models: ['openai:gpt-resp', 'anthropic:claude-test'],
      concurrency: 32,
      budgetUsd,
      env: KEYS,
      baseUrl: server.baseUrl('openai-chat'),
      pricingTable: table,
    });
    expect(resumed.stopReason).toBe('budget');
    expect(resumed.summary?.done).toBe(0);
    expect(server.requests).toHaveLength(0);
    store.close();
  });

  it('dry run prices the plan, makes no request and creates no store', async () => {
    const result = await runElicitation({
      store: undefined,
      tasks: makeTasks(3),
      tasksSource: 'inline',
      models: ['openai:gpt-resp'],
      dryRun: true,
      env: {},
      pricingTable: table,
    });
    expect(server.requests).toHaveLength(0);
    expect(result.plan[0]?.calls).toBe(3);
    // Per call: (system bytes + 32) + (prompt bytes + 32) input tokens at 1e-6, plus 1,200 × 4e-6 = 0.0048.
    // The prompts are over 1,000 bytes, so each call's bound is above 0.0048 + 0.001.
    expect(result.plan[0]!.upperBoundUsd / 3).toBeGreaterThan(0.0058);
    expect(result.plan[0]!.upperBoundUsd / 3).toBeLessThan(0.0048 + 0.004);
  });
});

describe('secrets and the CLI', () => {
  it('no API key appears in the database file, the output, or any export', async () => {
    server.setScript((request) =>
      request.model === 'gemini-test' && taskOf(request).endsWith('-1')
        ? fault.http(401, { body: JSON.stringify({ error: { code: 401, message: `key ${request.headers['x-goog-api-key']} rejected` } }) })
        : `{"p_success": 0.5, "expected_tokens": 100, "rationale": "auth header was ${request.headers.authorization ?? request.headers['x-api-key'] ?? request.headers['x-goog-api-key']}"}`,
    );
    const tasksFile = join(dir, 'tasks.jsonl');
    writeFileSync(tasksFile, `${makeTasks(3).map((task) => JSON.stringify({ id: task.id, statement: task.statement, repo: task.repo })).join('\n')}\n`);
    writeFileSync(join(dir, 'prices.yaml'), `version: t1\nmodels:\n${MODELS.map((m) => `  "${m}": { inputPerMillion: 1, outputPerMillion: 4 }`).join('\n')}\n`);
    // Keys come from a .env file in the working directory.
    writeFileSync(join(dir, '.env'), Object.entries(KEYS).map(([name, value]) => `${name}="${value}"`).join('\n'));
    const captured = captureIo(dir);
    const io = captured.io;
    const args = ['elicit', '--tasks', 'tasks.jsonl', '--models', MODELS.join(','), '--db', 'mb.db', '--base-url', server.baseUrl('openai-chat'), '--pricing', 'prices.yaml', '--max-retries', '0'];
    expect(await main(['node', 'marketbench', ...args], io)).toBe(0);
    expect(captured.text()).toContain('11 forecasts done, 1 failed');
    expect(await main(['node', 'marketbench', 'db', 'export', '--db', 'mb.db', '--out', 'export'], io)).toBe(0);
    expect(await main(['node', 'marketbench', 'db', 'export', '--db', 'mb.db', '--format', 'csv', '--out', 'export-csv'], io)).toBe(0);
    // The server did receive the keys…
    expect(server.requests.some((request) => request.headers.authorization === `Bearer ${KEYS.OPENAI_API_KEY}`)).toBe(true);
    // …and echoed them into replies and an error body; none of it reaches our files or output.
    const files = [join(dir, 'mb.db'), ...['export', 'export-csv'].flatMap((folder) => readdirSync(join(dir, folder)).map((f) => join(dir, folder, f)))];
    if (existsSync(join(dir, 'mb.db-wal'))) files.push(join(dir, 'mb.db-wal'));
    for (const secret of Object.values(KEYS)) {
      expect(captured.text()).not.toContain(secret);
      for (const file of files) expect(readFileSync(file).includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
    const store = Store.open(join(dir, 'mb.db'));
    expect(JSON.stringify(store.getForecasts())).toContain('[redacted]');
    store.close();
  });

  it('--dry-run prints calls and the cost bound per model and spends nothing', async () => {
    const tasksFile = join(dir, 'tasks.jsonl');
    writeFileSync(tasksFile, `${makeTasks(4).map((task) => JSON.stringify({ id: task.id, statement: task.statement })).join('\n')}\n`);
    const captured = captureIo(dir);
    const code = await main(['node', 'marketbench', 'elicit', '--tasks', 'tasks.jsonl', '--models', 'openai:gpt-5.2,anthropic:claude-opus-4-5', '--dry-run', '--repeats', '2'], captured.io);
    const out = captured.text();
    expect(code).toBe(0);
    expect(out).toMatch(/openai:gpt-5\.2\s+8\s+\$/);
    expect(out).toMatch(/anthropic:claude-opus-4-5\s+8\s+\$/);
    expect(out).toMatch(/total\s+16/);
    expect(existsSync(join(dir, 'marketbench.db'))).toBe(false);
    expect(server.requests).toHaveLength(0);
  });
});

describe('treatment card', () => {
  it('builds the card leave-one-out from the worker’s labeled rows of other runs', async () => {
    const store = Store.open(join(dir, 'card.db'));
    const tasks = makeTasks(7);
    store.upsertTasks(tasks);
    store.createRun({ kind: 'elicit', id: 'earlier' });
    store.createRun({ kind: 'import', id: 'outcomes' });
    // Earlier direct forecasts of 0.9 on every task; tasks 0–3 solved, 4–6 failed; actual tokens 3× forecast.
    for (const [i, task] of tasks.entries()) {
      const forecast = { taskId: task.id, workerId: 'openai:gpt-resp', treatment: 'direct' as const, repeat: 0, pSuccess: 0.9, expectedTokens: 1000, ask: null, valid: true, invalidReason: null, rawText: null, rationale: null };
      store.putForecast({ runId: 'earlier', jobKey: jobKey({ f: i }), forecast });
      store.putAttempt({
        runId: 'outcomes',
        jobKey: jobKey({ a: i }),
        attempt: { taskId: task.id, workerId: 'openai:gpt-resp', round: 1, outcome: { resolved: i < 4, inputTokens: 2000, outputTokens: 1000, cachedTokens: 0, costUsd: 0.01, wallTimeMs: 0, trajectoryRef: null, exitReason: null } },
      });
    }
    server.setScript(() => '{"p_success": 0.5, "expected_tokens": 3000}');
    await runElicitation({
      store,
      tasks: tasks.slice(0, 1),
      tasksSource: 'inline',
      models: ['openai:gpt-resp'],
      treatments: ['card'],
      env: KEYS,
      baseUrl: server.baseUrl('openai-chat'),
      pricingTable: table,
    });
    const prompt = server.requests[0]?.prompt ?? '';
    // Task 0 is left out: 6 held-out tasks, 3 solved (1–3), mean p 0.9 vs 50% → overconfident by 40 points.
    expect(prompt).toContain('your own track record on 6 earlier tasks');
    expect(prompt).toContain('you solved 3 of 6 tasks (50%)');
    expect(prompt).toContain('overconfident by 40 points');
    expect(prompt).toContain('typically 3.0 times your forecast');
    expect(prompt).toContain('On 6 earlier tasks from the same repository (org/pkg) you solved 3 (50%)');
    expect(store.getForecasts({ treatment: 'card' })).toHaveLength(1);
    store.close();
  });
});
