import { describe, expect, it } from 'vitest';
import { runBashAgent } from '../../src/runtime/scaffold/bash-agent.js';
import { ScriptedSandbox, scriptedTask } from '../support/scripted-sandbox.js';
import { bash, scriptedModel } from './scripted-model.js';

// The agent loop on the in-memory sandbox: runs on any machine (no bubblewrap), same code path.
const task = scriptedTask('delta', 'green');

describe('bash agent loop on a scripted sandbox', () => {
  it('writes, reads back and submits; the diff is the patch; every call is billed', async () => {
    const model = scriptedModel([bash("cat > answer.txt <<'EOF'\ngreen\nEOF"), bash('cat answer.txt'), bash('echo MARKETBENCH_SUBMIT')], { costUsd: 0.01 });
    const sandbox = new ScriptedSandbox();
    const run = await runBashAgent({ model, sandbox, task, instructions: 'write answer.txt' });
    expect(run.exitReason).toBe('submitted');
    expect(run.steps).toBe(3);
    expect(run.costUsd).toBeCloseTo(0.03, 12);
    expect(run.patch).toBe('--- a/answer.txt\n+++ b/answer.txt\n+green\n');
    // The model saw the file's content as the second observation.
    expect(model.calls[2]?.at(-1)?.content).toContain('green');
  });

  it('stops at the step limit and at the cost limit, whichever comes first', async () => {
    const looping = () => scriptedModel(() => bash('echo still working'), { costUsd: 0.25 });
    const bySteps = await runBashAgent({ model: looping(), sandbox: new ScriptedSandbox(), task, instructions: '', limits: { maxSteps: 3 } });
    expect(bySteps.exitReason).toBe('step-limit');
    expect(bySteps.steps).toBe(3);
    // $0.25 per call: after 4 calls $1.00 ≥ the $1 cap, so the 5th is never made.
    const byCost = await runBashAgent({ model: looping(), sandbox: new ScriptedSandbox(), task, instructions: '', limits: { maxSteps: 50, maxCostUsd: 1 } });
    expect(byCost.exitReason).toBe('cost-limit');
    expect(byCost.steps).toBe(4);
    expect(byCost.costUsd).toBeCloseTo(1, 12);
  });

  it('an unknown command is an observation with its exit code, not a crash', async () => {
    const model = scriptedModel([bash('frobnicate --all'), bash('echo MARKETBENCH_SUBMIT')]);
    const run = await runBashAgent({ model, sandbox: new ScriptedSandbox(), task, instructions: '' });
    expect(run.exitReason).toBe('submitted');
    expect(model.calls[1]?.at(-1)?.content).toContain('127');
  });
});
