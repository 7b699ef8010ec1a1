import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { bwrapArgs, LOCAL_WORKDIR, type ReadOnlyBind, SANDBOX_UID } from './bwrap-args.js';
import { type SandboxLimits, type SandboxLimitsInput, sandboxLimits } from './limits.js';
import { runBounded, type RunBoundedResult } from './run-process.js';
import type { ExecOptions } from './sandbox.js';
import { checkRelativePath, ShellSandbox } from './shell-sandbox.js';
import { defaultToolBinds, sandboxPath } from './tool-mounts.js';

/** Host user the sandbox runs as when the harness is root: rlimits on processes do not bind root. */
export const UNPRIVILEGED_HOST_ID = 65534;

/** Options of `createLocalSandbox`. */
export interface LocalSandboxOptions {
  /** Host folder to work in (mounted writable at `/workspace`). */
  workspace: string;
  /** Remove the folder on dispose. */
  ownsWorkspace?: boolean;
  /** Resource limits (defaults in `SandboxLimitsSchema`). */
  limits?: SandboxLimitsInput;
  /** Extra read-only mounts besides the defaults (project node_modules, Node.js). */
  readOnlyBinds?: readonly ReadOnlyBind[];
  /** Extra environment variables for every command. */
  env?: Record<string, string>;
  /** Record a git baseline so `diff()` works (default true). */
  baseline?: boolean;
  /**
   * Share the host network (default false). Only for external agents that must reach their model
   * API; everything else runs with no network at all.
   */
  network?: boolean;
}

/** The environment every local command starts from. */
function baseEnv(binds: readonly ReadOnlyBind[]): Record<string, string> {
  return {
    PATH: sandboxPath(binds),
    HOME: '/tmp',
    TMPDIR: '/tmp',
    USER: 'sandbox',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'dumb',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    MANPAGER: 'cat',
    NO_COLOR: '1',
    CI: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PIP_PROGRESS_BAR: 'off',
  };
}

/**
 * A sandbox on bubblewrap: each command runs in fresh namespaces (no network, own pid tree, no
 * capabilities) with read-only system folders, a private /tmp, and only the workspace writable.
 */
export class LocalSandbox extends ShellSandbox {
  readonly backend = 'local' as const;
  readonly workdir = LOCAL_WORKDIR;
  /** Host folder of the workspace. */
  readonly workspace: string;
  /** Limits in force. */
  readonly limits: SandboxLimits;
  private readonly stateDir: string;
  private readonly binds: readonly ReadOnlyBind[];
  private readonly env: Record<string, string>;
  private readonly hostId: number | undefined;
  private readonly ownsWorkspace: boolean;
  private readonly network: boolean;
  private readonly stop = new AbortController();

  /** Use `createLocalSandbox`. */
  constructor(options: LocalSandboxOptions) {
    super();
    this.workspace = options.workspace;
    this.limits = sandboxLimits(options.limits);
    this.ownsWorkspace = options.ownsWorkspace ?? false;
    this.network = options.network ?? false;
    this.binds = [...defaultToolBinds(), ...(options.readOnlyBinds ?? [])];
    this.env = { ...baseEnv(this.binds), ...options.env };
    this.hostId = process.getuid?.() === 0 ? UNPRIVILEGED_HOST_ID : undefined;
    this.stateDir = mkdtempSync(join(tmpdir(), 'marketbench-sbx-'));
    chmodSync(this.stateDir, 0o755);
    writeFileSync(join(this.stateDir, 'passwd'), `root:x:0:0:root:/root:/bin/bash\nsandbox:x:${SANDBOX_UID}:${SANDBOX_UID}:sandbox:/tmp:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`);
    writeFileSync(join(this.stateDir, 'group'), `root:x:0:\nsandbox:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`);
    if (this.hostId !== undefined) {
      // The workspace must belong to the unprivileged host user that the sandbox maps to.
      const chown = spawnSync('chown', ['-R', '-h', `${this.hostId}:${this.hostId}`, this.workspace]);
      if (chown.status !== 0) throw new Error(`chown of ${this.workspace} failed: ${chown.stderr.toString()}`);
    }
  }

  protected execRaw(command: string, options: ExecOptions): Promise<RunBoundedResult> {
    const cwd = options.cwd ? posix.join(LOCAL_WORKDIR, checkRelativePath(options.cwd)) : LOCAL_WORKDIR;
    const args = bwrapArgs({
      workspace: this.workspace,
      etcDir: this.stateDir,
      limits: this.limits,
      readOnlyBinds: this.binds,
      env: { ...this.env, ...options.env },
      cwd,
      command,
      network: this.network,
    });
    return runBounded({
      file: 'bwrap',
      args,
      timeoutMs: options.timeoutMs ?? this.limits.timeoutMs,
      maxOutputBytes: options.maxOutputBytes ?? this.limits.outputBytes,
      killAfterOutputBytes: Math.max(this.limits.killAfterOutputBytes, (options.maxOutputBytes ?? 0) * 2),
      stdin: options.stdin,
      onStdout: options.onStdout,
      uid: this.hostId,
      gid: this.hostId,
      signal: this.stop.signal,
    });
  }

  /** Kills running commands and removes the state folder (and the workspace when owned). */
  async dispose(): Promise<void> {
    this.stop.abort();
    rmSync(this.stateDir, { recursive: true, force: true });
    if (this.ownsWorkspace) removeTree(this.workspace);
  }
}

/** Removes a folder a command may have made hard to delete (read-only subfolders). */
export function removeTree(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    spawnSync('chmod', ['-R', 'u+rwX', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates a local (bubblewrap) sandbox over a host folder and records its git baseline. */
export async function createLocalSandbox(options: LocalSandboxOptions): Promise<LocalSandbox> {
  const sandbox = new LocalSandbox(options);
  if (options.baseline ?? true) {
    try {
      await sandbox.recordBaseline();
    } catch (error) {
      await sandbox.dispose();
      throw error;
    }
  }
  return sandbox;
}
