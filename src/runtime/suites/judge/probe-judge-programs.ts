import { JS_CANDIDATE_SERVER, JS_CODEC, JS_JUDGE_RUNTIME } from './js-runtime.js';

/** Where the probes go in the candidate's evaluation workspace (a harness folder patches cannot touch). */
export const PROBES_FILE = '.marketbench/probes.ts';
/** The candidate's call server beside the probes. */
export const PROBE_SERVER_FILE = '.marketbench/candidate.mjs';

/**
 * The candidate's end of a probe judge: loads the probes (through tsx, so TypeScript sources work)
 * and serves one function, `probe(name)`, which runs that probe and returns its plain result.
 */
export function probeCandidateProgram(): { files: Record<string, string>; command: (nonce: string) => string } {
  const program = [
    'const __mbNonce = process.argv[2];',
    "const __mbProbes = (await import('./probes.ts')).default;",
    'const __mbFunctions = { probe: (name) => { if (!Object.prototype.hasOwnProperty.call(__mbProbes, name)) throw new Error(`no probe named ${name}`); return __mbProbes[name](); } };',
    JS_CODEC,
    JS_CANDIDATE_SERVER,
  ].join('\n');
  return { files: { [PROBE_SERVER_FILE]: program }, command: (nonce) => `node --import tsx ${PROBE_SERVER_FILE} ${nonce}` };
}

/**
 * The judge's end: for each named test, calls `probe(name)` in the candidate and compares the
 * fresh decoded value with the expected one by Node's deep strict equality, in a process that runs
 * no candidate code. Reports every test by name.
 */
export function probeJudgeProgram(input: { names: readonly string[]; expected: string }): { files: Record<string, string>; command: (nonce: string) => string } {
  const program = [
    'const __mbNonce = process.argv[2];',
    JS_CODEC,
    JS_JUDGE_RUNTIME,
    "const { inspect, isDeepStrictEqual } = require('node:util');",
    "const expected = require('./expected.cjs');",
    `const names = ${JSON.stringify(input.names)};`,
    'const tests = [];',
    'for (const name of names) {',
    '  try {',
    "    if (!Object.prototype.hasOwnProperty.call(expected, name)) throw new Error('the task has no expected value for this test');",
    "    const got = __mbCall('probe', [name]);",
    '    const passed = isDeepStrictEqual(got, expected[name]);',
    "    tests.push({ name, passed, message: passed ? '' : `expected ${inspect(expected[name], { depth: 6 })}, got ${inspect(got, { depth: 6 })}`.slice(0, 1000) });",
    '  } catch (error) {',
    "    tests.push({ name, passed: false, message: `${error && error.name}: ${error && error.message}`.slice(0, 1000) });",
    '  }',
    '}',
    '__mbReport(tests);',
  ].join('\n');
  return { files: { 'judge.cjs': program, 'expected.cjs': input.expected }, command: (nonce) => `node judge.cjs ${nonce}` };
}
