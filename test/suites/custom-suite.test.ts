import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { customSuite, loadCustomTasks } from '../../src/runtime/suites/custom-suite.js';
import { detectSuiteKind, resolveSuite } from '../../src/runtime/suites/resolve-suite.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping custom suite sandbox tests: ${availability.reason}`);

const HIDDEN = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { double } from '../src/double.js';
test('doubles negatives', () => assert.equal(double(-2), -4));
`;
const FIX = `diff --git a/src/double.js b/src/double.js
--- a/src/double.js
+++ b/src/double.js
@@ -1 +1 @@
-export const double = (x) => Math.abs(x) * 2;
+export const double = (x) => x * 2;
`;

/** A tiny repository with a bug, as a folder and as a git repository with two commits. */
function fixture(): { dir: string; file: string; commit: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mb-custom-'));
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  mkdirSync(join(repo, 'test'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(repo, 'src/double.js'), 'export const double = (x) => Math.abs(x) * 2;\n');
  writeFileSync(join(repo, 'test/double.test.js'), "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { double } from '../src/double.js';\ntest('doubles', () => assert.equal(double(3), 6));\n");
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'base');
  const commit = git('rev-parse', 'HEAD').stdout.trim();
  // A later commit that must not be what the task starts from.
  writeFileSync(join(repo, 'LATER.md'), 'later\n');
  git('add', '-A');
  git('commit', '-qm', 'later');
  const row = (id: string, extra: Record<string, unknown>) =>
    JSON.stringify({
      id,
      statement: 'double(-2) returns 4 instead of -4.',
      repo: 'repo',
      test: 'node --test test/*.test.js',
      hiddenFiles: { 'test/hidden.test.js': HIDDEN },
      failToPass: ['doubles negatives'],
      passToPass: ['doubles'],
      language: 'javascript',
      ...extra,
    });
  const file = join(dir, 'tasks.jsonl');
  writeFileSync(file, `${row('folder', {})}\n${row('pinned', { commit })}\n`);
  return { dir, file, commit };
}

describe('custom JSONL suite', () => {
  it('loads folders and pinned commits, and is detected from its fields', () => {
    const { file, commit } = fixture();
    const tasks = loadCustomTasks(file, { cacheDir: join(tmpdir(), `mb-custom-cache-${process.pid}`) });
    expect(tasks.map((task) => task.id)).toEqual(['folder', 'pinned']);
    expect(tasks[1]?.baseCommit).toBe(commit);
    expect(detectSuiteKind(file)).toBe('custom');
    expect(resolveSuite(file, { cwd: '/' }).name).toBe('custom');
  });

  it('names the line and field of a bad row', () => {
    const { dir } = fixture();
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"id":"x","statement":"s","repo":"repo"}\n');
    expect(() => loadCustomTasks(file)).toThrow(`${file}:1: field 'test':`);
  });

  it.skipIf(!availability.ok)('judges the base unresolved and the fix resolved, from a folder and from a pinned commit', async () => {
    const { file } = fixture();
    const suite = customSuite({ file, cacheDir: join(tmpdir(), `mb-custom-cache-${process.pid}`) });
    const tasks = await suite.loadTasks();
    for (const task of tasks as Task[]) {
      const base = await suite.evaluate({ task, patch: '' });
      expect(base.resolved, task.id).toBe(false);
      expect(base.failed).toEqual(['doubles negatives']);
      const fixed = await suite.evaluate({ task, patch: FIX });
      expect(fixed.resolved, `${task.id}: ${fixed.log}`).toBe(true);
    }
    const pinned = await suite.startWorkspace(tasks[1] as Task);
    try {
      expect((await pinned.exec('ls LATER.md 2>&1')).stdout).toContain('No such file');
      // Only the base commit is in the workspace's history (the harness's baseline lives outside it).
      expect((await pinned.exec('git log --all --format=%s')).stdout).toBe('base\n');
    } finally {
      await pinned.dispose();
    }
  });
});
