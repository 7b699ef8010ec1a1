import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { AgentModelError } from '../../src/runtime/scaffold/agent-model.js';
import { runBashAgent } from '../../src/runtime/scaffold/bash-agent.js';
import { runExternalAgent } from '../../src/runtime/scaffold/external-agent.js';
import { runOneShotPatch } from '../../src/runtime/scaffold/one-shot.js';
import type { Trajectory } from '../../src/runtime/scaffold/trajectory.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { bash, scriptedModel } from './scripted-model.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping scaffold tests: ${availability.reason}`);

const suite = builtinSuite();
const tasks = await suite.loadTasks();
const slugify = tasks.find((task) => task.id === 'slugify-spaces') as Task;
/** The one-line fix of slugify-spaces: add the missing g flag. */
const FIX = "sed -i 's|/\\[^a-z0-9\\]+/, |/[^a-z0-9]+/g, |' src/slugify.ts";

describe.skipIf(!availability.ok)('bash agent loop (scripted model, real sandbox)', () => {
  it('reads, fixes, tests and submits; format errors are counted and billed; the fix is judged resolved', async () => {
    const model = scriptedModel(
      [
        bash('cat src/slugify.ts', 'read the code'),
        'I will now fix the regex.',
        `${bash('ls')}\n${bash('pwd')}`,
        bash(FIX, 'add the g flag'),
        bash('node --import tsx --test test/*.test.ts 2>&1 | tail -3 && node --import tsx -e "import(\'./src/slugify.ts\').then(m => console.log(m.slugify(\'Hello Big World\')))"'),
        bash('echo MARKETBENCH_SUBMIT'),
      ],
      { costUsd: 0.02, usage: { inputTokens: 1000, outputTokens: 50, cachedInputTokens: 200 } },
    );
    const saved: Trajectory[] = [];
    const sandbox = await suite.startWorkspace(slugify);
    let run: Awaited<ReturnType<typeof runBashAgent>>;
    try {
      run = await runBashAgent({
        model,
        sandbox,
        task: slugify,
        instructions: suite.instructions(slugify),
        onStep: (trajectory) => {
          saved.push(structuredClone(trajectory));
        },
      });
    } finally {
      await sandbox.dispose();
    }
    expect(run.exitReason).toBe('submitted');
    expect(run.steps).toBe(6);
    expect(run.formatErrors).toBe(2);
    // Six calls at $0.02 each, format errors included; tokens 6 × (1000 in, 50 out, 200 cached).
    expect(run.costUsd).toBeCloseTo(0.12, 12);
    expect(run.usage).toEqual({ inputTokens: 6000, outputTokens: 300, cachedInputTokens: 1200 });
    // Saved after each of the five non-final steps, then once at the end.
    expect(saved.map((trajectory) => trajectory.steps.length)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(saved.at(-1)?.exitReason).toBe('submitted');
    // The model saw the file, the format errors, and the test run.
    expect(model.calls[1]?.at(-1)?.content).toContain(".replace(/[^a-z0-9]+/, '-')");
    expect(model.calls[2]?.at(-1)?.content).toContain('Format error: No ```bash code block');
    expect(model.calls[3]?.at(-1)?.content).toContain('exactly one is allowed');
    expect(model.calls[5]?.at(-1)?.content).toContain('hello-big-world');
    expect(run.patch).toContain("+    .replace(/[^a-z0-9]+/g, '-')");
    const verdict = await suite.evaluate({ task: slugify, patch: run.patch });
    expect(verdict.resolved).toBe(true);
  });

  it('a wrong fix submits but is judged unresolved', async () => {
    const model = scriptedModel([bash("sed -i 's|toLowerCase()|toUpperCase()|' src/slugify.ts"), bash('echo MARKETBENCH_SUBMIT')]);
    const sandbox = await suite.startWorkspace(slugify);
    try {
      const run = await runBashAgent({ model, sandbox, task: slugify, instructions: '' });
      expect(run.exitReason).toBe('submitted');
      expect((await suite.evaluate({ task: slugify, patch: run.patch })).resolved).toBe(false);
    } finally {
      await sandbox.dispose();
    }
  });

  it('stops at the step, cost and time limits, and on model failures', async () => {
    const sandbox = await suite.startWorkspace(slugify);
    try {
      const chatty = () => scriptedModel(() => bash('echo working'), { costUsd: 0.4 });
      const steps = await runBashAgent({ model: chatty(), sandbox, task: slugify, instructions: '', limits: { maxSteps: 3, maxCostUsd: 100 } });
      expect(steps.exitReason).toBe('step-limit');
      expect(steps.steps).toBe(3);
      // $0.4 per call, cap $1: checked before each call, so calls 1–3 run (0.4, 0.8, then 1.2 ≥ 1 stops).
      const cost = await runBashAgent({ model: chatty(), sandbox, task: slugify, instructions: '', limits: { maxSteps: 100, maxCostUsd: 1 } });
      expect(cost.exitReason).toBe('cost-limit');
      expect(cost.steps).toBe(3);
      expect(cost.costUsd).toBeCloseTo(1.2, 12);
      // A clock that advances 10 s per reading, limit 25 s: start 0; checks at 10 (call), …
      let clock = 0;
      const time = await runBashAgent({
        model: chatty(),
        sandbox,
        task: slugify,
        instructions: '',
        limits: { maxWallMs: 25_000 },
        now: () => {
          clock += 10_000;
          return clock;
        },
      });
      expect(time.exitReason).toBe('time-limit');
      const failing = {
        async query(): Promise<never> {
          throw new AgentModelError({ reason: 'budget', message: 'budget reached', spentUsd: 0.05 });
        },
      };
      const budget = await runBashAgent({ model: failing, sandbox, task: slugify, instructions: '' });
      expect(budget.exitReason).toBe('budget');
      expect(budget.costUsd).toBe(0.05);
      expect(budget.error).toContain('budget reached');
    } finally {
      await sandbox.dispose();
    }
  });
});

describe.skipIf(!availability.ok)('one-shot and external scaffolds', () => {
  it('one-shot: a diff reply is applied and judged; a reply without a diff is patch-failed', async () => {
    const good = scriptedModel([`Here is the fix.\n\n\`\`\`diff\n${String(slugify.metadata.fixPatch)}\`\`\`\n`]);
    const sandbox = await suite.startWorkspace(slugify);
    try {
      const run = await runOneShotPatch({ model: good, sandbox, task: slugify, instructions: suite.instructions(slugify) });
      expect(run.exitReason).toBe('submitted');
      expect(good.calls[0]?.[1]?.content).toContain('=== FILE: src/slugify.ts');
      expect((await suite.evaluate({ task: slugify, patch: run.patch })).resolved).toBe(true);
    } finally {
      await sandbox.dispose();
    }
    const bad = await suite.startWorkspace(slugify);
    try {
      const run = await runOneShotPatch({ model: scriptedModel(['I cannot do that.']), sandbox: bad, task: slugify, instructions: '' });
      expect(run.exitReason).toBe('patch-failed');
      expect(run.patch).toBe('');
      expect(run.steps).toBe(1);
    } finally {
      await bad.dispose();
    }
  });

  it('external: runs a CLI agent, collects its diff and reported usage', async () => {
    const sandbox = await suite.startWorkspace(slugify);
    try {
      const command = [
        'test "$MARKETBENCH_TASK_ID" = slugify-spaces',
        'grep -q "Hello Big World" "$MARKETBENCH_TASK_FILE"',
        FIX,
        'echo \'{"inputTokens": 1000, "outputTokens": 200, "steps": 4}\' > "$MARKETBENCH_USAGE_FILE"',
      ].join(' && ');
      const run = await runExternalAgent({
        sandbox,
        task: slugify,
        instructions: suite.instructions(slugify),
        command,
        pricing: { inputPerToken: 1e-6, outputPerToken: 5e-6 },
      });
      expect(run.exitReason).toBe('submitted');
      // 1000 × $1e-6 + 200 × $5e-6 = $0.002.
      expect(run.costUsd).toBeCloseTo(0.002, 12);
      expect(run.steps).toBe(4);
      expect(run.patch).not.toContain('.marketbench');
      expect((await suite.evaluate({ task: slugify, patch: run.patch })).resolved).toBe(true);
      const stdoutUsage = await runExternalAgent({
        sandbox,
        task: slugify,
        instructions: '',
        command: 'echo working; echo \'{"marketbench_usage": {"costUsd": 0.5}}\'; exit 3',
      });
      expect(stdoutUsage.costUsd).toBe(0.5);
      expect(stdoutUsage.exitReason).toBe('agent-error');
    } finally {
      await sandbox.dispose();
    }
  });
});
