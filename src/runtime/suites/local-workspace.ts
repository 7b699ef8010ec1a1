import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { shellQuote } from '../sandbox/shell-quote.js';
import { checkRelativePath, type ShellSandbox } from '../sandbox/shell-sandbox.js';
import { SandboxError } from '../sandbox/errors.js';
import { createWorkspaceSandbox, type WorkspaceBackend } from '../sandbox/workspace-sandbox.js';

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
