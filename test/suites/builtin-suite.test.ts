import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping built-in suite checks: ${availability.reason}`);

const suite = builtinSuite();
const tasks = await suite.loadTasks();

describe('built-in suite: manifest', () => {
  it('has at least 12 tasks in JavaScript and TypeScript, each with a failing test and a known fix', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(12);
    const languages = new Set(tasks.map((task) => task.features.language));
    expect(languages).toEqual(new Set(['javascript', 'typescript']));
    expect(new Set(tasks.map((task) => task.id)).size).toBe(tasks.length);
    for (const task of tasks) {
      expect(task.tests.failToPass.length, task.id).toBeGreaterThan(0);
      expect(String(task.metadata.fixPatch), task.id).toMatch(/^diff --git /);
      expect(new Set(task.tests.failToPass).size + new Set(task.tests.passToPass).size, task.id).toBe(
        new Set([...task.tests.failToPass, ...task.tests.passToPass]).size,
      );
    }
  });
});

describe.skipIf(!availability.ok)('built-in suite: every failing test fails on the base and passes with the known fix', () => {
  /** Base and fixed evaluation of one task. */
  async function check(task: Task): Promise<void> {
    const base = await suite.evaluate({ task, patch: '' });
    expect(base.resolved, `${task.id} base: ${base.detail}\n${base.log}`).toBe(false);
    for (const name of task.tests.failToPass) expect(base.failed, `${task.id} base`).toContain(name);
    for (const name of task.tests.passToPass) expect(base.passed, `${task.id} base`).toContain(name);

    const fixed = await suite.evaluate({ task, patch: String(task.metadata.fixPatch) });
    expect(fixed.patchApplied, task.id).toBe(true);
    expect(fixed.resolved, `${task.id} fixed: ${fixed.detail}\n${fixed.log}`).toBe(true);
    expect(fixed.failed, task.id).toEqual([]);
  }

  // Two tasks at a time: the machine has two cores.
  for (let i = 0; i < tasks.length; i += 2) {
    const pair = tasks.slice(i, i + 2);
    it(pair.map((task) => task.id).join(' + '), async () => {
      await Promise.all(pair.map(check));
    });
  }

  it('a patch that edits the hidden test instead of the code is still judged by the real test', async () => {
    const task = tasks.find((candidate) => candidate.id === 'slugify-spaces') as Task;
    const cheat = [
      'diff --git a/test/slugify.hidden.test.ts b/test/slugify.hidden.test.ts',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/test/slugify.hidden.test.ts',
      '@@ -0,0 +1,2 @@',
      "+import { test } from 'node:test';",
      "+test('replaces every gap', () => {});",
      '',
    ].join('\n');
    const result = await suite.evaluate({ task, patch: cheat });
    expect(result.patchApplied).toBe(true);
    expect(result.resolved).toBe(false);
  });

  it('a patch that does not apply is unresolved, not an error', async () => {
    const task = tasks[0] as Task;
    const result = await suite.evaluate({ task, patch: 'diff --git a/src/nope.js b/src/nope.js\n--- a/src/nope.js\n+++ b/src/nope.js\n@@ -1 +1 @@\n-x\n+y\n' });
    expect(result.patchApplied).toBe(false);
    expect(result.resolved).toBe(false);
  });
});
