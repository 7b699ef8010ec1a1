import type { Task } from '../../core/task.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';

/** The verdict of a suite's evaluator on one patch. */
export interface Evaluation {
  /** Whether the task's acceptance check passed. */
  resolved: boolean;
  /** Whether the patch applied cleanly (an unapplicable patch is unresolved). */
  patchApplied: boolean;
  /** Tests that passed, by name, when the evaluator can tell them apart. */
  passed: string[];
  /** Tests that failed or were missing, by name, when the evaluator can tell them apart. */
  failed: string[];
  /** One-line reason, e.g. `2 of 3 FAIL_TO_PASS tests failed`. */
  detail: string;
  /** Output of the test run (capped head and tail). */
  log: string;
}

/** How an attempt wants its workspace sandbox. */
export interface WorkspaceOptions {
  /** Share the host network (only external agents that call their model API need it). */
  network?: boolean;
  /** Extra environment variables for every command (e.g. an external agent's API key). */
  env?: Record<string, string>;
  /** Sandbox limits overriding the suite's. */
  limits?: SandboxLimitsInput;
}

/** A set of tasks with one loader, one way to start a workspace and one evaluator. */
export interface Suite {
  /** Name, e.g. `builtin`, `mbxp-ts`, `swebench`. */
  readonly name: string;
  /** The backend the suite's workspaces need. */
  readonly backend: 'local' | 'docker';
  /** Every task of the suite. */
  loadTasks(): Promise<Task[]>;
  /** A sandbox holding the task's starting workspace, with its git baseline recorded. */
  startWorkspace(task: Task, options?: WorkspaceOptions): Promise<Sandbox>;
  /** What the agent is told besides the problem statement (files to edit, how to run tests). */
  instructions(task: Task): string;
  /** Applies a patch to a fresh copy of the starting workspace and runs the hidden tests there. */
  evaluate(input: { task: Task; patch: string }): Promise<Evaluation>;
}

/** Keeps the first and last `maxChars / 2` characters of a long log. */
export function capLog(text: string, maxChars = 20_000): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  return `${text.slice(0, half)}\n[... ${text.length - 2 * half} characters elided ...]\n${text.slice(-half)}`;
}
