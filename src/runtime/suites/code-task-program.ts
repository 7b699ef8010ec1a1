import type { CodeLanguage, CodeTaskSpec } from './code-task-spec.js';

/** Body that makes an unimplemented function fail loudly. */
const STUB: Record<CodeLanguage, string> = {
  python: '    raise NotImplementedError\n',
  javascript: "  throw new Error('not implemented');\n}\n",
  typescript: "  throw new Error('not implemented');\n}\n",
};

/** The solution file as the agent first sees it: the prompt with a stub body. */
export function starterFile(spec: CodeTaskSpec): string {
  if (spec.format === 'mbpp') return spec.prompt;
  return `${spec.prompt}${STUB[spec.language]}`;
}

/**
 * `console.assert` only prints in Node; HumanEval-X's JavaScript tests rely on it, so the test
 * program makes it throw (SOURCES.md: a failed assertion must fail the run).
 */
const THROWING_CONSOLE_ASSERT =
  "console.assert = (ok, ...rest) => { if (!ok) throw new Error('Assertion failed' + (rest.length ? ': ' + rest.join(' ') : '')); };\n";

/**
 * The program that judges a solution: solution + hidden tests, as each upstream harness runs them,
 * then a line printing `sentinel`. The evaluator requires exit 0 AND the sentinel, so a solution
 * that swallows failures (an exit hook forcing status 0, an uncaught-exception handler) still fails:
 * the tests after the failure, and the sentinel, never run.
 */
export function testProgram(spec: CodeTaskSpec, solution: string, sentinel: string): string {
  const done = spec.language === 'python' ? `\nprint(${JSON.stringify(sentinel)})\n` : `\nconsole.log(${JSON.stringify(sentinel)});\n`;
  switch (spec.format) {
    case 'humaneval':
      return `${solution}\n\n${spec.test}\n\ncheck(${spec.entryPoint})\n${done}`;
    case 'mbpp':
      return `${solution}\n\n${spec.testSetup}\n\n${spec.test}\n${done}`;
    case 'humaneval-x':
      return `${THROWING_CONSOLE_ASSERT}${solution}\n\n${spec.test}\n${done}`;
    case 'mxeval':
      return `${solution}\n\n${spec.test}\n${done}`;
  }
}

/** Name of the test program file in the evaluation workspace. */
export function testProgramFile(spec: CodeTaskSpec): string {
  return `__marketbench_test__.${spec.file.split('.').pop()}`;
}

/** Shell command running the test program. */
export function testCommand(spec: CodeTaskSpec): string {
  const file = testProgramFile(spec);
  if (spec.language === 'python') return `python3 ${file}`;
  if (spec.language === 'typescript') return `tsx ${file}`;
  return `node ${file}`;
}

/**
 * MxEval's JavaScript tests `require("lodash")` only for `_.isEqual`; the evaluation workspace
 * gets this stand-in (Node's deep strict equality) so no package is installed.
 */
export const LODASH_SHIM: Record<string, string> = {
  'node_modules/lodash/package.json': '{"name":"lodash","version":"0.0.0-marketbench-shim","main":"index.js"}\n',
  'node_modules/lodash/index.js':
    "const { isDeepStrictEqual } = require('node:util');\nmodule.exports = { isEqual: (a, b) => isDeepStrictEqual(a, b) };\n",
};
