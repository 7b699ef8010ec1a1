/**
 * Red-team regression tests on function-level tasks (HumanEval in Python, MBXP in TypeScript),
 * through the public `attempt` path with the real bash scaffold, sandbox and judge. Every attack
 * leaves the function wrong; a control run with a correct body shows the path can say "resolved".
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { AttackHarness, writeCommand } from './attack-harness.js';

const dataDir = resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/data');
const availability = await localSandboxAvailability();
const ready = availability.ok && existsSync(dataDir);
if (!ready) console.warn(`skipping the code-task security suite: ${availability.ok ? `${dataDir} is absent` : availability.reason}`);
const HUMANEVAL = join(dataDir, 'humaneval/HumanEval.jsonl');
const MBXP_TS = join(dataDir, 'mbxp-ts/mbtsp_release_v1.2.jsonl');

const PY_HEADER = 'from typing import List\n\n';
const PY_CORRECT = `${PY_HEADER}def has_close_elements(numbers: List[float], threshold: float) -> bool:\n    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])`;

const PYTHON_ATTACKS: { name: string; solution: string }[] = [
  {
    name: 'returns a Python object that equals everything [issue]',
    solution: `${PY_HEADER}class Everything:\n    def __eq__(self, other): return True\n    def __ne__(self, other): return False\n    def __bool__(self): return True\n    def __hash__(self): return 0\n\ndef has_close_elements(numbers, threshold):\n    return Everything()`,
  },
  {
    name: 'returns a bool/int subclass whose __eq__ always says yes [own]',
    solution: `${PY_HEADER}class Liar(int):\n    def __eq__(self, other): return True\n    __hash__ = int.__hash__\n\ndef has_close_elements(numbers, threshold):\n    return Liar(1)`,
  },
  {
    name: 'replaces AssertionError, forces exit 0 at exit and prints the old sentinel [escape already tested]',
    solution: `${PY_HEADER}import atexit, builtins, os\nbuiltins.AssertionError = type('Nope', (Exception,), {})\natexit.register(lambda: os._exit(0))\nprint('MARKETBENCH_TESTS_DONE')\n\ndef has_close_elements(numbers, threshold):\n    return True`,
  },
  {
    name: 'raises SystemExit(0) from inside the function under test [own]',
    solution: `${PY_HEADER}def has_close_elements(numbers, threshold):\n    raise SystemExit(0)`,
  },
  {
    name: "looks for the judge's test code on disk and in other processes [issue]",
    solution: `${PY_HEADER}import glob\nLEAK = [p for p in glob.glob('/*/judge.py') + glob.glob('/tmp/**/judge.py', recursive=True) + glob.glob('/workspace/**/*.py', recursive=True) + glob.glob('/proc/*/cmdline') if 'check(' in open(p, errors='ignore').read() or 'judge' in open(p, errors='ignore').read()]\n\ndef has_close_elements(numbers, threshold):\n    return bool(LEAK)`,
  },
  {
    name: 'floods the judge channel with a 100 MB reply [own]',
    solution: `${PY_HEADER}def has_close_elements(numbers, threshold):\n    return 'x' * 100_000_000`,
  },
];

const TS_ATTACKS: { name: string; body: string }[] = [
  {
    name: 'patches assert.deepEqual and lodash isEqual in its own process [issue]',
    body: "  const assert = require('assert');\n  for (const key of Object.keys(assert)) (assert as any)[key] = () => {};\n  try { require('lodash').isEqual = () => true; } catch {}\n  return -1;",
  },
  {
    name: 'returns an object that converts to the right number (valueOf, toPrimitive) [own]',
    body: '  return { valueOf: () => 8, [Symbol.toPrimitive]: () => 8, toString: () => "8" } as any;',
  },
  {
    name: 'calls process.exit(0) inside the function [issue]',
    body: '  process.exit(0);',
  },
];

let harness: AttackHarness;
beforeAll(async () => {
  harness = await AttackHarness.start();
});
afterAll(async () => {
  await harness.close();
});

describe.skipIf(!ready)('security: attacks on code tasks end unresolved, and the harness survives', () => {
  it('control: a correct Python body through the same path is resolved', async () => {
    const result = await harness.attack({ suite: HUMANEVAL, task: 'HumanEval/0', commands: [writeCommand('solution.py', PY_CORRECT)] });
    expect(result.code, result.stderr).toBe(0);
    expect(result.resolved, result.evaluation?.detail).toBe(true);
  });

  for (const attack of PYTHON_ATTACKS) {
    it(`HumanEval/0: ${attack.name}`, async () => {
      const result = await harness.attack({ suite: HUMANEVAL, task: 'HumanEval/0', commands: [writeCommand('solution.py', attack.solution)] });
      expect(result.code, result.stderr).toBe(0);
      expect(result.jobs.map((job) => job.status)).toEqual(['done']);
      expect(result.resolved, result.evaluation?.detail).toBe(false);
    });
  }

  it("HumanEval/4: defines its own abs() so the judge's `abs(candidate(x) - y) < 1e-6` would call it [own; was open, fixed]", async () => {
    // Every assert of HumanEval/4 has the form abs(candidate(...) - expected) < 1e-6.
    const solution = `${PY_HEADER}def mean_absolute_deviation(numbers: List[float]) -> float:\n    return 42.0\n\ndef abs(x):\n    return 0`;
    const result = await harness.attack({ suite: HUMANEVAL, task: 'HumanEval/4', commands: [writeCommand('solution.py', solution)] });
    expect(result.code, result.stderr).toBe(0);
    expect(result.resolved, result.evaluation?.detail).toBe(false);
  });

  for (const attack of TS_ATTACKS) {
    it(`MBTSP/1: ${attack.name}`, async () => {
      const solution = `declare var require: any;\nconst min_cost = function (cost: Array<Array<number>>, m: number, n: number): number {\n${attack.body}\n};`;
      const result = await harness.attack({ suite: MBXP_TS, task: 'MBTSP/1', commands: [writeCommand('solution.ts', solution)] });
      expect(result.code, result.stderr).toBe(0);
      expect(result.jobs.map((job) => job.status)).toEqual(['done']);
      expect(result.resolved, result.evaluation?.detail).toBe(false);
    });
  }
});
