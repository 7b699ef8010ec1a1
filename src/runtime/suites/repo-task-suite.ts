import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { applyPatchScript } from '../sandbox/git-baseline.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { WorkspaceBackend } from '../sandbox/workspace-sandbox.js';
import { shellQuote } from '../sandbox/shell-quote.js';
import { checkRelativePath } from '../sandbox/shell-sandbox.js';
import { applyCandidatePatch, describeRejected } from './judge/candidate-patch.js';
import { type CallBridgeResult, runCallBridge } from './judge/call-bridge.js';
import { judgeAfterPatch } from './judge/judge-after-patch.js';
import { type JudgeReport, parseJudgeReport } from './judge/judge-report.js';
import { PROBES_FILE, probeCandidateProgram, probeJudgeProgram } from './judge/probe-judge-programs.js';
import { startLocalWorkspace, writeHiddenFiles } from './local-workspace.js';
import { type RepoTaskSpec, RepoTaskSpecSchema } from './repo-task-spec.js';
import { capLog, type Evaluation, type Suite, type WorkspaceOptions } from './suite.js';
import { parseTap } from './tap-results.js';

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

/** Applies a plain patch (the task's own test patch) in the sandbox; returns git's output when it failed. */
async function applyTaskPatch(sandbox: Sandbox, patch: string): Promise<string | undefined> {
  if (!patch.trim()) return undefined;
  const result = await sandbox.exec(applyPatchScript(), { stdin: patch.endsWith('\n') ? patch : `${patch}\n` });
  return result.exitCode === 0 ? undefined : `${result.stdout}${result.stderr}`;
}

/**
 * Runs the task's test command in the candidate's workspace (custom suites; the same-process
 * weakness of SWE-bench's harness applies) and turns its named results into the judge's report:
 * the result file when the task names one, else the TAP lines on stdout. A non-zero exit makes
 * the attempt unresolved; an exit code alone never makes it resolved.
 */
async function runTestCommand(sandbox: Sandbox, spec: RepoTaskSpec): Promise<CallBridgeResult> {
  await writeHiddenFiles(sandbox, spec.hiddenFiles);
  const testPatchFailed = await applyTaskPatch(sandbox, spec.testPatch);
  if (testPatchFailed !== undefined) throw new Error(`the hidden test patch did not apply over the candidate patch: ${testPatchFailed.slice(0, 500)}`);
  if (spec.resultFile) await sandbox.exec(`rm -rf -- ${shellQuote(checkRelativePath(spec.resultFile))}`);
  const result = await sandbox.exec(spec.testCommand, { timeoutMs: spec.timeoutMs });
  let report: JudgeReport | undefined;
  if (spec.resultFile) {
    report = parseJudgeReport(await sandbox.readFile(spec.resultFile).catch(() => undefined));
  } else {
    report = { tests: [...parseTap(result.stdout)].map(([name, passed]) => ({ name, passed, message: passed ? '' : 'not ok in the TAP output' })) };
  }
  return { reportText: report ? JSON.stringify(report) : undefined, judge: result, candidate: result };
}

/**
 * Judges a patch on a repository task. The candidate's sandbox is a fresh copy of the starting
 * repository with setup run and the patch applied the harness's way (tool, harness and hidden
 * paths, paths outside the allowed folders and symlinks rejected, with reasons). Tasks with a
 * judge (the built-in ones) are then judged apart: probes run in the candidate's sandbox and only
 * their plain results reach a judge sandbox holding the expected values. Other tasks run their test
 * command there. Either way the verdict is graded by named tests (FAIL_TO_PASS and PASS_TO_PASS).
 */
export async function evaluateRepoTask(options: EvaluateRepoTaskOptions): Promise<Evaluation> {
  const { task } = options;
  const spec = repoSpecOf(task);
  const named = { failToPass: task.tests.failToPass, passToPass: task.tests.passToPass };
  const all = [...named.failToPass, ...named.passToPass];
  const sandbox = await startLocalWorkspace({ source: { dir: spec.dir }, setup: spec.setup || undefined, limits: options.limits, baseline: false, backend: options.backend });
  try {
    const protectedPaths = [...Object.keys(spec.hiddenFiles), ...(spec.resultFile ? [spec.resultFile] : [])];
    const patch = await applyCandidatePatch(sandbox, options.patch, { protectedPaths, allowedPaths: spec.allowedPaths });
    const rejected = describeRejected(patch.rejected);
    if (!patch.applied) {
      return { resolved: false, patchApplied: false, passed: [], failed: all, detail: ['patch did not apply', rejected].filter(Boolean).join('; '), log: capLog(patch.log) };
    }
    const judge = spec.judge;
    if (!judge) return await judgeAfterPatch(named, rejected, () => runTestCommand(sandbox, spec));
    return await judgeAfterPatch(named, rejected, async () => {
      const server = probeCandidateProgram();
      await writeHiddenFiles(sandbox, { [PROBES_FILE]: judge.probes, ...server.files });
      const program = probeJudgeProgram({ names: all, expected: judge.expected });
      const judgeBox = await startLocalWorkspace({ source: { files: program.files }, limits: options.limits, baseline: false, network: false });
      try {
        return await runCallBridge({ candidate: { sandbox, command: server.command }, judge: { sandbox: judgeBox, command: program.command }, timeoutMs: spec.timeoutMs });
      } finally {
        await judgeBox.dispose();
      }
    });
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
