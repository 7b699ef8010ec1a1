/**
 * Test commands and log parsers for SWE-bench instances, following the official harness
 * (`swebench/harness/constants/python.py`, `test_spec/python.py`, `log_parsers/python.py`) for the
 * repositories of SWE-bench Lite and Verified. The official harness remains the reference: export
 * predictions with `swebenchPredictions` and import its report for official numbers.
 */

/** Status of one test in a log. */
export type TestStatus = 'PASSED' | 'FAILED' | 'SKIPPED' | 'ERROR' | 'XFAIL';

const PYTEST = 'pytest -rA';
const DJANGO = './tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1';

/** Test command per repository (the harness's `test_cmd`); `pytest -rA` for the rest. */
const TEST_COMMANDS: Record<string, string> = {
  'django/django': DJANGO,
  'sympy/sympy': "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose",
  'sphinx-doc/sphinx': 'tox --current-env -epy39 -v --',
  'astropy/astropy': 'pytest -rA -vv -o console_output_style=classic --tb=no',
  'mwaskom/seaborn': 'pytest --no-header -rA',
};

/** Environment the harness sets before Django's tests. */
const DJANGO_ENV = 'export LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 LANGUAGE=en_US:en PYTHONIOENCODING=utf8';

/** Extensions of files in a test patch that are data, not tests (the harness's NON_TEST_EXTS). */
const NON_TEST_EXTS = ['.json', '.png', 'csv', '.txt', '.md', '.jpg', '.jpeg', '.pkl', '.yml', '.yaml', '.toml'];

/** Files a patch touches (`diff --git a/<path> b/<path>`). */
export function patchFiles(patch: string): string[] {
  return [...patch.matchAll(/^diff --git a\/(\S+) b\//gm)].map((match) => match[1] as string);
}

/** Files a patch creates (`--- /dev/null`), which a reset must delete rather than check out. */
export function newFilesOfPatch(patch: string): string[] {
  return [...patch.matchAll(/^--- \/dev\/null\r?\n\+\+\+ b\/(\S+)/gm)].map((match) => match[1] as string);
}

/** Arguments naming the tests to run: the test patch's test files (Django: as dotted modules). */
export function testDirectives(repo: string, testPatch: string): string[] {
  const files = patchFiles(testPatch).filter((file) => !NON_TEST_EXTS.some((ext) => file.endsWith(ext)));
  if (repo !== 'django/django') return files;
  return files.map((file) => file.replace(/\.py$/, '').replace(/^tests\//, '').replaceAll('/', '.'));
}

/** The shell command that runs an instance's tests (optionally overridden per task). */
export function swebenchTestCommand(input: { repo: string; version?: string; testPatch: string; override?: string }): string {
  const base = input.override ?? (input.repo === 'django/django' && input.version === '1.9' ? './tests/runtests.py --verbosity 2' : (TEST_COMMANDS[input.repo] ?? PYTEST));
  const command = [base, ...testDirectives(input.repo, input.testPatch)].join(' ');
  return input.repo === 'django/django' ? `${DJANGO_ENV}\n${command}` : command;
}

/** pytest `-rA` summary lines (`PASSED id`, `FAILED id - why`) and verbose lines (`id PASSED`). */
export function parsePytestLog(log: string): Map<string, TestStatus> {
  const statuses = new Map<string, TestStatus>();
  const known = new Set<TestStatus>(['PASSED', 'FAILED', 'SKIPPED', 'ERROR', 'XFAIL']);
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    const summary = /^(PASSED|FAILED|SKIPPED|ERROR|XFAIL)\s+(\S+)/.exec(line);
    if (summary) {
      statuses.set(summary[2] as string, summary[1] as TestStatus);
      continue;
    }
    const verbose = /^(\S+::\S+)\s+(PASSED|FAILED|SKIPPED|ERROR|XFAIL)\b/.exec(line);
    if (verbose && known.has(verbose[2] as TestStatus)) statuses.set(verbose[1] as string, verbose[2] as TestStatus);
  }
  return statuses;
}

/**
 * Django runner lines: `test_x (module.Class) ... ok|FAIL|ERROR|skipped …|expected failure`; when
 * a test has a docstring, the name stands alone on one line and the verdict ends the next.
 */
export function parseDjangoLog(log: string): Map<string, TestStatus> {
  const statuses = new Map<string, TestStatus>();
  const verdictOf = (verdict: string): TestStatus =>
    verdict.toLowerCase() === 'ok' ? 'PASSED' : verdict === 'FAIL' ? 'FAILED' : verdict === 'ERROR' ? 'ERROR' : verdict === 'expected failure' ? 'XFAIL' : 'SKIPPED';
  let pending: string | undefined;
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    const full = /^(\S+ \([^)]+\)) \.\.\. (ok|OK|FAIL|ERROR|skipped.*|expected failure)$/.exec(line);
    if (full) {
      statuses.set(full[1] as string, verdictOf(full[2] as string));
      pending = undefined;
      continue;
    }
    if (/^\S+ \([^)]+\)$/.test(line)) {
      pending = line;
      continue;
    }
    const tail = / \.\.\. (ok|OK|FAIL|ERROR|skipped.*|expected failure)$/.exec(line);
    if (tail && pending) statuses.set(pending, verdictOf(tail[1] as string));
    pending = undefined;
  }
  return statuses;
}

/** SymPy's bin/test verbose lines: `test_name ok`, `test_name F`, `test_name E`. */
export function parseSympyLog(log: string): Map<string, TestStatus> {
  const statuses = new Map<string, TestStatus>();
  for (const raw of log.split('\n')) {
    const match = /^(test_\w+)\s+(ok|F|E|f|s|X)\b/.exec(raw.trim());
    if (!match) continue;
    const code = match[2] as string;
    statuses.set(match[1] as string, code === 'ok' ? 'PASSED' : code === 'f' ? 'XFAIL' : code === 's' ? 'SKIPPED' : code === 'E' ? 'ERROR' : 'FAILED');
  }
  return statuses;
}

/** The parser for a repository's log. */
export function parseSwebenchLog(repo: string, log: string): Map<string, TestStatus> {
  if (repo === 'django/django') return parseDjangoLog(log);
  if (repo === 'sympy/sympy') return parseSympyLog(log);
  return parsePytestLog(log);
}

/** The harness's grading: FAIL_TO_PASS and PASS_TO_PASS must all pass (PASSED or XFAIL); a missing test fails. */
export function gradeSwebench(input: { statuses: Map<string, TestStatus>; failToPass: readonly string[]; passToPass: readonly string[] }): {
  resolved: boolean;
  passed: string[];
  failed: string[];
  failToPassPassed: number;
  passToPassPassed: number;
} {
  const ok = (name: string) => {
    const status = input.statuses.get(name);
    return status === 'PASSED' || status === 'XFAIL';
  };
  const passed = [...input.failToPass, ...input.passToPass].filter(ok);
  const failed = [...input.failToPass, ...input.passToPass].filter((name) => !ok(name));
  const failToPassPassed = input.failToPass.filter(ok).length;
  const passToPassPassed = input.passToPass.filter(ok).length;
  return {
    resolved: failToPassPassed === input.failToPass.length && passToPassPassed === input.passToPass.length && input.failToPass.length > 0,
    passed,
    failed,
    failToPassPassed,
    passToPassPassed,
  };
}
