import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { type LoadCodeTasksOptions, loadCodeTasks } from './code-task-loader.js';
import { LODASH_SHIM, starterFile, testCommand, testProgram, testProgramFile } from './code-task-program.js';
import { type CodeTaskSpec, CodeTaskSpecSchema } from './code-task-spec.js';
import { runHiddenTests, startLocalWorkspace } from './local-workspace.js';
import { capLog, type Evaluation, type Suite, type WorkspaceOptions } from './suite.js';

/** The code spec of a task, validated. */
export function codeSpecOf(task: Task): CodeTaskSpec {
  const parsed = CodeTaskSpecSchema.safeParse(task.metadata.code);
  if (!parsed.success) throw new InvalidInputError(`task ${task.id} has no valid function-level spec in metadata.code`);
  return parsed.data;
}

/** Options of `evaluateCodeTask`. */
export interface EvaluateCodeTaskOptions {
  /** The task's spec. */
  spec: CodeTaskSpec;
  /** A patch against the starter file (used when `solution` is absent). */
  patch?: string;
  /** A complete solution file, judged as is (e.g. the upstream reference). */
  solution?: string;
  /** Sandbox limits. */
  limits?: SandboxLimitsInput;
  /** Wall-clock limit of the test run (default 60 s). */
  timeoutMs?: number;
}

/**
 * Judges a solution against the hidden tests in one fresh local sandbox: starter file (or the
 * given solution), patch applied, test program = solution + hidden tests, run by the language's
 * runner (python3, node, tsx). Resolved iff it exits 0 within the time limit.
 */
export async function evaluateCodeTask(options: EvaluateCodeTaskOptions): Promise<Evaluation> {
  const { spec } = options;
  const start = options.solution ?? starterFile(spec);
  const sentinel = `MARKETBENCH_TESTS_DONE_${randomBytes(12).toString('hex')}`;
  const run = await runHiddenTests({
    source: { files: { [spec.file]: start, ...(spec.language === 'javascript' ? LODASH_SHIM : {}) } },
    limits: options.limits,
    patch: options.solution === undefined ? (options.patch ?? '') : '',
    hiddenFiles: async (sandbox) => {
      const solution = await sandbox.readFile(spec.file).catch(() => '');
      return { [testProgramFile(spec)]: testProgram(spec, solution, sentinel) };
    },
    testCommand: testCommand(spec),
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  const result = run.result;
  if (!run.patchApplied || !result) {
    return { resolved: false, patchApplied: false, passed: [], failed: [spec.entryPoint], detail: 'patch did not apply', log: capLog(run.applyLog) };
  }
  const finished = result.stdout.includes(sentinel);
  const resolved = result.exitCode === 0 && !result.timedOut && finished;
  const detail = result.timedOut
    ? 'tests timed out'
    : resolved
      ? 'tests passed'
      : result.exitCode === 0
        ? 'exit 0 but the tests did not run to the end'
        : `tests failed (exit ${result.exitCode})`;
  return {
    resolved,
    patchApplied: true,
    passed: resolved ? [spec.entryPoint] : [],
    failed: resolved ? [] : [spec.entryPoint],
    detail,
    log: capLog(`${result.stdout}${result.stderr}`),
  };
}

/** Options of `codeTaskSuite`. */
export interface CodeTaskSuiteOptions extends LoadCodeTasksOptions {
  /** The task file (JSONL, JSONL.gz or JSON array). */
  file: string;
  /** Sandbox limits for workspaces and test runs. */
  limits?: SandboxLimitsInput;
  /** Wall-clock limit of one test run (default 60 s). */
  testTimeoutMs?: number;
}

/**
 * Function-level tasks (HumanEval/MBPP shape) in Python, JavaScript or TypeScript: the workspace
 * holds one solution file with the signature; the hidden tests run in the local sandbox.
 */
export function codeTaskSuite(options: CodeTaskSuiteOptions): Suite {
  let tasks: Task[] | undefined;
  return {
    name: options.suite ?? 'code',
    backend: 'local',
    async loadTasks() {
      tasks ??= loadCodeTasks(options.file, options);
      return tasks;
    },
    startWorkspace(task: Task, workspace: WorkspaceOptions = {}): Promise<Sandbox> {
      const spec = codeSpecOf(task);
      return startLocalWorkspace({
        source: { files: { [spec.file]: starterFile(spec) } },
        limits: { ...options.limits, ...workspace.limits },
        network: workspace.network,
        env: workspace.env,
      });
    },
    instructions(task: Task): string {
      const spec = codeSpecOf(task);
      const runner = spec.language === 'python' ? 'python3' : spec.language === 'typescript' ? 'tsx' : 'node';
      return [
        `The file \`${spec.file}\` holds the signature and documentation of \`${spec.entryPoint}\`; implement it there.`,
        `Keep the name \`${spec.entryPoint}\` and its parameters: hidden tests will call it from code appended to \`${spec.file}\`.`,
        `You can run your code with \`${runner} ${spec.file}\` (remove temporary checks before submitting).`,
      ].join('\n');
    },
    evaluate({ task, patch }): Promise<Evaluation> {
      return evaluateCodeTask({ spec: codeSpecOf(task), patch, limits: options.limits, timeoutMs: options.testTimeoutMs });
    },
  };
}
