import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { bwrapArgs, LOCAL_WORKDIR, type ReadOnlyBind, SANDBOX_UID } from './bwrap-args.js';
import { JOIN_CGROUPS_SCRIPT, SandboxCgroup } from './cgroup.js';
import { HARNESS_GIT_DIR, prepareHarnessRepository } from './git-baseline.js';
import { type SandboxLimits, type SandboxLimitsInput, sandboxLimits } from './limits.js';
import { runBounded, type RunBoundedResult } from './run-process.js';
import type { ExecOptions } from './sandbox.js';
import { checkRelativePath, ShellSandbox } from './shell-sandbox.js';
import { defaultToolBinds, sandboxPath } from './tool-mounts.js';
import type { WatchdogSpec } from './watchdog.js';
import { mountWorkspaceTmpfs, unmountWorkspaceTmpfs } from './workspace-tmpfs.js';

/** Host user the sandbox runs as when the harness is root: rlimits on processes do not bind root. */
export const UNPRIVILEGED_HOST_ID = 65534;

/** Options of `createLocalSandbox`. */
export interface LocalSandboxOptions {
  /**
   * Host folder with the starting files. Copied into a size- and inode-capped tmpfs mounted at
   * `/workspace` when one can be mounted (root); changes then live in the sandbox and are read
   * through it. Otherwise the folder itself is mounted writable, watched by the quota watchdog.
   */
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
  /**
   * Enforce total memory and the workspace quota with the polling watchdog even where a cgroup
   * and a tmpfs are available (to test the fallback that other machines get).
   */
  watchdogOnly?: boolean;
}

/** How one sandbox enforces its whole-sandbox limits (the rest are always rlimits and bwrap mounts). */
export interface LocalEnforcement {
  /** Total memory: a cgroup (kernel-enforced) or the polling watchdog. */
  memory: 'cgroup' | 'watchdog';
  /** Process count: a pids cgroup and RLIMIT_NPROC, or RLIMIT_NPROC alone. */
  processes: 'cgroup' | 'rlimit';
  /** Workspace bytes and inodes: a capped tmpfs, or the polling watchdog. */
  workspace: 'tmpfs' | 'watchdog';
  /** Why a fallback is in use (empty when none is). */
  notes: string[];
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
  protected readonly harnessGitAsAgent = true;
  /** Host folder of the workspace. */
  readonly workspace: string;
  /** Limits in force. */
  readonly limits: SandboxLimits;
  private readonly stateDir: string;
  /**
   * Host folder of the harness's baseline repository: beside the workspace on its capped tmpfs
   * (so the repository's objects count against the same quota), or in the state folder; never in
   * the workspace.
   */
  private readonly gitDir: string;
  /** Mount point of the capped tmpfs (holding `ws/` and `git/`). */
  private readonly fsRoot: string;
  private readonly binds: readonly ReadOnlyBind[];
  private readonly env: Record<string, string>;
  private readonly hostId: number | undefined;
  private readonly ownsWorkspace: boolean;
  private readonly network: boolean;
  private readonly stop = new AbortController();
  /** Folder mounted at `/workspace`: the capped tmpfs, or the host workspace itself. */
  private readonly root: string;
  private readonly tmpfs: boolean;
  private readonly cgroup: SandboxCgroup | undefined;
  private readonly watchdog: WatchdogSpec | undefined;
  /** How the whole-sandbox limits are enforced here. */
  readonly enforcement: LocalEnforcement;

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
    this.fsRoot = join(this.stateDir, 'fs');
    writeFileSync(join(this.stateDir, 'passwd'), `root:x:0:0:root:/root:/bin/bash\nsandbox:x:${SANDBOX_UID}:${SANDBOX_UID}:sandbox:/tmp:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`);
    writeFileSync(join(this.stateDir, 'group'), `root:x:0:\nsandbox:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`);
    const notes: string[] = [];
    const mounted = options.watchdogOnly
      ? { ok: false as const, reason: 'watchdog requested' }
      : mountWorkspaceTmpfs({
      source: this.workspace,
      target: this.fsRoot,
      into: 'ws',
      bytes: this.limits.workspaceBytes,
      inodes: this.limits.workspaceInodes,
      uid: this.hostId ?? process.getuid?.() ?? 0,
    });
    this.tmpfs = mounted.ok;
    if (!mounted.ok) notes.push(`workspace quota by watchdog: ${mounted.reason}`);
    this.root = mounted.ok ? join(this.fsRoot, 'ws') : this.workspace;
    this.gitDir = mounted.ok ? join(this.fsRoot, 'git') : join(this.stateDir, 'git');
    mkdirSync(this.gitDir);
    prepareHarnessRepository(this.gitDir);
    try {
      this.cgroup = options.watchdogOnly ? undefined : SandboxCgroup.create(this.limits);
      if (!this.cgroup) notes.push('memory by watchdog: no cgroup can be made here');
    } catch (error) {
      notes.push(`memory by watchdog: making a cgroup failed (${(error as Error).message})`);
    }
    this.enforcement = {
      memory: this.cgroup ? 'cgroup' : 'watchdog',
      processes: this.cgroup?.capsProcesses ? 'cgroup' : 'rlimit',
      workspace: this.tmpfs ? 'tmpfs' : 'watchdog',
      notes,
    };
    const watchdog: WatchdogSpec = {
      ...(!this.cgroup && { memoryBytes: this.limits.totalMemoryBytes }),
      ...(!this.tmpfs && { workspace: { dir: this.root, bytes: this.limits.workspaceBytes, inodes: this.limits.workspaceInodes } }),
    };
    this.watchdog = Object.keys(watchdog).length > 0 ? watchdog : undefined;
    if (this.hostId !== undefined) {
      // The workspace must belong to the unprivileged host user that the sandbox maps to.
      const chown = spawnSync('chown', ['-R', '-h', `${this.hostId}:${this.hostId}`, this.root, this.gitDir]);
      if (chown.status !== 0) {
        this.releaseHostState();
        throw new Error(`chown of ${this.root} failed: ${chown.stderr.toString()}`);
      }
    }
  }

  /** The launcher: bwrap, first joining the sandbox's cgroups (then dropping root) when it has them. */
  private launcher(bwrap: string[]): { file: string; args: string[]; uid?: number; gid?: number } {
    if (!this.cgroup) return { file: 'bwrap', args: bwrap, uid: this.hostId, gid: this.hostId };
    const drop = this.hostId === undefined ? [] : ['setpriv', `--reuid=${this.hostId}`, `--regid=${this.hostId}`, '--clear-groups', '--'];
    return { file: '/bin/sh', args: ['-c', JOIN_CGROUPS_SCRIPT, 'sh', ...this.cgroup.procsFiles, '--', ...drop, 'bwrap', ...bwrap] };
  }

  /** Removes the cgroups, the workspace tmpfs and the state folder. */
  private releaseHostState(): void {
    this.cgroup?.dispose();
    if (this.tmpfs) unmountWorkspaceTmpfs(this.fsRoot);
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  protected execRaw(command: string, options: ExecOptions): Promise<RunBoundedResult> {
    return this.run(command, options, []);
  }

  /** The harness's git scripts: the only commands that see the baseline repository (mounted writable). */
  protected execHarnessGit(script: string, options: ExecOptions): Promise<RunBoundedResult> {
    return this.run(script, options, [{ host: this.gitDir, sandbox: HARNESS_GIT_DIR }]);
  }

  private run(command: string, options: ExecOptions, writableBinds: readonly ReadOnlyBind[]): Promise<RunBoundedResult> {
    const cwd = options.cwd ? posix.join(LOCAL_WORKDIR, checkRelativePath(options.cwd)) : LOCAL_WORKDIR;
    const args = bwrapArgs({
      workspace: this.root,
      etcDir: this.stateDir,
      limits: this.limits,
      readOnlyBinds: this.binds,
      writableBinds,
      env: { ...this.env, ...options.env },
      cwd,
      command,
      network: this.network,
    });
    const launcher = this.launcher(args);
    return runBounded({
      ...launcher,
      timeoutMs: options.timeoutMs ?? this.limits.timeoutMs,
      maxOutputBytes: options.maxOutputBytes ?? this.limits.outputBytes,
      killAfterOutputBytes: Math.max(this.limits.killAfterOutputBytes, (options.maxOutputBytes ?? 0) * 2),
      stdin: options.stdin,
      onStdout: options.onStdout,
      signal: this.stop.signal,
      watchdog: this.watchdog,
    });
  }

  /** Kills running commands, removes the cgroups, the tmpfs and the state folder (and the workspace when owned). */
  async dispose(): Promise<void> {
    this.stop.abort();
    this.releaseHostState();
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
