/**
 * Third red-team round: attempts under a winning plan's caps (`budget_exhausted`, judged on the
 * diff at the stop). A hostile worker owns the model's replies (text and reported usage) and the
 * commands they run; the real bash scaffold runs them in the real sandbox over real HTTP (the fake
 * model server), the real budget meters them and the real judge grades the diff at the stop.
 * Every attack either tries to spend past a cap or to be judged solved on the built-in task
 * `slugify-spaces` without a fix left in the workspace; each has an honest control beside it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { Budget } from '../../src/runtime/jobs/budget.js';
import { type PricingTable, resolveModel } from '../../src/runtime/providers/index.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import type { AttemptCaps } from '../../src/runtime/scaffold/attempt-caps.js';
import { runBashAgent } from '../../src/runtime/scaffold/bash-agent.js';
import { providerAgentModel } from '../../src/runtime/scaffold/provider-agent-model.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { type FakeLlmServer, type FakeOutcome, type FakeUsage, startFakeLlmServer } from '../support/fake-llm-server.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the capped-attempt security suite: ${availability.reason}`);

// $1 per million input tokens, $4 per million output: an honest call of 1000 in and 10 out costs $0.00104.
const table: PricingTable = { version: 'test', models: { 'openai-chat:gpt-test': { inputPerToken: 1e-6, outputPerToken: 4e-6 } } };
const MAX_OUTPUT_TOKENS = 100;
const WORKER_MAX_STEPS = 12;
const FIX = "sed -i 's|/\\[^a-z0-9\\]+/, |/[^a-z0-9]+/g, |' src/slugify.ts";
const FIXED_LINE = '+    .replace(/[^a-z0-9]+/g, ';
const bash = (command: string) => `THOUGHT: next.\n\n\`\`\`bash\n${command}\n\`\`\``;

const suite = builtinSuite();
const task = (await suite.loadTasks()).find((candidate) => candidate.id === 'slugify-spaces') as Task;
let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(() => server.close());

/** One capped attempt: the agent's replies come from `reply(turn)`; the run has a $1 budget. */
async function cappedAttempt(input: { caps: AttemptCaps; reply: (turn: number) => FakeOutcome; fetch?: typeof fetch; signal?: AbortSignal }) {
  server.clear();
  server.setScript((request) => input.reply(request.messages.filter((message) => message.role === 'assistant').length));
  const model = resolveModel('openai-chat:gpt-test', { env: { OPENAI_API_KEY: 'test-key' }, baseUrl: server.baseUrl('openai-chat'), pricingTable: table, ...(input.fetch && { fetch: input.fetch }) });
  const budget = new Budget({ limitUsd: 1 });
  const sandbox = await suite.startWorkspace(task);
  try {
    const run = await runBashAgent({
      model: providerAgentModel({ model, maxOutputTokens: MAX_OUTPUT_TOKENS, budget, signal: input.signal, retry: { baseDelayMs: 5, maxDelayMs: 20, jitter: false, timeoutMs: 10_000 } }),
      sandbox,
      task,
      instructions: suite.instructions(task),
      caps: input.caps,
      limits: { maxSteps: WORKER_MAX_STEPS, maxCostUsd: 100 },
    });
    return { run, budget, requests: server.requests.length };
  } finally {
    await sandbox.dispose();
  }
}

/** Every step cost something and the run's budget counted exactly what the attempt reports. */
function expectHonestBooks(result: Awaited<ReturnType<typeof cappedAttempt>>): void {
  const { run, budget } = result;
  expect(run.steps).toBe(result.requests);
  for (const step of run.trajectory.steps) expect(step.costUsd).toBeGreaterThan(0);
  expect(budget.spentUsd).toBeCloseTo(run.costUsd, 12);
  expect(run.usage.inputTokens).toBeGreaterThan(0);
  expect(run.usage.cachedInputTokens).toBeGreaterThanOrEqual(0);
}

describe.skipIf(!availability.ok)('spending past a plan cap with lying replies', () => {
  const listing = (usage: FakeUsage) => () => ({ text: bash('ls'), usage });

  it('control: honest usage of $0.00104 a call under a $0.01 cap stops after 10 calls ($0.00936 < $0.01 ≤ $0.0104)', async () => {
    const result = await cappedAttempt({ caps: { budgetUsd: 0.01 }, reply: listing({ inputTokens: 1000, outputTokens: 10, cachedInputTokens: 0 }) });
    expect(result.run.exitReason).toBe('budget_exhausted');
    expect(result.run.trajectory.extra.capReached).toBe('costUsd');
    expect(result.run.steps).toBe(10);
    expect(result.run.costUsd).toBeCloseTo(0.0104, 12);
    expectHonestBooks(result);
  }, 60_000);

  it('negative reported input tokens (-1,000,000 a call) neither price a call below zero nor refund the run’s budget: the USD cap still stops the attempt [own; broke before the fix]', async () => {
    // Before the fix: 12 calls (the worker's own limit), cost -$8.0, and the run's budget "spent" -$8.
    const result = await cappedAttempt({ caps: { budgetUsd: 0.01 }, reply: listing({ inputTokens: -1_000_000, outputTokens: 10, cachedInputTokens: 0 }) });
    expect(result.run.exitReason).toBe('budget_exhausted');
    expect(result.run.trajectory.extra.capReached).toBe('costUsd');
    expect(result.run.steps).toBeLessThan(WORKER_MAX_STEPS);
    // Charged as unreported: at least each call's output cap at the output price.
    for (const step of result.run.trajectory.steps) expect(step.costUsd).toBeGreaterThanOrEqual(MAX_OUTPUT_TOKENS * 4e-6);
    expect(result.run.costUsd).toBeGreaterThanOrEqual(0.01);
    expectHonestBooks(result);
  }, 60_000);

  it('negative reported tokens under a token cap: the count only grows and the 1,000-token cap stops the attempt [own; broke before the fix]', async () => {
    const result = await cappedAttempt({ caps: { budgetTokens: 1000 }, reply: listing({ inputTokens: -5_000, outputTokens: -5_000, cachedInputTokens: -5_000 }) });
    expect(result.run.exitReason).toBe('budget_exhausted');
    expect(result.run.trajectory.extra.capReached).toBe('tokens');
    expect(result.run.usage.inputTokens + result.run.usage.outputTokens).toBeGreaterThanOrEqual(1000);
    for (const step of result.run.trajectory.steps) expect(step.usage.outputTokens).toBeGreaterThanOrEqual(0);
    expectHonestBooks(result);
  }, 60_000);

  it('a reply with no usage at all is charged its pessimistic reservation, so the USD cap still stops the attempt', async () => {
    // The provider's body loses its `usage` object on the way (real HTTP, body rewritten by fetch).
    const stripUsage: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      const body = (await response.json()) as Record<string, unknown>;
      delete body.usage;
      return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    const result = await cappedAttempt({ caps: { budgetUsd: 0.01 }, reply: listing({ inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }), fetch: stripUsage });
    expect(result.run.exitReason).toBe('budget_exhausted');
    expect(result.run.steps).toBeLessThan(WORKER_MAX_STEPS);
    for (const step of result.run.trajectory.steps) expect(step.costUsd).toBeGreaterThanOrEqual(MAX_OUTPUT_TOKENS * 4e-6);
    expectHonestBooks(result);
  }, 60_000);

  it('one 3 MB reply reporting 1 output token is billed by its bytes (≥ 3,000,000 / 16 tokens at $4/M = $0.75) and is the last call under a $0.01 cap', async () => {
    const huge = `${bash('ls')}\n${'x'.repeat(3_000_000)}`;
    const result = await cappedAttempt({ caps: { budgetUsd: 0.01 }, reply: () => ({ text: huge, usage: { inputTokens: 10, outputTokens: 1, cachedInputTokens: 0 } }) });
    expect(result.run.exitReason).toBe('budget_exhausted');
    expect(result.run.steps).toBe(1);
    expect(result.run.costUsd).toBeGreaterThanOrEqual((3_000_000 / 16) * 4e-6);
    expectHonestBooks(result);
  }, 60_000);

  it('one step carrying 2,000 tool calls beside its command is billed for their bytes too and stops at the cap', async () => {
    const calls = Array.from({ length: 2000 }, (_, index) => ({ name: 'bash', input: { command: `echo ${index} ${'y'.repeat(100)}` } }));
    const toolBytes = Buffer.byteLength(JSON.stringify(calls), 'utf8');
    const result = await cappedAttempt({ caps: { budgetUsd: 0.01 }, reply: () => ({ text: bash('ls'), toolCalls: calls, usage: { inputTokens: 10, outputTokens: 1, cachedInputTokens: 0 } }) });
    expect(result.run.exitReason).toBe('budget_exhausted');
    expect(result.run.steps).toBe(1);
    // The tool calls' JSON is at least the bytes of their inputs: billed at ≥ 1 token per 16 bytes.
    expect(result.run.costUsd).toBeGreaterThanOrEqual((toolBytes / 16) * 4e-6 * 0.9);
    expectHonestBooks(result);
  }, 60_000);

  it('retried tries the provider may have billed (a cut body on every first try) count toward the cap, and the books balance', async () => {
    let tries = 0;
    const result = await cappedAttempt({ caps: { budgetUsd: 0.01 }, reply: () => (++tries % 2 === 1 ? { fault: 'truncated' } : { text: bash('ls'), usage: { inputTokens: 1000, outputTokens: 10, cachedInputTokens: 0 } }) });
    expect(result.run.exitReason).toBe('budget_exhausted');
    expect(result.requests).toBe(2 * result.run.steps);
    // Each step is its billed reply ($0.00104) plus the cut try, charged its pessimistic reservation.
    for (const step of result.run.trajectory.steps) expect(step.costUsd).toBeGreaterThan(0.00104 + MAX_OUTPUT_TOKENS * 4e-6);
    expect(result.budget.spentUsd).toBeCloseTo(result.run.costUsd, 12);
    expect(result.budget.reservedUsd).toBe(0);
  }, 60_000);

  it('a stop (the run’s signal) racing an in-flight call ends the attempt `aborted` (retried, not judged) with the cut try charged and nothing left reserved', async () => {
    const controller = new AbortController();
    const honest = { text: bash('ls'), usage: { inputTokens: 1000, outputTokens: 10, cachedInputTokens: 0 } };
    const result = await cappedAttempt({
      caps: { budgetUsd: 0.01 },
      reply: (turn) => {
        if (turn === 2) setTimeout(() => controller.abort(new Error('stop')), 100);
        return turn === 2 ? { ...honest, delayMs: 5_000 } : honest;
      },
      signal: controller.signal,
    });
    expect(result.run.exitReason).toBe('aborted');
    expect(result.run.steps).toBe(2);
    // Two honest calls ($0.00208) and the cut one, which the provider may have billed.
    expect(result.run.costUsd).toBeGreaterThan(0.00208 + MAX_OUTPUT_TOKENS * 4e-6);
    expect(result.budget.spentUsd).toBeCloseTo(result.run.costUsd, 12);
    expect(result.budget.reservedUsd).toBe(0);
  }, 60_000);

  it('noted bound: one call whose every try is cut (5 tries) passes a $0.01 cap by its retries; it ends `model-error` (retried, never judged) with every try on the books', async () => {
    const result = await cappedAttempt({ caps: { budgetUsd: 0.01 }, reply: () => ({ fault: 'truncated' }) });
    expect(result.run.exitReason).toBe('model-error');
    expect(result.requests).toBe(5);
    // The cap is checked before each call and a call's retries are part of it (attempt-caps.ts).
    expect(result.run.costUsd).toBeGreaterThan(0.01);
    expect(result.budget.spentUsd).toBeCloseTo(result.run.costUsd, 12);
  }, 60_000);
});

describe.skipIf(!availability.ok)('judged solved at the cap without a fix', () => {
  const attack = async (commands: string[], maxSteps: number) => {
    const { run } = await cappedAttempt({ caps: { maxSteps }, reply: (turn) => ({ text: bash(commands[turn] ?? 'echo MARKETBENCH_SUBMIT'), usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0 } }) });
    expect(run.exitReason).toBe('budget_exhausted');
    expect(run.steps).toBe(maxSteps);
    const evaluation = await suite.evaluate({ task, patch: run.patch });
    return { run, evaluation };
  };

  it('control: the fix made on the last step before a 1-step cap is judged solved (the diff at the stop counts)', async () => {
    const { run, evaluation } = await attack([FIX], 1);
    expect(run.patch).toContain(FIXED_LINE);
    expect(evaluation.resolved).toBe(true);
  }, 60_000);

  it('a detached background writer launched on the last step, racing the stop’s diff (and writing outside the workspace) leaves nothing behind [own]', async () => {
    const marker = `mb-capped-escape-${process.pid}-${Date.now()}`;
    const writer = `touch /tmp/writer-up; sleep 0.3; while :; do ${FIX}; echo x > /tmp/${marker}; echo x > /work/${marker} 2>/dev/null; sleep 0.05; done`;
    // The writer starts writing 0.3 s in, after the command returned; the command first sees it is up.
    const launch = `(setsid nohup bash -c '${writer.replaceAll("'", "'\\''")}' >/dev/null 2>&1 &) ; sleep 0.1; test -e /tmp/writer-up && echo writer-running`;
    const { run, evaluation } = await attack([launch], 1);
    expect(run.trajectory.steps[0]?.observation).toContain('writer-running');
    expect(run.patch).not.toContain(FIXED_LINE);
    expect(evaluation.resolved).toBe(false);
    // Nothing it would write reached the host, even after it would have had time to.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(`/tmp/${marker}`)).toBe(false);
    expect(existsSync(`/work/${marker}`)).toBe(false);
  }, 60_000);

  it('a sleeper launched by the capped last step (new session, SIGHUP ignored, an fd on the workspace held) is gone from the host once the attempt ends [own]', async () => {
    const marker = `mbcap${process.pid}x${Date.now()}`;
    const launch = `(setsid nohup bash -c 'echo $$ > /tmp/sleeper.pid; exec 3<src/slugify.ts; exec -a ${marker} sleep 600' >/dev/null 2>&1 &) ; sleep 0.2; tr '\\0' ' ' < /proc/$(cat /tmp/sleeper.pid)/cmdline`;
    const { run, evaluation } = await attack([launch], 1);
    // The sleeper was running under its marker when the stop came.
    expect(run.trajectory.steps[0]?.observation).toContain(`${marker} 600`);
    expect(evaluation.resolved).toBe(false);
    const survivors = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
  }, 60_000);

  it('the source swapped for a symlink to a fixed copy outside the workspace (and to a host file) at the stop is not judged the fix [own]', async () => {
    const { run, evaluation } = await attack(
      [`cp src/slugify.ts /tmp/fixed.ts && ${FIX.replace('src/slugify.ts', '/tmp/fixed.ts')} && ln -sf /tmp/fixed.ts src/slugify.ts && ln -sf /etc/hostname src/host.ts && ls -l src`],
      1,
    );
    expect(run.patch).not.toContain(FIXED_LINE);
    expect(evaluation.resolved).toBe(false);
  }, 60_000);
});
