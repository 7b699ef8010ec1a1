import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { loadCodeTasks } from '../../src/runtime/suites/code-task-loader.js';
import { codeSpecOf, evaluateCodeTask } from '../../src/runtime/suites/code-task-suite.js';
import { parsePatchPaths, rejectionReason } from '../../src/runtime/suites/judge/candidate-patch.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = resolve(projectRoot, '../shared/data');
const haveData = existsSync(dataDir);
const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping evaluation integrity sandbox tests: ${availability.reason}`);
if (!haveData) console.warn(`skipping evaluation integrity data tests: ${dataDir} is absent`);

const section = (path: string) => `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+x\n`;

describe('the patch rules', () => {
  it('refuses tool, git and harness folders, hidden files and paths outside the allowed folders; keeps the rest', () => {
    const rules = { protectedPaths: ['test/hidden.test.js'], allowedPaths: ['src/', 'test/'] };
    expect(rejectionReason('src/a.js', rules)).toBeUndefined();
    expect(rejectionReason('test/visible.test.js', rules)).toBeUndefined();
    expect(rejectionReason('node_modules/tsx/index.js', rules)).toMatch(/node_modules/);
    expect(rejectionReason('src/node_modules/x.js', rules)).toMatch(/node_modules/);
    expect(rejectionReason('src/.git/config', rules)).toMatch(/\.git/);
    expect(rejectionReason('.marketbench/probes.ts', {})).toMatch(/\.marketbench/);
    expect(rejectionReason('test/hidden.test.js', rules)).toMatch(/hidden test/);
    expect(rejectionReason('package.json', rules)).toMatch(/allowed paths/);
    expect(rejectionReason('srcx/a.js', rules)).toMatch(/allowed paths/);
    expect(rejectionReason('package.json', {})).toBeUndefined();
  });

  it('reads NUL-separated paths with spaces, quotes, tabs and newlines exactly', () => {
    const output = '1\t0\tsrc/a b.js\x002\t1\tsrc/"q"\nline.js\x00-\t-\tbin/x\ty\x00\x00MARKETBENCH-SUMMARY\x00 create mode 120000 src/link\n';
    expect(parsePatchPaths(output)).toEqual({ paths: ['src/a b.js', 'src/"q"\nline.js', 'bin/x\ty'], summary: [' create mode 120000 src/link'] });
  });
});

describe.skipIf(!availability.ok)('a candidate cannot fake a pass', () => {
  it('a repository patch with node_modules and a planted symlink at the hidden test is judged on the real tests', async () => {
    const suite = builtinSuite();
    const task = (await suite.loadTasks()).find((candidate) => candidate.id === 'semver-compare-numeric') as Task;
    const symlink = 'diff --git a/test/semver.hidden.test.js b/test/semver.hidden.test.js\nnew file mode 120000\n--- /dev/null\n+++ b/test/semver.hidden.test.js\n@@ -0,0 +1 @@\n+/dev/null\n\\ No newline at end of file\n';
    const cheat = section('node_modules/fake/index.js') + symlink;
    expect((await suite.evaluate({ task, patch: cheat })).resolved).toBe(false);
    const fixed = await suite.evaluate({ task, patch: `${String(task.metadata.fixPatch)}${cheat}` });
    expect(fixed.resolved, fixed.log).toBe(true);
  });

  it.skipIf(!haveData)('a wrong solution that forces exit 0 (Python atexit, Node uncaughtException) is unresolved', async () => {
    const python = codeSpecOf(loadCodeTasks(join(dataDir, 'humaneval/HumanEval.jsonl'))[0] as Task);
    const forced = `import atexit, os\natexit.register(lambda: os._exit(0))\n${python.prompt}    return True\n`;
    const pyResult = await evaluateCodeTask({ spec: python, solution: forced });
    expect(pyResult.resolved).toBe(false);
    expect(pyResult.detail).toMatch(/0\/1 FAIL_TO_PASS/);

    const ts = codeSpecOf(loadCodeTasks(join(dataDir, 'mbxp-ts/mbtsp_release_v1.2.jsonl'))[0] as Task);
    const swallow = `process.on('uncaughtException', () => {});\n${ts.prompt}  return 0;\n}\n`;
    const tsResult = await evaluateCodeTask({ spec: ts, solution: swallow });
    expect(tsResult.resolved).toBe(false);
    expect(tsResult.detail).toMatch(/0\/1 FAIL_TO_PASS/);
  });
});
