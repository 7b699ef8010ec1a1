import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { Store } from '../../src/runtime/store/index.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, type FakeOutcome, type FakeRequest, fault, startFakeLlmServer } from '../support/fake-llm-server.js';
import { marketScript, PRICING_YAML as MARKET_PRICING_YAML, requestKind, requestTask, WORKERS_YAML as MARKET_YAML } from '../market/market-fixtures.js';

// `marketbench retry --db --run`: a run with injected provider failures (HTTP 503, no retries), then
// the provider comes back and retry reruns only the failed jobs, with the run's own settings.
const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the attempt retry test: ${availability.reason}`);

const USAGE = { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0 };
const KEYS = { OPENAI_API_KEY: 'sk-test-retry' };
const slugify = (await builtinSuite().loadTasks()).find((task) => task.id === 'slugify-spaces') as Task;
const bash = (command: string) => `THOUGHT: next.\n\n\`\`\`bash\n${command}\n\`\`\``;

/** Which model (elicit) or task (attempt) the fake provider refuses with 503 while `broken` is set. */
let broken: { model?: string; task?: string } = {};

function script(request: FakeRequest): FakeOutcome {
  const everything = `${request.system}\n${request.prompt}\n${request.messages.map((message) => message.text).join('\n')}`;
  if (broken.model === request.model) return fault.http(503);
  const forecastTask = /Task id: (\S+)/.exec(request.prompt)?.[1];
  if (forecastTask) return { text: JSON.stringify({ p_success: forecastTask === 't1' ? 0.3 : 0.7, expected_tokens: 5000 }), usage: USAGE };
  const task = everything.includes('slugify(') ? 'slugify-spaces' : 'paginate-first-page';
  if (broken.task === task) return fault.http(503);
  const turn = request.messages.filter((message) => message.role === 'assistant').length;
  const plan =
    task === 'slugify-spaces'
      ? [bash(`git apply <<'PATCH'\n${String(slugify.metadata.fixPatch)}PATCH`), bash('echo MARKETBENCH_SUBMIT')]
      : [bash('echo MARKETBENCH_SUBMIT')];
  return { text: plan[turn] ?? bash('echo MARKETBENCH_SUBMIT'), usage: USAGE };
}

// $1/M input and $4/M output for both models: a forecast call (1,000 in, 100 out) costs $0.0014.
const PRICING_YAML = `models:\n${['openai-chat:alpha', 'openai-chat:beta'].map((model) => `  "${model}": { inputPerMillion: 1, outputPerMillion: 4 }`).join('\n')}\n`;
// The agent at $0.1/M in and $10/M out: a step (1,000 in, 100 out) costs $0.0011.
const WORKERS_YAML = `- id: agent
  model: openai-chat:agent
  scaffold: { kind: bash-agent, options: { maxSteps: 5, maxOutputTokens: 100 } }
  pricing: { inputPerMillion: 0.1, outputPerMillion: 10 }
`;

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clear();
  server.setScript(script);
  broken = {};
  dir = mkdtempSync(join(tmpdir(), 'mb-retry-'));
  writeFileSync(join(dir, 'tasks.jsonl'), ['t1', 't2'].map((id) => `${JSON.stringify({ id, statement: `Fix ${id}.` })}\n`).join(''));
  writeFileSync(join(dir, 'pricing.yaml'), PRICING_YAML);
  writeFileSync(join(dir, 'workers.yaml'), WORKERS_YAML);
  return () => rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env: KEYS });

function ledger(file: string, runId: string): Record<string, string> {
  const store = Store.open(file);
  try {
    return Object.fromEntries(store.listJobs({ runId }).map((job) => [job.key, job.status]));
  } finally {
    store.close();
  }
}

describe('marketbench retry', () => {
  it('elicit: reruns only the failed forecast calls, from the run recorded in the store; then there is nothing left', async () => {
    broken = { model: 'beta' };
    const first = await cli(['elicit', '--tasks', 'tasks.jsonl', '--models', 'openai-chat:alpha,openai-chat:beta', '--pricing', 'pricing.yaml', '--db', 'e.db', '--base-url', server.baseUrl('openai-chat'), '--max-retries', '0', '--format', 'json']);
    expect(first.code, first.stderr).toBe(0);
    const { runId, summary } = JSON.parse(first.stdout) as { runId: string; summary: { done: number; failed: number } };
    expect(summary).toMatchObject({ done: 2, failed: 2 });
    const before = ledger(join(dir, 'e.db'), runId);
    expect(Object.values(before).sort()).toEqual(['done', 'done', 'failed', 'failed']);

    // Still broken: every retried call fails again, so the command exits 1 naming the error.
    server.clear();
    const still = await cli(['retry', '--db', 'e.db', '--run', runId, '--max-retries', '0']);
    expect(still.code).toBe(1);
    expect(still.stderr).toMatch(/every retried job of run .* failed \(2\); first error: call failed/);
    expect(server.requests.map((request) => request.model)).toEqual(['beta', 'beta']);

    broken = {};
    server.clear();
    const retried = await cli(['retry', '--db', 'e.db', '--run', runId]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`retrying 2 jobs of elicit run ${runId}:`);
    expect(retried.stdout.match(/^ {2}forecast openai-chat:beta t[12] direct \(was: call failed/gm)).toHaveLength(2);
    // Two calls at $0.0014 each; the alpha forecasts are not asked again.
    expect(retried.stdout).toContain('retried 2: 2 done, 0 failed again, 0 not started; $0.0028 this session');
    expect(server.requests.map((request) => request.model)).toEqual(['beta', 'beta']);
    expect(Object.values(ledger(join(dir, 'e.db'), runId))).toEqual(['done', 'done', 'done', 'done']);
    const store = Store.open(join(dir, 'e.db'));
    try {
      const forecasts = store.getForecasts({ runId }).map((row) => [row.workerId, row.taskId, row.valid, row.pSuccess]);
      expect(forecasts.sort()).toEqual([
        ['openai-chat:alpha', 't1', true, 0.3],
        ['openai-chat:alpha', 't2', true, 0.7],
        ['openai-chat:beta', 't1', true, 0.3],
        ['openai-chat:beta', 't2', true, 0.7],
      ]);
      expect(store.getRun(runId)?.status).toBe('done');
    } finally {
      store.close();
    }

    server.clear();
    const again = await cli(['retry', '--db', 'e.db', '--run', runId, '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ runId, kind: 'elicit', retried: [], summary: null, stopReason: null });
    expect(server.requests).toHaveLength(0);
  });

  it('an unknown store or run is one line, exit 1, and writes nothing', async () => {
    const missing = await cli(['retry', '--db', 'typo.db', '--run', 'elicit-x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('--db typo.db: no such store (nothing was created)');
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);

    const made = await cli(['elicit', '--tasks', 'tasks.jsonl', '--models', 'openai-chat:alpha', '--pricing', 'pricing.yaml', '--db', 'e.db', '--base-url', server.baseUrl('openai-chat')]);
    expect(made.code, made.stderr).toBe(0);
    const size = statSync(join(dir, 'e.db')).size;
    const unknown = await cli(['retry', '--db', 'e.db', '--run', 'elicit-nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/--run elicit-nope: no such run in e\.db \(runs: elicit-[0-9a-f]+\)/);
    expect(statSync(join(dir, 'e.db')).size).toBe(size);
    const noRun = await cli(['retry', '--db', 'e.db']);
    expect(noRun.code).toBe(1);
    expect(noRun.stderr).toContain('give the run to retry: --run RUN_ID');
  });

  it.skipIf(!availability.ok)('attempt: an unreachable model is a failed job, not an outcome; retry attempts only that task, in the real sandbox', async () => {
    broken = { task: 'paginate-first-page' };
    const args = ['--suite', 'builtin', '--tasks', 'slugify-spaces,paginate-first-page', '--workers', 'workers.yaml', '--db', 'a.db', '--base-url', server.baseUrl('openai-chat')];
    const first = await cli(['attempt', ...args, '--max-retries', '0', '--format', 'json']);
    expect(first.code, first.stderr).toBe(0);
    const { runId, summary } = JSON.parse(first.stdout) as { runId: string; summary: { done: number; failed: number } };
    expect(summary).toMatchObject({ done: 1, failed: 1 });
    // The unreachable model left a failed job and no attempt row (it is not the worker's failure).
    const before = Store.open(join(dir, 'a.db'));
    expect(before.getAttempts({ runId }).map((row) => row.taskId)).toEqual(['slugify-spaces']);
    expect(before.getRun(runId)?.config.baseUrl).toBe(server.baseUrl('openai-chat'));
    before.close();

    broken = {};
    server.clear();
    // An explicit --base-url wins over the one the run recorded: nothing listens there, so the job fails again.
    const elsewhere = await cli(['retry', '--db', 'a.db', '--run', runId, '--base-url', 'http://127.0.0.1:9/v1', '--max-retries', '0']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/every retried job of run .* failed \(1\)/);
    expect(server.requests).toHaveLength(0);
    // Without the flag, retry reaches the providers where the run did (its stored --base-url).
    const retried = await cli(['retry', '--db', 'a.db', '--run', runId]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`retrying 1 job of attempt run ${runId}:\n  attempt agent paginate-first-page (was:`);
    // The agent submits at once: one step at $0.0011.
    expect(retried.stdout).toContain('retried 1: 1 done, 0 failed again, 0 not started; $0.0011 this session');
    expect(server.requests).toHaveLength(1);
    const store = Store.open(join(dir, 'a.db'));
    try {
      const attempts = Object.fromEntries(store.getAttempts({ runId }).map((row) => [row.taskId, row.outcome.resolved]));
      expect(attempts).toEqual({ 'slugify-spaces': true, 'paginate-first-page': false });
      expect(Object.values(ledger(join(dir, 'a.db'), runId))).toEqual(['done', 'done']);
    } finally {
      store.close();
    }
  });

  it.skipIf(!availability.ok)('market: the unit whose attempt could not reach its model is rerun with the run\'s workers, arms and seed; the finished unit is not', async () => {
    let down = true;
    const scripted = marketScript();
    server.setScript((request) => (down && requestKind(request) === 'agent' && requestTask(request) === 'paginate-first-page' ? fault.http(503) : scripted(request)));
    writeFileSync(join(dir, 'market.yaml'), MARKET_YAML);
    writeFileSync(join(dir, 'market-pricing.yaml'), MARKET_PRICING_YAML);
    const base = ['--base-url', server.baseUrl('openai-chat')];
    const first = await cli(['market', '--suite', 'builtin', '--task-ids', 'slugify-spaces,paginate-first-page', '--workers', 'market.yaml', '--pricing', 'market-pricing.yaml', '--arms', 'solo:careful', '--db', 'm.db', '--max-retries', '0', '--run', 'live', ...base]);
    expect(first.stderr).toMatch(/paginate-first-page/);
    const units = (file: string) => {
      const store = Store.open(join(dir, file));
      try {
        return Object.fromEntries(store.listJobs({ runId: 'live' }).filter((job) => job.kind === 'market-task').map((job) => [job.key, job.status]));
      } finally {
        store.close();
      }
    };
    expect(Object.values(units('m.db')).sort()).toEqual(['done', 'failed']);

    down = false;
    server.clear();
    // No --base-url: the market reaches the fake provider at the URL its run recorded.
    const retried = await cli(['retry', '--db', 'm.db', '--run', 'live']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain('retrying 1 job of market run live:\n  market-task solo:careful paginate-first-page');
    expect(retried.stdout).toContain('retried 1: 1 done, 0 failed again, 0 not started');
    // Only careful's attempt on paginate-first-page is asked for: the fix, then the submit.
    expect(server.requests.map((request) => [request.model, requestTask(request)])).toEqual([
      ['careful', 'paginate-first-page'],
      ['careful', 'paginate-first-page'],
    ]);
    expect(Object.values(units('m.db'))).toEqual(['done', 'done']);
    const store = Store.open(join(dir, 'm.db'));
    try {
      expect(store.getAttempts({ runId: 'live' }).map((row) => [row.taskId, row.outcome.resolved]).sort()).toEqual([
        ['paginate-first-page', true],
        ['slugify-spaces', true],
      ]);
    } finally {
      store.close();
    }
  });
});
