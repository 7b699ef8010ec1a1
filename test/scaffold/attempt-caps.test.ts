import { describe, expect, it } from 'vitest';
import { capReached } from '../../src/runtime/scaffold/attempt-caps.js';
import { runBashAgent } from '../../src/runtime/scaffold/bash-agent.js';
import { ScriptedSandbox, scriptedTask } from '../support/scripted-sandbox.js';
import { bash, scriptedModel } from './scripted-model.js';

const task = scriptedTask('delta', 'green');

// The agent writes a first answer, then a second, then submits: five replies if nothing stops it.
const writer = (costUsd: number) =>
  scriptedModel(
    [
      bash("cat > answer.txt <<'EOF'\nred\nEOF"),
      bash('cat answer.txt'),
      bash("cat > answer.txt <<'EOF'\ngreen\nEOF"),
      bash('cat answer.txt'),
      bash('echo MARKETBENCH_SUBMIT'),
    ],
    { costUsd, usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0 } },
  );

describe('a plan caps the attempt; the attempt is judged on its diff at the cap', () => {
  it('a step cap of 2 stops after the first write: the diff holds the first answer and the reason is budget_exhausted', async () => {
    const run = await runBashAgent({ model: writer(0.01), sandbox: new ScriptedSandbox(), task, instructions: '', caps: { maxSteps: 2 } });
    expect(run.exitReason).toBe('budget_exhausted');
    expect(run.steps).toBe(2);
    expect(run.patch).toBe('--- a/answer.txt\n+++ b/answer.txt\n+red\n');
    expect(run.trajectory.extra.capReached).toBe('steps');
    // The plan's cap is tighter than the worker's 50 steps, and the agent is told the tighter one.
    expect(run.trajectory.messages[1]?.content).toMatch(/\b2\b/);
  });

  it('a step cap of 3 lets the second write happen: the diff holds the second answer', async () => {
    const run = await runBashAgent({ model: writer(0.01), sandbox: new ScriptedSandbox(), task, instructions: '', caps: { maxSteps: 3 } });
    expect(run.exitReason).toBe('budget_exhausted');
    expect(run.patch).toBe('--- a/answer.txt\n+++ b/answer.txt\n+green\n');
  });

  it('a USD cap of $0.025 at $0.01 a call allows 3 calls (checked before each: $0, $0.01, $0.02 < $0.025)', async () => {
    const run = await runBashAgent({ model: writer(0.01), sandbox: new ScriptedSandbox(), task, instructions: '', caps: { budgetUsd: 0.025 } });
    expect(run.exitReason).toBe('budget_exhausted');
    expect(run.steps).toBe(3);
    expect(run.costUsd).toBeCloseTo(0.03, 12);
    expect(run.trajectory.extra.capReached).toBe('costUsd');
  });

  it('a token cap of 240 at 120 tokens a call allows 2 calls', async () => {
    const run = await runBashAgent({ model: writer(0), sandbox: new ScriptedSandbox(), task, instructions: '', caps: { budgetTokens: 240 } });
    expect(run.exitReason).toBe('budget_exhausted');
    expect(run.steps).toBe(2);
    expect(run.usage.inputTokens + run.usage.outputTokens).toBe(240);
    expect(run.trajectory.extra.capReached).toBe('tokens');
  });

  it('caps wider than the work change nothing; the worker’s own tighter limit keeps its own reason', async () => {
    const wide = await runBashAgent({ model: writer(0.01), sandbox: new ScriptedSandbox(), task, instructions: '', caps: { maxSteps: 10, budgetUsd: 1, budgetTokens: 10_000 } });
    expect(wide.exitReason).toBe('submitted');
    expect(wide.steps).toBe(5);
    const own = await runBashAgent({ model: writer(0.01), sandbox: new ScriptedSandbox(), task, instructions: '', limits: { maxSteps: 2 }, caps: { maxSteps: 4 } });
    expect(own.exitReason).toBe('step-limit');
  });

  it('capReached names the first cap reached, steps before USD before tokens', () => {
    expect(capReached(undefined, { steps: 99, costUsd: 99, tokens: 99 })).toBeUndefined();
    expect(capReached({ maxSteps: 3, budgetUsd: 1 }, { steps: 3, costUsd: 2, tokens: 0 })).toBe('steps');
    expect(capReached({ maxSteps: 3, budgetUsd: 1 }, { steps: 2, costUsd: 1, tokens: 0 })).toBe('costUsd');
    expect(capReached({ budgetTokens: 0 }, { steps: 0, costUsd: 0, tokens: 0 })).toBe('tokens');
  });
});
