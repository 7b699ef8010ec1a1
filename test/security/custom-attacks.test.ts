/**
 * Red-team and outcome tests on a custom JSONL task (judged by its test command in the candidate's
 * workspace, graded by the named tests in its TAP output), through the public `attempt` path. Also
 * checks that infrastructure failures (no model reachable, a sandbox that cannot start) are
 * retryable job failures and never stored as the worker failing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { loadCustomTasks } from '../../src/runtime/suites/custom-suite.js';
import { AttackHarness, writeCommand } from './attack-harness.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the custom-task security suite: ${availability.reason}`);

const HIDDEN =
  "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { double } from '../src/double.js';\ntest('doubles negatives', () => assert.equal(double(-2), -4));\n";
const FIX = "sed -i 's/Math.abs(x) \\* 2/x * 2/' src/double.js";

/** A folder with a buggy repository and a task file; `extra` overrides fields of the task line. */
function fixture(extra: Record<string, unknown> = {}): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mb-custom-attack-'));
  mkdirSync(join(dir, 'repo/src'), { recursive: true });
  mkdirSync(join(dir, 'repo/test'), { recursive: true });
  writeFileSync(join(dir, 'repo/package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'repo/src/double.js'), 'export const double = (x) => Math.abs(x) * 2;\n');
  writeFileSync(
    join(dir, 'repo/test/double.test.js'),
    "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { double } from '../src/double.js';\ntest('doubles', () => assert.equal(double(3), 6));\n",
  );
  const task = {
    id: 'double',
    statement: 'double(-2) returns 4 instead of -4.',
    repo: 'repo',
    test: 'node --test test/*.test.js',
    hiddenFiles: { 'test/hidden.test.js': HIDDEN },
    failToPass: ['doubles negatives'],
    passToPass: ['doubles'],
    timeoutSeconds: 10,
    ...extra,
  };
  const file = join(dir, 'tasks.jsonl');
  writeFileSync(file, `${JSON.stringify(task)}\n`);
  return { dir, file };
}

let harness: AttackHarness;
const folders: string[] = [];
beforeAll(async () => {
  harness = await AttackHarness.start();
});
afterAll(async () => {
  await harness.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** One attack on the fixture's task. */
async function attack(commands: string[], extra: Record<string, unknown> = {}) {
  const { dir, file } = fixture(extra);
  folders.push(dir);
  return harness.attack({ suite: file, task: 'double', commands });
}

describe('bad input', () => {
  it('a custom task without named tests or a result file is refused at load, with file and line', () => {
    const { dir, file } = fixture();
    folders.push(dir);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ id: 'a', statement: 's', repo: 'repo', test: 'node --test', failToPass: ['x'] })}\n${JSON.stringify({ id: 'b', statement: 's', repo: 'repo', test: 'exit 0' })}\n`);
    expect(() => loadCustomTasks(bad)).toThrow(`${bad}:2: field 'failToPass': a task needs named tests`);
    expect(loadCustomTasks(file)).toHaveLength(1);
  });
});

describe.skipIf(!availability.ok)('security: attacks on a custom task end unresolved, and the harness survives', () => {
  it('control: the real fix through the same path is resolved', async () => {
    const result = await attack([FIX]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.resolved, result.evaluation?.detail).toBe(true);
  });

  it('test/ replaced by a symlink: the attempt is stored unresolved, never a stuck failed job [issue]', async () => {
    const result = await attack(['rm -rf test && ln -s /etc test']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.jobs.map((job) => job.status)).toEqual(['done']);
    expect(result.resolved).toBe(false);
    expect(result.evaluation?.detail).toMatch(/symlink/);
  });

  it('test/ replaced by a file so the hidden tests cannot be written: an evaluation error after the patch is unresolved with its reason [own]', async () => {
    const result = await attack(['rm -rf test && echo not-a-folder > test']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.jobs.map((job) => job.status)).toEqual(['done']);
    expect(result.resolved).toBe(false);
    expect(result.evaluation?.detail).toMatch(/^evaluation error after the patch applied: /);
  });

  it('overwrites the hidden test with one that always passes [escape already tested]', async () => {
    const result = await attack([writeCommand('test/hidden.test.js', "import { test } from 'node:test';\ntest('doubles negatives', () => {});")]);
    expect(result.resolved).toBe(false);
    expect(result.evaluation?.detail).toMatch(/hidden test file/);
  });

  it('prints forged TAP for every named test and exits 0 before the real tests run [issue]', async () => {
    const result = await attack([
      writeCommand('src/double.js', "console.log('ok 1 - doubles negatives\\nok 2 - doubles');\nprocess.exit(0);\nexport const double = (x) => Math.abs(x) * 2;"),
    ]);
    // The known weakness of same-process test commands (as in SWE-bench's harness): TAP is parsed
    // from the candidate's own process. The verdict here stays unresolved only because node --test
    // reports the crashed file; the built-in and code suites do not have this weakness.
    expect(result.resolved, result.evaluation?.detail).toBe(false);
  });

  it('a test command that never ends is cut at the time limit and unresolved [own]', async () => {
    const result = await attack([writeCommand('src/double.js', 'while (true) {}\nexport const double = (x) => x * 2;')], { timeoutSeconds: 3 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.resolved).toBe(false);
    expect(result.evaluation?.detail).toMatch(/timed out/);
  });
});

describe.skipIf(!availability.ok)('security: timing the judge out on purpose', () => {
  /** The fixture's task with a judge kept apart (probes in the candidate, expected values in the judge). */
  function judged(): { dir: string; file: string } {
    const made = fixture({ judge: { probes: 'probes.ts', expected: 'expected.cjs' }, timeoutSeconds: 3 });
    writeFileSync(join(made.dir, 'probes.ts'), "import { double } from '../src/double.js';\nexport default { 'doubles negatives': () => double(-2), 'doubles': () => double(3) };\n");
    writeFileSync(join(made.dir, 'expected.cjs'), "module.exports = { 'doubles negatives': -4, 'doubles': 6 };\n");
    return made;
  }

  it('control: the real fix is resolved by the judge', async () => {
    const { dir, file } = judged();
    folders.push(dir);
    const result = await harness.attack({ suite: file, task: 'double', commands: [FIX] });
    expect(result.resolved, result.evaluation?.detail).toBe(true);
  });

  it('a candidate that never answers the judge\'s call (it spins only when called) is cut at the time limit and unresolved [own]', async () => {
    const { dir, file } = judged();
    folders.push(dir);
    const result = await harness.attack({
      suite: file,
      task: 'double',
      commands: [writeCommand('src/double.js', 'export const double = (x) => { if (x < 0) for (;;) {} return x * 2; };')],
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.jobs.map((job) => job.status)).toEqual(['done']);
    expect(result.resolved).toBe(false);
    expect(result.evaluation?.detail).toMatch(/timed out/);
  });
});

describe.skipIf(!availability.ok)('infrastructure failures are retryable job failures, never the worker failing', () => {
  it('no model reachable: the job fails as an infrastructure error and no attempt is stored', async () => {
    const { dir, file } = fixture();
    folders.push(dir);
    const result = await harness.attack({ suite: file, task: 'double', commands: [FIX], baseUrl: 'http://127.0.0.1:9/v1' });
    expect(result.resolved).toBeUndefined();
    expect(result.jobs.map((job) => job.status)).toEqual(['failed']);
    expect(result.jobs[0]?.error).toMatch(/^infrastructure error, retried on the next run \(not the worker's failure\): the model could not be reached/);
  });

  it('a sandbox that cannot start (setup fails): the job fails as an infrastructure error and no attempt is stored', async () => {
    const result = await attack([FIX], { setup: 'exit 3' });
    expect(result.resolved).toBeUndefined();
    expect(result.jobs.map((job) => job.status)).toEqual(['failed']);
    expect(result.jobs[0]?.error).toMatch(/^infrastructure error, retried on the next run \(not the worker's failure\): the sandbox could not start/);
  });
});
