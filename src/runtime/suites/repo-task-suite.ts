import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { applyPatchScript } from '../sandbox/git-baseline.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { WorkspaceBackend } from '../sandbox/workspace-sandbox.js';
import { evaluationKeep, filterPatch } from './filter-patch.js';
import { startLocalWorkspace, writeHiddenFiles } from './local-workspace.js';
import { type RepoTaskSpec, RepoTaskSpecSchema } from './repo-task-spec.js';
import { capLog, type Evaluation, type Suite, type WorkspaceOptions } from './suite.js';
import { gradeTests, parseTap } from './tap-results.js';

/** The repository spec of a task, validated. */
export function repoSpecOf(task: Task): RepoTaskSpec {
  const parsed = RepoTaskSpecSchema.safeParse(task.metadata.repoTask);
  if (!parsed.success) throw new InvalidInputError(`task ${task.id} has no valid repository spec in metadata.repoTask`);
  return parsed.data;
}

/** Options of `evaluateRepoTask`. */
export interface EvaluateRepoTaskOptions {
  /** The task (its spec and acceptance test names). */
  task: Task;
  /** Candidate patch (unified diff); empty means "no change". */
  patch: string;
  /** Sandbox limits. */
  limits?: SandboxLimitsInput;
  /** Where the evaluation runs (default: the local sandbox). */
  backend?: WorkspaceBackend;
}

/** Applies a patch from stdin in the sandbox; returns the failure output, or undefined when it applied. */
async function applyPatch(sandbox: Sandbox, patch: string): Promise<string | undefined> {
  if (!patch.trim()) return undefined;
  const result = await sandbox.exec(applyPatchScript(), { stdin: patch.endsWith('\n') ? patch : `${patch}\n` });
  return result.exitCode === 0 ? undefined : `${result.stdout}${result.stderr}`;
}

/**
 * Judges a patch on a repository task the SWE-bench way, in one fresh local sandbox: copy of the
 * starting repository, setup, candidate patch, hidden test files and test patch over it, then the
 * test command. Resolved iff the command exits 0 and, when it prints TAP, every FAIL_TO_PASS and
 * PASS_TO_PASS test ran and passed.
 */
export async function evaluateRepoTask(options: EvaluateRepoTaskOptions): Promise<Evaluation> {
  const { task } = options;
  const spec = repoSpecOf(task);
  const named = [...task.tests.failToPass, ...task.tests.passToPass];
  const sandbox = await startLocalWorkspace({ source: { dir: spec.dir }, setup: spec.setup || undefined, limits: options.limits, baseline: false, backend: options.backend });
  try {
    const notApplied = await applyPatch(sandbox, filterPatch(options.patch, evaluationKeep(Object.keys(spec.hiddenFiles))).patch);
    if (notApplied !== undefined) {
      return { resolved: false, patchApplied: false, passed: [], failed: named, detail: 'patch did not apply', log: capLog(notApplied) };
    }
    await writeHiddenFiles(sandbox, spec.hiddenFiles);
    const testPatchFailed = await applyPatch(sandbox, spec.testPatch);
    if (testPatchFailed !== undefined) {
      return { resolved: false, patchApplied: true, passed: [], failed: named, detail: 'the hidden test patch did not apply over the candidate patch', log: capLog(testPatchFailed) };
    }
    const result = await sandbox.exec(spec.testCommand, { timeoutMs: spec.timeoutMs });
    const log = capLog(`${result.stdout}${result.stderr}`);
    const tap = parseTap(result.stdout);
    const grade = gradeTests({ results: tap, failToPass: task.tests.failToPass, passToPass: task.tests.passToPass });
    const gradeNames = named.length > 0 && tap.size > 0;
    const exitOk = result.exitCode === 0 && !result.timedOut;
    const resolved = exitOk && (!gradeNames || grade.failed.length === 0);
    const detail = result.timedOut
      ? 'tests timed out'
      : gradeNames
        ? `${task.tests.failToPass.length - grade.failToPassFailed}/${task.tests.failToPass.length} FAIL_TO_PASS and ${task.tests.passToPass.length - grade.passToPassFailed}/${task.tests.passToPass.length} PASS_TO_PASS tests passed; exit ${result.exitCode}`
        : `test command exited ${result.exitCode}`;
    return {
      resolved,
      patchApplied: true,
      passed: gradeNames ? grade.passed : exitOk ? named : [],
      failed: gradeNames ? grade.failed : exitOk ? [] : named,
      detail,
      log,
    };
  } finally {
    await sandbox.dispose();
  }
}

/** Options of `repoTaskSuite`. */
export interface RepoTaskSuiteOptions {
  /** Suite name. */
  name: string;
  /** Loads the tasks (each with `metadata.repoTask`). */
  load: () => Promise<Task[]> | Task[];
  /** Sandbox limits for workspaces and test runs. */
  limits?: SandboxLimitsInput;
  /** Where workspaces and test runs run (default: the local sandbox). */
  backend?: WorkspaceBackend;
}

/** A suite of repository tasks judged locally by their hidden tests (built-in and custom JSONL suites). */
export function repoTaskSuite(options: RepoTaskSuiteOptions): Suite {
  let tasks: Task[] | undefined;
  return {
    name: options.name,
    backend: options.backend?.kind ?? 'local',
    async loadTasks() {
      tasks ??= await options.load();
      return tasks;
    },
    startWorkspace(task: Task, workspace: WorkspaceOptions = {}): Promise<Sandbox> {
      const spec = repoSpecOf(task);
      return startLocalWorkspace({
        source: { dir: spec.dir },
        setup: spec.setup || undefined,
        limits: { ...options.limits, ...workspace.limits },
        network: workspace.network,
        env: workspace.env,
        backend: options.backend,
      });
    },
    instructions(task: Task): string {
      const spec = repoSpecOf(task);
      return [
        'The repository is in the current directory. Fix the problem in the source code, not in the tests.',
        `The project's tests run with \`${spec.testCommand}\`; hidden tests will also be run against your change.`,
        'There is no network access; the tools available are the usual shell utilities, git, node (with tsx) and python3.',
      ].join('\n');
    },
    evaluate({ task, patch }): Promise<Evaluation> {
      return evaluateRepoTask({ task, patch, limits: options.limits, backend: options.backend });
    },
  };
}
