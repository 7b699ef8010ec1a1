import { SandboxError } from './errors.js';
import { agentRepositoryScript, baselineScript, diffScript } from './git-baseline.js';
import type { SandboxLimits } from './limits.js';
import type { RunBoundedResult } from './run-process.js';
import type { ExecOptions, ExecResult, Sandbox } from './sandbox.js';
import { shellQuote } from './shell-quote.js';

/** Largest file or diff the harness reads back from a sandbox. */
const READ_CAP_BYTES = 64 * 1024 * 1024;

/** Rejects absolute paths, `..` segments and NUL bytes in workspace-relative paths. */
export function checkRelativePath(path: string): string {
  if (path.length === 0 || path.startsWith('/') || path.includes('\0') || path.split('/').includes('..')) {
    throw new SandboxError(`workspace path must be relative and stay inside the workspace, got '${path}'`);
  }
  return path;
}

/**
 * Shared behaviour of backends whose only primitive is "run a shell command": file reads and
 * writes, the git baseline and the diff all go through that primitive, so they run inside the
 * sandbox (a symlink planted by a command cannot make the harness read a host file).
 */
export abstract class ShellSandbox implements Sandbox {
  abstract readonly backend: 'local' | 'docker';
  abstract readonly workdir: string;
  /** Limits in force. */
  abstract readonly limits: SandboxLimits;
  /** Commit the workspace started from (set by `recordBaseline`). */
  protected baseCommit: string | undefined;

  /** Runs a command and returns the raw result (stdout bytes included). */
  protected abstract execRaw(command: string, options: ExecOptions): Promise<RunBoundedResult>;

  /**
   * Runs one of the harness's own git scripts with the harness repository mounted writable at
   * `HARNESS_GIT_DIR` (no command of the agent can write it).
   */
  protected abstract execHarnessGit(script: string, options: ExecOptions): Promise<RunBoundedResult>;

  /**
   * True when the harness's git runs as the same user as the agent's commands, so the agent's
   * copy of the baseline repository can be made in the same command (else it takes a second one).
   */
  protected abstract readonly harnessGitAsAgent: boolean;

  abstract dispose(): Promise<void>;

  /** Runs a shell command in the workspace. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const { stdoutBytes: _bytes, ...result } = await this.execRaw(command, options);
    return result;
  }

  /** Reads a workspace file as UTF-8. */
  async readFile(path: string): Promise<string> {
    const result = await this.execRaw(`cat -- ${shellQuote(checkRelativePath(path))}`, { maxOutputBytes: READ_CAP_BYTES * 2 });
    if (result.exitCode !== 0) throw new SandboxError(`cannot read '${path}' in the sandbox: ${result.stderr.trim()}`);
    if (result.outputTruncated) throw new SandboxError(`'${path}' is larger than ${READ_CAP_BYTES} bytes`);
    return result.stdoutBytes.toString('utf8');
  }

  /** Writes a workspace file, creating its folder. */
  async writeFile(path: string, content: string | Buffer): Promise<void> {
    const target = shellQuote(checkRelativePath(path));
    const result = await this.execRaw(`mkdir -p -- "$(dirname -- ${target})" && cat > ${target}`, { stdin: content });
    if (result.exitCode !== 0) throw new SandboxError(`cannot write '${path}' in the sandbox: ${result.stderr.trim()}`);
  }

  /**
   * Records the starting state as a commit in the harness's own repository, outside the workspace;
   * called once by the factory. The agent gets a copy at `.git` when the workspace has none.
   */
  async recordBaseline(): Promise<void> {
    const result = await this.execHarnessGit(baselineScript({ workTree: this.workdir, agentRepository: this.harnessGitAsAgent }), {});
    const hash = result.stdout.trim().split('\n').pop() ?? '';
    if (result.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(hash)) {
      throw new SandboxError(`cannot record the workspace baseline with git: ${result.stderr.trim() || result.stdout.trim()}`);
    }
    if (!this.harnessGitAsAgent) {
      const copied = await this.execRaw(agentRepositoryScript(), {});
      if (copied.exitCode !== 0) throw new SandboxError(`cannot give the agent a copy of the baseline repository: ${copied.stderr.trim()}`);
    }
    this.baseCommit = hash;
  }

  /** Diff of the workspace against the baseline. */
  async diff(): Promise<string> {
    if (!this.baseCommit) throw new SandboxError('the sandbox was created without a baseline, so it has nothing to diff against');
    const result = await this.execHarnessGit(diffScript({ baseCommit: this.baseCommit, workTree: this.workdir }), { maxOutputBytes: this.limits.patchBytes });
    if (result.outputTruncated || result.outputLimitKilled) {
      throw new SandboxError(`the workspace diff is larger than the patch limit (${this.limits.patchBytes} bytes), so it is not taken as a fix`);
    }
    if (result.exitCode !== 0) throw new SandboxError(`git diff failed in the sandbox: ${result.stderr.trim()}`);
    return result.stdoutBytes.toString('utf8');
  }
}
