import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import {
  MOCK_TRIES,
  parseMockModelId,
  solvingTry,
  successWithinSteps,
  triesWithinSteps,
  trueSuccessProbability,
} from '../../src/runtime/providers/mock/mock-policy.js';
import { resolveModel } from '../../src/runtime/providers/resolve-model.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { runBashAgent } from '../../src/runtime/scaffold/bash-agent.js';
import { providerAgentModel } from '../../src/runtime/scaffold/provider-agent-model.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping mock budget attempts: ${availability.reason}`);

const suite = builtinSuite();
const tasks = await suite.loadTasks();

/** The solve draw, recomputed here from its definition: the first 48 bits of sha256('solve', seed, model id, statement). */
function solveDraw(seed: string, modelId: string, statement: string): number {
  return createHash('sha256').update(['solve', seed, modelId, statement.trim()].join('\u0000')).digest().readUIntBE(0, 6) / 2 ** 48;
}

describe('the mock agent solves more often with more steps', () => {
  it('the solving try is ⌈u/p · 3⌉ for u < p and none otherwise', () => {
    const modelId = 'calibrated?skill=0.7&seed=4';
    const policy = parseMockModelId(modelId);
    let tries = 0;
    for (const task of tasks) {
      const u = solveDraw('4', modelId, task.statement);
      const p = trueSuccessProbability(policy, task.statement);
      const expected = u < p ? Math.ceil((u / p) * 3) : undefined;
      expect(solvingTry(policy, modelId, task.statement)).toBe(expected);
      if (expected !== undefined && expected > 1) tries += 1;
    }
    // Some task needs more than one try, or the budget would never matter.
    expect(tries).toBeGreaterThan(0);
  });

  it('tries within a step cap: two reading steps, then two steps a try (3 steps → 1, 5 → 2, 7 and more → 3)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(triesWithinSteps)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(MOCK_TRIES).toBe(3);
    const policy = parseMockModelId('calibrated?skill=0.6');
    const p = trueSuccessProbability(policy, tasks[0]?.statement ?? '');
    expect(successWithinSteps(policy, tasks[0]?.statement ?? '', 5)).toBeCloseTo((p * 2) / 3, 12);
    expect(successWithinSteps(policy, tasks[0]?.statement ?? '', 9)).toBeCloseTo(p, 12);
  });

  it.skipIf(!availability.ok)('in the real sandbox, a step cap one short of the solving edit fails and the cap that reaches it resolves (judged on the diff at the cap)', async () => {
    // Find a task this worker fixes on its second or third try (computed from the draw, not the agent).
    const modelId = 'calibrated?skill=0.7&seed=4';
    const policy = parseMockModelId(modelId);
    const found = tasks
      .map((task) => ({ task, u: solveDraw('4', modelId, task.statement), p: trueSuccessProbability(policy, task.statement) }))
      .find(({ u, p }) => u < p && Math.ceil((u / p) * 3) >= 2) as { task: Task; u: number; p: number };
    const solvingOn = Math.ceil((found.u / found.p) * 3);
    const model = resolveModel(`mock:${modelId}`, { env: {} });
    const run = async (maxSteps: number) => {
      const sandbox = await suite.startWorkspace(found.task);
      try {
        const agent = await runBashAgent({
          model: providerAgentModel({ model, maxOutputTokens: 4096 }),
          sandbox,
          task: found.task,
          instructions: suite.instructions(found.task),
          caps: { maxSteps },
        });
        const evaluation = await suite.evaluate({ task: found.task, patch: agent.patch });
        return { agent, resolved: evaluation.resolved };
      } finally {
        await sandbox.dispose();
      }
    };
    // Try k's edit is the (2k + 1)-th step: a cap of 2k stops just before it.
    const short = await run(2 * solvingOn);
    expect(short.agent.exitReason).toBe('budget_exhausted');
    expect(short.agent.steps).toBe(2 * solvingOn);
    expect(short.resolved).toBe(false);
    const enough = await run(2 * solvingOn + 1);
    expect(enough.agent.exitReason).toBe('budget_exhausted');
    expect(enough.resolved).toBe(true);
    const unlimited = await run(50);
    expect(unlimited.agent.exitReason).toBe('submitted');
    expect(unlimited.agent.steps).toBe(2 + 2 * solvingOn + 1);
    expect(unlimited.resolved).toBe(true);
  }, 120_000);
});
