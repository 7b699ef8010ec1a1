import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { loadCodeTasks } from '../../src/runtime/suites/code-task-loader.js';
import { codeSpecOf, evaluateCodeTask } from '../../src/runtime/suites/code-task-suite.js';
import { evaluationKeep, filterPatch } from '../../src/runtime/suites/filter-patch.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = resolve(projectRoot, '../shared/data');
const haveData = existsSync(dataDir);
const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping evaluation integrity sandbox tests: ${availability.reason}`);
if (!haveData) console.warn(`skipping evaluation integrity data tests: ${dataDir} is absent`);

const section = (path: string) => `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+x\n`;

describe('filterPatch', () => {
  it('drops node_modules and hidden paths, keeps the rest in order', () => {
    const patch = section('src/a.js') + section('node_modules/tsx/index.js') + section('test/hidden.test.js') + section('lib/node_modules/x.js') + section('src/b.js');
    const { patch: kept, dropped } = filterPatch(patch, evaluationKeep(['test/hidden.test.js']));
    expect(kept).toBe(section('src/a.js') + section('src/b.js'));
    expect(dropped).toEqual(['node_modules/tsx/index.js', 'test/hidden.test.js', 'lib/node_modules/x.js']);
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
    expect(pyResult.detail).toBe('exit 0 but the tests did not run to the end');

    const ts = codeSpecOf(loadCodeTasks(join(dataDir, 'mbxp-ts/mbtsp_release_v1.2.jsonl'))[0] as Task);
    const swallow = `process.on('uncaughtException', () => {});\n${ts.prompt}  return 0;\n}\n`;
    const tsResult = await evaluateCodeTask({ spec: ts, solution: swallow });
    expect(tsResult.resolved).toBe(false);
    expect(tsResult.detail).toBe('exit 0 but the tests did not run to the end');
  });
});
