import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import type { Task } from '../../src/core/task.js';
import { Store } from '../../src/runtime/store/index.js';
import { mergeSwebenchReport, predictionsJsonl, swebenchPredictions } from '../../src/runtime/suites/swebench-predictions.js';
import {
  gradeSwebench,
  newFilesOfPatch,
  parseDjangoLog,
  parsePytestLog,
  parseSympyLog,
  swebenchTestCommand,
  testDirectives,
} from '../../src/runtime/suites/swebench-specs.js';
import { swebenchSuite } from '../../src/runtime/suites/swebench-suite.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = resolve(projectRoot, '../shared/data');
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`skipping SWE-bench data tests: ${dataDir} is absent`);

const TEST_PATCH = `diff --git a/tests/forms_tests/tests/test_forms.py b/tests/forms_tests/tests/test_forms.py
--- a/tests/forms_tests/tests/test_forms.py
+++ b/tests/forms_tests/tests/test_forms.py
@@ -1 +1,2 @@
 x
+y
diff --git a/tests/forms_tests/data/sample.json b/tests/forms_tests/data/sample.json
new file mode 100644
--- /dev/null
+++ b/tests/forms_tests/data/sample.json
@@ -0,0 +1 @@
+{}
`;

describe('SWE-bench test commands (as the official harness builds them)', () => {
  it('turns test files into directives: Django as dotted modules, data files dropped', () => {
    expect(testDirectives('django/django', TEST_PATCH)).toEqual(['forms_tests.tests.test_forms']);
    expect(testDirectives('psf/requests', TEST_PATCH)).toEqual(['tests/forms_tests/tests/test_forms.py']);
    expect(newFilesOfPatch(TEST_PATCH)).toEqual(['tests/forms_tests/data/sample.json']);
  });

  it('uses the repository test command', () => {
    expect(swebenchTestCommand({ repo: 'psf/requests', testPatch: TEST_PATCH })).toBe('pytest -rA tests/forms_tests/tests/test_forms.py');
    expect(swebenchTestCommand({ repo: 'django/django', version: '3.0', testPatch: TEST_PATCH })).toMatch(
      /\n\.\/tests\/runtests\.py --verbosity 2 --settings=test_sqlite --parallel 1 forms_tests\.tests\.test_forms$/,
    );
    expect(swebenchTestCommand({ repo: 'django/django', version: '1.9', testPatch: TEST_PATCH })).toMatch(/\.\/tests\/runtests\.py --verbosity 2 forms_tests/);
  });
});

describe('SWE-bench log parsing and grading', () => {
  it('parses pytest -rA summaries and verbose lines', () => {
    const log = [
      'tests/test_a.py::test_one PASSED                                  [ 50%]',
      '=========================== short test summary info ============================',
      'PASSED tests/test_a.py::test_one',
      'FAILED tests/test_a.py::test_two - AssertionError: boom',
      'XFAIL tests/test_a.py::test_three - reason',
      'ERROR tests/test_b.py::test_four',
    ].join('\n');
    const statuses = parsePytestLog(log);
    expect(statuses.get('tests/test_a.py::test_one')).toBe('PASSED');
    expect(statuses.get('tests/test_a.py::test_two')).toBe('FAILED');
    expect(statuses.get('tests/test_a.py::test_three')).toBe('XFAIL');
    expect(statuses.get('tests/test_b.py::test_four')).toBe('ERROR');
  });

  it('parses Django runner lines, including tests with docstrings', () => {
    const log = [
      'test_clean (forms_tests.tests.FormsTests) ... ok',
      'test_broken (forms_tests.tests.FormsTests) ... FAIL',
      'test_documented (forms_tests.tests.FormsTests)',
      'A docstring line. ... ok',
      'test_skip (forms_tests.tests.FormsTests) ... skipped "no db"',
    ].join('\n');
    const statuses = parseDjangoLog(log);
    expect(statuses.get('test_clean (forms_tests.tests.FormsTests)')).toBe('PASSED');
    expect(statuses.get('test_broken (forms_tests.tests.FormsTests)')).toBe('FAILED');
    expect(statuses.get('test_documented (forms_tests.tests.FormsTests)')).toBe('PASSED');
    expect(statuses.get('test_skip (forms_tests.tests.FormsTests)')).toBe('SKIPPED');
  });

  it('parses SymPy bin/test lines', () => {
    const statuses = parseSympyLog('test_add ok\ntest_mul F\ntest_pow E\ntest_known_bug f\n');
    expect([...statuses]).toEqual([
      ['test_add', 'PASSED'],
      ['test_mul', 'FAILED'],
      ['test_pow', 'ERROR'],
      ['test_known_bug', 'XFAIL'],
    ]);
  });

  it('resolves only when every FAIL_TO_PASS and PASS_TO_PASS test passed; a missing test fails', () => {
    const statuses = new Map([
      ['a', 'PASSED'],
      ['b', 'XFAIL'],
      ['c', 'FAILED'],
    ] as const);
    expect(gradeSwebench({ statuses: new Map(statuses), failToPass: ['a'], passToPass: ['b'] }).resolved).toBe(true);
    expect(gradeSwebench({ statuses: new Map(statuses), failToPass: ['a', 'c'], passToPass: [] })).toMatchObject({ resolved: false, failToPassPassed: 1 });
    expect(gradeSwebench({ statuses: new Map(statuses), failToPass: ['a'], passToPass: ['missing'] })).toMatchObject({ resolved: false, failed: ['missing'] });
  });
});

describe('SWE-bench suite without an engine', () => {
  it.skipIf(!haveData)('loads SWE-bench Lite with official image names; evaluating without test_patch points to the official harness', async () => {
    const suite = swebenchSuite({ file: join(dataDir, 'swebench-lite/tasks.jsonl') });
    const tasks = await suite.loadTasks();
    expect(tasks).toHaveLength(300);
    expect(suite.backend).toBe('docker');
    const django = tasks.find((task) => task.id === 'django__django-11099') as Task;
    expect((django.metadata.swebench as { image: string }).image).toBe('swebench/sweb.eval.x86_64.django_1776_django-11099:latest');
    const error = await suite.evaluate({ task: django, patch: '' }).catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('official harness');
  });
});

describe('predictions export and report merge', () => {
  it('exports attempts as predictions JSONL and merges the official verdicts, keeping costs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-swe-'));
    const store = Store.open(join(dir, 'x.db'));
    try {
      store.createRun({ kind: 'attempt', id: 'r1' });
      store.upsertTasks(['a__a-1', 'b__b-2'].map((id) => ({ id, suite: 'swebench', statement: id, tests: { failToPass: [], passToPass: [] }, features: {}, metadata: {} })));
      const outcome = { resolved: false, inputTokens: 10, outputTokens: 5, cachedTokens: 0, costUsd: 0.25, wallTimeMs: 1000, trajectoryRef: null, exitReason: 'submitted' };
      store.putAttempt({ runId: 'r1', jobKey: 'k1', attempt: { taskId: 'a__a-1', workerId: 'w', round: 1, outcome }, trajectory: { patch: 'diff --git a/x b/x\n' } });
      store.putAttempt({ runId: 'r1', jobKey: 'k2', attempt: { taskId: 'b__b-2', workerId: 'w', round: 1, outcome }, trajectory: { patch: '' } });
      const predictions = swebenchPredictions(store, { runId: 'r1' });
      expect(predictionsJsonl(predictions)).toBe(
        '{"instance_id":"a__a-1","model_name_or_path":"w","model_patch":"diff --git a/x b/x\\n"}\n{"instance_id":"b__b-2","model_name_or_path":"w","model_patch":""}\n',
      );
      const report = join(dir, 'w.r1.json');
      writeFileSync(report, JSON.stringify({ resolved_ids: ['a__a-1'], unresolved_ids: [], empty_patch_ids: ['b__b-2'], error_ids: [], schema_version: 2 }));
      expect(mergeSwebenchReport(store, { runId: 'r1', workerId: 'w', file: report })).toEqual({ updated: 1, resolved: 1, missing: [] });
      const merged = new Map(store.getAttempts({ runId: 'r1' }).map((attempt) => [attempt.taskId, attempt.outcome]));
      expect(merged.get('a__a-1')).toMatchObject({ resolved: true, costUsd: 0.25, inputTokens: 10 });
      expect(merged.get('b__b-2')?.resolved).toBe(false);
      expect(swebenchPredictions(store, { runId: 'r1' })[0]?.model_patch).toBe('diff --git a/x b/x\n');
      expect(readFileSync(report, 'utf8')).toContain('resolved_ids');
    } finally {
      store.close();
    }
  });
});
