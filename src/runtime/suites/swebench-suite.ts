import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { loadTaskFile } from '../data/tasks-swebench.js';
import { createDockerSandbox, type DockerSandbox } from '../sandbox/docker-sandbox.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { shellQuote } from '../sandbox/shell-quote.js';
import { swebenchImageName } from '../sandbox/swebench-image.js';
import { readRecords } from './jsonl-file.js';
import { capLog, type Evaluation, type Suite, type WorkspaceOptions } from './suite.js';
import { gradeSwebench, newFilesOfPatch, parseSwebenchLog, patchFiles, swebenchTestCommand } from './swebench-specs.js';

/** Activates the instance's conda environment, as the official images expect. */
export const SWEBENCH_PREAMBLE = 'source /opt/miniconda3/bin/activate && conda activate testbed';

/** Patch application as the official harness tries it: git apply, then with rejects, then GNU patch with fuzz. */
const APPLY_CANDIDATE = [
  'cat > /tmp/candidate.patch',
  'git apply --verbose /tmp/candidate.patch || git apply --verbose --reject /tmp/candidate.patch || patch --batch --fuzz=5 -p1 -i /tmp/candidate.patch',
].join('\n');

/** Options of `swebenchSuite`. */
export interface SwebenchSuiteOptions {
  /** SWE-bench instances as JSONL or a JSON array (upstream fields; `test_patch` needed to evaluate here). */
  file: string;
  /** Image namespace (default `swebench`; null for locally built images). */
  namespace?: string | null;
  /** Image architecture (default `x86_64`). */
  arch?: string;
  /** The docker CLI. */
  dockerBin?: string;
  /** Container limits. */
  limits?: SandboxLimitsInput;
  /** Wall-clock limit of the test run (default 30 min). */
  testTimeoutMs?: number;
}

/**
 * SWE-bench on Docker: the agent works in the instance image's /testbed; evaluation starts a fresh
 * container, applies the candidate patch, resets the test files and applies the test patch, runs
 * the repository's test command and grades FAIL_TO_PASS and PASS_TO_PASS from its log, as the
 * official harness does. For leaderboard numbers, export predictions (`swebenchPredictions`) and
 * merge the official report back (`mergeSwebenchReport`).
 */
export function swebenchSuite(options: SwebenchSuiteOptions): Suite {
  let tasks: Task[] | undefined;
  const image = (task: Task) => swebenchImageName(task.id, { namespace: options.namespace, arch: options.arch });
  const start = (task: Task, extra: { baseline: boolean } & WorkspaceOptions): Promise<DockerSandbox> =>
    createDockerSandbox({
      image: image(task),
      workdir: '/testbed',
      preamble: SWEBENCH_PREAMBLE,
      limits: { timeoutMs: 10 * 60_000, ...options.limits, ...extra.limits },
      env: extra.env,
      network: extra.network,
      dockerBin: options.dockerBin,
      baseline: extra.baseline,
    });
  return {
    name: 'swebench',
    backend: 'docker',
    async loadTasks() {
      if (tasks) return tasks;
      const testPatches = new Map<string, string>();
      for (const record of readRecords(options.file)) {
        const value = record.value as { instance_id?: unknown; test_patch?: unknown };
        if (typeof value.instance_id === 'string' && typeof value.test_patch === 'string') testPatches.set(value.instance_id, value.test_patch);
      }
      tasks = loadTaskFile(options.file, { suite: 'swebench' }).map((task) => ({
        ...task,
        metadata: { ...task.metadata, swebench: { testPatch: testPatches.get(task.id) ?? null, image: image(task) } },
      }));
      return tasks;
    },
    startWorkspace(task: Task, workspace: WorkspaceOptions = {}): Promise<Sandbox> {
      return start(task, { ...workspace, baseline: true });
    },
    instructions(): string {
      return [
        'The repository is checked out in /testbed with its Python environment active. Make changes to non-test source files to resolve the issue; do not modify tests or packaging configuration.',
        'There is no network access, so do not try to install packages.',
      ].join('\n');
    },
    async evaluate({ task, patch }): Promise<Evaluation> {
      const swebench = task.metadata.swebench as { testPatch?: string | null } | undefined;
      const testPatch = swebench?.testPatch;
      if (!testPatch) {
        throw new InvalidInputError(`task ${task.id} has no test_patch: evaluate it with the official harness (export predictions) instead`, {
          field: 'test_patch',
        });
      }
      const named = [...task.tests.failToPass, ...task.tests.passToPass];
      const sandbox = await start(task, { baseline: false });
      try {
        if (patch.trim()) {
          const applied = await sandbox.exec(APPLY_CANDIDATE, { stdin: patch.endsWith('\n') ? patch : `${patch}\n` });
          if (applied.exitCode !== 0) {
            return { resolved: false, patchApplied: false, passed: [], failed: named, detail: 'patch did not apply', log: capLog(`${applied.stdout}${applied.stderr}`) };
          }
        }
        const created = new Set(newFilesOfPatch(testPatch));
        const modified = patchFiles(testPatch).filter((file) => !created.has(file));
        const reset = [
          ...(modified.length > 0 && task.baseCommit ? [`git checkout ${shellQuote(task.baseCommit)} -- ${modified.map(shellQuote).join(' ')}`] : []),
          ...(created.size > 0 ? [`rm -f -- ${[...created].map(shellQuote).join(' ')}`] : []),
        ];
        const prepared = await sandbox.exec([...reset, 'cat > /tmp/test.patch', 'git apply --verbose /tmp/test.patch'].join(' && '), { stdin: testPatch });
        if (prepared.exitCode !== 0) {
          return { resolved: false, patchApplied: true, passed: [], failed: named, detail: 'the test patch did not apply', log: capLog(`${prepared.stdout}${prepared.stderr}`) };
        }
        const command = swebenchTestCommand({
          repo: task.repo ?? '',
          version: typeof task.metadata.version === 'string' ? task.metadata.version : undefined,
          testPatch,
          override: typeof task.metadata.testCommand === 'string' ? task.metadata.testCommand : undefined,
        });
        const result = await sandbox.exec(command, { timeoutMs: options.testTimeoutMs ?? 30 * 60_000, maxOutputBytes: 8 * 1024 * 1024 });
        const log = `${result.stdout}\n${result.stderr}`;
        const grade = gradeSwebench({ statuses: parseSwebenchLog(task.repo ?? '', log), failToPass: task.tests.failToPass, passToPass: task.tests.passToPass });
        return {
          resolved: grade.resolved && !result.timedOut,
          patchApplied: true,
          passed: grade.passed,
          failed: grade.failed,
          detail: result.timedOut
            ? 'tests timed out'
            : `${grade.failToPassPassed}/${task.tests.failToPass.length} FAIL_TO_PASS and ${grade.passToPassPassed}/${task.tests.passToPass.length} PASS_TO_PASS tests passed`,
          log: capLog(log),
        };
      } finally {
        await sandbox.dispose();
      }
    },
  };
}
