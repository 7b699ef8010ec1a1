import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyPatchScript } from '../sandbox/git-baseline.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { ExecResult, Sandbox } from '../sandbox/sandbox.js';
import { shellQuote } from '../sandbox/shell-quote.js';
import { checkRelativePath, type ShellSandbox } from '../sandbox/shell-sandbox.js';
import { SandboxError } from '../sandbox/errors.js';
import { createWorkspaceSandbox, type WorkspaceBackend } from '../sandbox/workspace-sandbox.js';
import { evaluationKeep, filterPatch } from './filter-patch.js';

/** Where a task's starting files come from: a host folder copied as is, and/or files by path. */
export interface WorkspaceSource {
  /** Host folder copied into the workspace (never modified). */
  dir?: string;
  /** Files written on top (relative path → content). */
  files?: Record<string, string>;
}

/** Options of `startLocalWorkspace`. */
export interface StartLocalWorkspaceOptions {
  /** Starting files. */
  source: WorkspaceSource;
  /** Command run in the sandbox before the baseline (e.g. a build step); must exit 0. */
  setup?: string;
  /** Sandbox limits. */
  limits?: SandboxLimitsInput;
  /** Record a git baseline (default true). */
  baseline?: boolean;
  /** Share the host network (external agents only; default false). */
  network?: boolean;
  /** Extra environment variables for every command. */
  env?: Record<string, string>;
  /** Where the workspace runs (default: the local sandbox). */
  backend?: WorkspaceBackend;
}

/** Copies the starting files into a fresh temporary folder. */
function materialize(source: WorkspaceSource): string {
  const dir = mkdtempSync(join(tmpdir(), 'marketbench-task-'));
  if (source.dir) cpSync(source.dir, dir, { recursive: true, dereference: false, verbatimSymlinks: true });
  for (const [path, content] of Object.entries(source.files ?? {})) {
    const target = join(dir, checkRelativePath(path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}

/** A fresh local sandbox over a copy of the starting files (setup run, baseline recorded). */
export async function startLocalWorkspace(options: StartLocalWorkspaceOptions): Promise<ShellSandbox> {
  const sandbox = await createWorkspaceSandbox({
    backend: options.backend,
    workspace: materialize(options.source),
    limits: options.limits,
    network: options.network,
    env: options.env,
  });
  try {
    if (options.setup) {
      const result = await sandbox.exec(options.setup);
      if (result.exitCode !== 0) throw new SandboxError(`setup command failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
    }
    if (options.baseline ?? true) await sandbox.recordBaseline();
  } catch (error) {
    await sandbox.dispose();
    throw error;
  }
  return sandbox;
}

/**
 * Writes hidden files, first removing whatever the candidate left at those paths (a symlink or a
 * folder planted there must not redirect or block the write).
 */
export async function writeHiddenFiles(sandbox: Sandbox, files: Record<string, string>): Promise<void> {
  const paths = Object.keys(files);
  if (paths.length === 0) return;
  await sandbox.exec(`rm -rf -- ${paths.map((path) => shellQuote(checkRelativePath(path))).join(' ')}`);
  for (const [path, content] of Object.entries(files)) await sandbox.writeFile(path, content);
}

/** What `runHiddenTests` saw. */
export interface HiddenTestRun {
  /** False when the patch did not apply (the tests were then not run). */
  patchApplied: boolean;
  /** Output of `git apply` when it failed. */
  applyLog: string;
  /** The test command's result (undefined when the patch did not apply). */
  result: ExecResult | undefined;
}

/** Options of `runHiddenTests`. */
export interface RunHiddenTestsOptions extends StartLocalWorkspaceOptions {
  /** The candidate patch (unified diff; empty means "no change"). */
  patch: string;
  /**
   * Files written after the patch, overriding anything the patch did to them (the hidden tests);
   * a function receives the patched sandbox (e.g. to build a test program from the solution).
   */
  hiddenFiles?: Record<string, string> | ((sandbox: Sandbox) => Promise<Record<string, string>>);
  /** The acceptance command; exit 0 means pass. */
  testCommand: string;
  /** Wall-clock limit of the test command. */
  timeoutMs?: number;
}

/**
 * Evaluates a patch the SWE-bench way, locally: a fresh copy of the starting workspace, the patch
 * applied with git, the hidden test files written over it, then the test command, all sandboxed.
 */
export async function runHiddenTests(options: RunHiddenTestsOptions): Promise<HiddenTestRun> {
  const sandbox = await startLocalWorkspace({ ...options, baseline: options.baseline ?? false, network: false });
  try {
    const staticHidden = typeof options.hiddenFiles === 'function' ? [] : Object.keys(options.hiddenFiles ?? {});
    const patch = filterPatch(options.patch, evaluationKeep(staticHidden)).patch;
    if (patch.trim()) {
      const applied = await sandbox.exec(applyPatchScript(), { stdin: patch.endsWith('\n') ? patch : `${patch}\n` });
      if (applied.exitCode !== 0) return { patchApplied: false, applyLog: `${applied.stdout}${applied.stderr}`, result: undefined };
    }
    const hidden = typeof options.hiddenFiles === 'function' ? await options.hiddenFiles(sandbox) : (options.hiddenFiles ?? {});
    await writeHiddenFiles(sandbox, hidden);
    const result = await sandbox.exec(options.testCommand, { timeoutMs: options.timeoutMs });
    return { patchApplied: true, applyLog: '', result };
  } finally {
    await sandbox.dispose();
  }
}
