import type { CodeTaskSpec } from '../code-task-spec.js';
import { JS_CANDIDATE_SERVER, JS_CODEC, JS_JUDGE_RUNTIME } from './js-runtime.js';
import { PY_CANDIDATE_SERVER, PY_CODEC, PY_JUDGE_RUNTIME } from './python-runtime.js';

/** Top-level functions a source text defines, entry point first. */
export function solutionFunctionNames(spec: CodeTaskSpec, source: string): string[] {
  const pattern =
    spec.language === 'python'
      ? /^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/gm
      : /^(?:export\s+)?(?:(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=)/gm;
  const names = [spec.entryPoint];
  for (const match of source.matchAll(pattern)) {
    const name = (match[1] ?? match[2]) as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Python built-in names (a stub under one of these would let the candidate answer for `abs`, `len`, …). */
const PYTHON_BUILTINS = new Set(
  'abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map max memoryview min next object oct open ord pow print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip math copy random'.split(' '),
);

/**
 * The functions the judge calls in the candidate: the entry point and the helpers the task's own
 * prompt and reference define (trusted text, e.g. HumanEval's `poly` or `encode_cyclic`), never
 * names the candidate chooses, and never a built-in or global name: a solution that defines
 * `abs` must not make the judge's `abs(candidate(x) - y) < 1e-6` call the candidate.
 */
export function judgedFunctionNames(spec: CodeTaskSpec): string[] {
  const trusted = solutionFunctionNames(spec, `${spec.prompt}\n${spec.reference ?? ''}`);
  return trusted.filter((name) => (spec.language === 'python' ? !PYTHON_BUILTINS.has(name) : !(name in globalThis)) || name === spec.entryPoint);
}

/** Names the hidden test code declares itself (those stay the test's own, not remote stubs). */
function declaredByTest(language: CodeTaskSpec['language'], test: string): Set<string> {
  const pattern = language === 'python' ? /^\s*(?:def|class)\s+([A-Za-z_]\w*)/gm : /\b(?:function|const|let|var|class)\s+([A-Za-z_$][\w$]*)/g;
  return new Set([...test.matchAll(pattern)].map((match) => match[1] as string));
}

/** The hidden test code as the judge runs it (MBPP: setup code, then the asserts). */
function testCode(spec: CodeTaskSpec): string {
  return spec.format === 'mbpp' ? `${spec.testSetup}\n\n${spec.test}` : spec.test;
}

/** `import`/`from … import` lines of the task's prompt and reference (tests may use modules only those import). */
function promptImports(prompt: string): string {
  return prompt
    .split('\n')
    .filter((line) => /^(import\s+\w|from\s+[\w.]+\s+import\s)/.test(line))
    .join('\n');
}

/**
 * HumanEval-X's JavaScript tests rely on `console.assert`, which only prints in Node; in the judge a
 * failed assertion throws (SOURCES.md: a failed assertion must fail the run).
 */
const THROWING_CONSOLE_ASSERT =
  "console.assert = (ok, ...rest) => { if (!ok) throw new Error('Assertion failed' + (rest.length ? ': ' + rest.join(' ') : '')); };\n";

/** Files of the judge's own workspace and the command that runs it (`$NONCE` is its argument). */
export interface JudgeProgram {
  /** Files written into the judge's sandbox (relative path → content). */
  files: Record<string, string>;
  /** Shell command, given the nonce. */
  command: (nonce: string) => string;
}

/**
 * The judge program of a function-level task: the upstream hidden tests run unchanged, but every
 * function of `judgedFunctionNames` is a remote stub that calls the candidate's process and gets back a
 * fresh plain value. One named test (the entry point) passes iff the tests run to the end.
 */
export function codeJudgeProgram(spec: CodeTaskSpec): JudgeProgram {
  const test = testCode(spec);
  const own = declaredByTest(spec.language, test);
  const names = judgedFunctionNames(spec).filter((name) => !own.has(name));
  const entry = JSON.stringify(spec.entryPoint);
  if (spec.language === 'python') {
    const driver = [
      '_mb_globals = {"__name__": "__main__"}',
      `exec(compile(${JSON.stringify(promptImports(`${spec.prompt}\n${spec.reference ?? ''}`))}, "prompt_imports.py", "exec"), _mb_globals)`,
      `for _mb_name in ${JSON.stringify(names)}:`,
      '    if _mb_name not in _mb_globals:',
      '        _mb_globals[_mb_name] = _mb_remote(_mb_name)',
      'try:',
      `    exec(compile(${JSON.stringify(test)}, "hidden_test.py", "exec"), _mb_globals)`,
      ...(spec.format === 'humaneval' ? [`    _mb_globals["check"](_mb_globals[${entry}])`] : []),
      `    _mb_report([{"name": ${entry}, "passed": True}])`,
      'except BaseException as _mb_error:',
      `    _mb_report([{"name": ${entry}, "passed": False, "message": (type(_mb_error).__name__ + ": " + str(_mb_error))[:1000]}])`,
    ].join('\n');
    return { files: { 'judge.py': `${PY_CODEC}\n${PY_JUDGE_RUNTIME}\n${driver}\n` }, command: (nonce) => `python3 judge.py ${nonce}` };
  }
  const file = spec.language === 'typescript' ? 'judge.cts' : 'judge.cjs';
  const program = [
    'const __mbNonce = process.argv[2];',
    JS_CODEC,
    JS_JUDGE_RUNTIME,
    `process.on('uncaughtException', (error) => { __mbReport([{ name: ${entry}, passed: false, message: String(error && error.stack || error).slice(0, 1000) }]); process.exit(1); });`,
    ...names.map((name) => `const ${name}: any = __mbRemote(${JSON.stringify(name)});`.replace(': any', spec.language === 'typescript' ? ': any' : '')),
    spec.format === 'humaneval-x' ? THROWING_CONSOLE_ASSERT : '',
    test,
    `;__mbReport([{ name: ${entry}, passed: true }]);`,
  ].join('\n');
  return {
    files: { [file]: program, ...LODASH_SHIM },
    command: (nonce) => (spec.language === 'typescript' ? `tsx ${file} ${nonce}` : `node ${file} ${nonce}`),
  };
}

/** File name of the candidate's call server in the evaluation workspace. */
export function candidateServerFile(spec: CodeTaskSpec): string {
  return `__marketbench_candidate__.${spec.file.split('.').pop()}`;
}

/**
 * The candidate's end for a function-level task: the solution itself, then (for JavaScript and
 * TypeScript) the call server appended, or (Python) a server that executes the solution file.
 * Returns the files to write and the command (given the nonce).
 */
export function codeCandidateProgram(spec: CodeTaskSpec, solution: string): JudgeProgram {
  if (spec.language === 'python') {
    return { files: {}, command: (nonce) => `python3 -c ${shellSingleQuote(`${PY_CODEC}\n${PY_CANDIDATE_SERVER}`)} ${nonce} ${spec.file}` };
  }
  const names = judgedFunctionNames(spec);
  const table = names.map((name) => `${JSON.stringify(name)}: typeof ${name} === 'function' ? ${name} : undefined`).join(', ');
  const file = candidateServerFile(spec);
  const program = `${solution}\n;const __mbNonce = process.argv[2];\nconst __mbFunctions = { ${table} };\n${JS_CODEC}\n${JS_CANDIDATE_SERVER}`;
  return { files: { [file]: program }, command: (nonce) => `${spec.language === 'typescript' ? 'tsx' : 'node'} ${file} ${nonce}` };
}

/** Single-quotes a string for bash. */
function shellSingleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * MxEval's JavaScript tests `require("lodash")` only for `_.isEqual`; the judge's workspace gets
 * this stand-in (Node's deep strict equality on the judge's own fresh values).
 */
export const LODASH_SHIM: Record<string, string> = {
  'node_modules/lodash/package.json': '{"name":"lodash","version":"0.0.0-marketbench-shim","main":"index.js"}\n',
  'node_modules/lodash/index.js':
    "const { isDeepStrictEqual } = require('node:util');\nmodule.exports = { isEqual: (a, b) => isDeepStrictEqual(a, b) };\n",
};
