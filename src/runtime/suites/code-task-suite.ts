import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { type LoadCodeTasksOptions, loadCodeTasks } from './code-task-loader.js';
import { starterFile } from './code-task-program.js';
import { type CodeTaskSpec, CodeTaskSpecSchema } from './code-task-spec.js';
import { applyCandidatePatch, describeRejected } from './judge/candidate-patch.js';
import { runCallBridge } from './judge/call-bridge.js';
import { codeCandidateProgram, codeJudgeProgram } from './judge/code-judge-programs.js';
import { judgeAfterPatch } from './judge/judge-after-patch.js';
import { startLocalWorkspace, writeHiddenFiles } from './local-workspace.js';
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
 * Judges a solution with the judge apart from the candidate: the candidate's sandbox holds only
 * the starter file (or the given solution) with the patch applied the harness's way, and serves
 * calls to its functions; the upstream hidden tests run unchanged in a second sandbox that holds
 * nothing of the candidate's, calling it through stubs that return fresh plain values. Resolved
 * iff the judge reports the entry point's test passed.
 */
export async function evaluateCodeTask(options: EvaluateCodeTaskOptions): Promise<Evaluation> {
  const { spec } = options;
  const start = options.solution ?? starterFile(spec);
  const named = { failToPass: [spec.entryPoint], passToPass: [] };
  const candidate = await startLocalWorkspace({ source: { files: { [spec.file]: start } }, limits: options.limits, baseline: false, network: false });
  try {
    const patch = await applyCandidatePatch(candidate, options.solution === undefined ? (options.patch ?? '') : '', {
      allowedPaths: [spec.file],
    });
    const rejected = describeRejected(patch.rejected);
    if (!patch.applied) {
      return { resolved: false, patchApplied: false, passed: [], failed: [spec.entryPoint], detail: ['patch did not apply', rejected].filter(Boolean).join('; '), log: capLog(patch.log) };
    }
    return await judgeAfterPatch(named, rejected, async () => {
      const solution = await candidate.readFile(spec.file).catch(() => '');
      const server = codeCandidateProgram(spec, solution);
      await writeHiddenFiles(candidate, server.files);
      const program = codeJudgeProgram(spec);
      const judge = await startLocalWorkspace({ source: { files: program.files }, limits: options.limits, baseline: false, network: false });
      try {
        return await runCallBridge({ candidate: { sandbox: candidate, command: server.command }, judge: { sandbox: judge, command: program.command }, timeoutMs: options.timeoutMs ?? 60_000 });
      } finally {
        await judge.dispose();
      }
    });
  } finally {
    await candidate.dispose();
  }
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
