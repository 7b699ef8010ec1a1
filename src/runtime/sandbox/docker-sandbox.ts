import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { containerWorkspaceOnHost } from './container-workspace.js';
import { docker } from './docker-cli.js';
import { SandboxError } from './errors.js';
import { HARNESS_GIT_DIR, prepareHarnessRepository } from './git-baseline.js';
import { type SandboxLimits, type SandboxLimitsInput, sandboxLimits } from './limits.js';
import { runBounded, type RunBoundedResult } from './run-process.js';
import type { ExecOptions } from './sandbox.js';
import { checkRelativePath, ShellSandbox } from './shell-sandbox.js';
import { type WatchdogSpec, workspaceOverQuota, workspaceUsage } from './watchdog.js';

/**
 * Host user that owns the harness's baseline repository and runs its git in the container. The
 * agent's commands run as root without capabilities, so they can read that folder but neither
 * write, chmod nor remove it (a bind mount, owned by another user).
 */
const HARNESS_GIT_UID = 65534;

/** Options of `createDockerSandbox`. */
export interface DockerSandboxOptions {
  /** Image to run, e.g. a SWE-bench instance image (see `swebenchImageName`). */
  image: string;
  /** Folder inside the container where commands run (default `/workspace`; SWE-bench uses `/testbed`). */
  workdir?: string;
  /** Host folder copied into `workdir` before the baseline (none: the image already holds the code). */
  workspace?: string;
  /** Resource limits (defaults in `SandboxLimitsSchema`). */
  limits?: SandboxLimitsInput;
  /** Environment variables for every command. */
  env?: Record<string, string>;
  /** Record a git baseline so `diff()` works (default true). */
  baseline?: boolean;
  /** Pull the image first when it is missing (default true). */
  pull?: boolean;
  /** The docker CLI (default `docker`). */
  dockerBin?: string;
  /** CPUs the container may use (default 1). */
  cpus?: number;
  /** Shell text run before every command, e.g. activating SWE-bench's conda environment. */
  preamble?: string;
  /** Give the container Docker's default network (external agents only; default none). */
  network?: boolean;
  /** Remove the host `workspace` folder once it is copied in (default false). */
  removeWorkspace?: boolean;
  /** Read-only bind mounts into the container (e.g. the host's `node` binary). */
  readOnlyBinds?: readonly { host: string; sandbox: string }[];
}

/** `docker run` arguments for a sandbox container: no network, no capabilities, bounded resources. */
export function dockerRunArgs(input: {
  name: string;
  image: string;
  workdir: string;
  limits: SandboxLimits;
  cpus: number;
  network?: boolean;
  /** Put the workdir on a size- and inode-capped tmpfs (when the harness copies the workspace in). */
  workspaceTmpfs?: boolean;
  /** Read-only bind mounts (host path → container path), e.g. the host's `node`. */
  readOnlyBinds?: readonly { host: string; sandbox: string }[];
  /** Host folder of the harness's baseline repository, bound at `HARNESS_GIT_DIR`. */
  harnessGitDir?: string;
}): string[] {
  const { limits } = input;
  const workspace = input.workspaceTmpfs
    ? ['--tmpfs', `${input.workdir}:rw,exec,size=${limits.workspaceBytes},nr_inodes=${limits.workspaceInodes},mode=1777`]
    : [];
  const binds = (input.readOnlyBinds ?? []).flatMap((bind) => ['--mount', `type=bind,source=${bind.host},target=${bind.sandbox},readonly`]);
  const git = input.harnessGitDir ? ['--mount', `type=bind,source=${input.harnessGitDir},target=${HARNESS_GIT_DIR}`] : [];
  return [
    'run',
    '--detach',
    '--name',
    input.name,
    '--network',
    input.network ? 'bridge' : 'none',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--pids-limit',
    String(limits.processes),
    '--memory',
    String(limits.totalMemoryBytes),
    '--memory-swap',
    String(limits.totalMemoryBytes),
    '--cpus',
    String(input.cpus),
    '--ulimit',
    `nofile=${limits.openFiles}:${limits.openFiles}`,
    '--ulimit',
    `fsize=${limits.fileSizeBytes}:${limits.fileSizeBytes}`,
    '--ulimit',
    `data=${limits.memoryBytes}:${limits.memoryBytes}`,
    '--ulimit',
    'core=0:0',
    // When the harness copies the workspace in, every writable place is a capped tmpfs.
    ...(input.workspaceTmpfs ? ['--read-only'] : []),
    '--tmpfs',
    `/tmp:rw,exec,size=${limits.tmpBytes}`,
    // Docker's own /dev is a writable tmpfs; this one is read-only (runc still makes the usual
    // device nodes in it) and takes /dev/shm as a capped tmpfs of its own.
    '--tmpfs',
    '/dev:ro,dev,nosuid,size=64k',
    '--tmpfs',
    `/dev/shm:rw,nosuid,nodev,exec,size=${limits.shmBytes}`,
    ...workspace,
    ...binds,
    ...git,
    '--workdir',
    input.workdir,
    '--entrypoint',
    'sleep',
    input.image,
    'infinity',
  ];
}

/** How a Docker sandbox caps its workspace. */
export type DockerWorkspaceQuota = 'tmpfs' | 'watchdog' | 'none';

/**
 * A sandbox in a Docker container (any image, e.g. SWE-bench's). The container sleeps; each
 * command is a `docker exec` under `timeout -s KILL`, so a timed-out command dies inside the
 * container too; whenever the harness kills a command (time, output flood, quota) it also kills
 * every process left in the container, so nothing of the agent's outlives its command.
 */
export class DockerSandbox extends ShellSandbox {
  readonly backend = 'docker' as const;
  protected readonly harnessGitAsAgent = false;
  readonly workdir: string;
  /** Container name. */
  readonly container: string;
  /** Limits in force. */
  readonly limits: SandboxLimits;
  /** How the workspace's bytes and inodes are capped (see `createDockerSandbox`). */
  readonly workspaceQuota: DockerWorkspaceQuota;
  /** Why the workspace has no quota (empty when it has one). */
  readonly workspaceQuotaNote: string;
  private readonly env: Record<string, string>;
  private readonly dockerBin: string;
  private readonly preamble: string;
  private readonly stop = new AbortController();
  private readonly gitDir: string | undefined;
  private readonly watchdog: WatchdogSpec | undefined;
  /** Set once the workspace passed its quota: the attempt is over, later commands are refused. */
  private overQuota = false;

  /** Use `createDockerSandbox`. */
  constructor(options: DockerSandboxOptions & { container: string; gitDir?: string; quota?: { kind: DockerWorkspaceQuota; hostDir?: string; note?: string } }) {
    super();
    this.workdir = options.workdir ?? '/workspace';
    this.container = options.container;
    this.limits = sandboxLimits(options.limits);
    this.env = { PAGER: 'cat', GIT_PAGER: 'cat', TERM: 'dumb', NO_COLOR: '1', PIP_PROGRESS_BAR: 'off', ...options.env };
    this.dockerBin = options.dockerBin ?? 'docker';
    this.preamble = options.preamble ? `${options.preamble}\n` : '';
    this.gitDir = options.gitDir;
    this.workspaceQuota = options.quota?.kind ?? 'none';
    this.workspaceQuotaNote = options.quota?.note ?? '';
    const hostDir = options.quota?.hostDir;
    // The image's own files are not the agent's: the caps bound what the workspace grows by.
    const start = hostDir ? workspaceUsage(hostDir) : { bytes: 0, inodes: 0 };
    this.watchdog = hostDir
      ? { workspace: { dir: hostDir, bytes: start.bytes + this.limits.workspaceBytes, inodes: start.inodes + this.limits.workspaceInodes } }
      : undefined;
  }

  protected execRaw(command: string, options: ExecOptions): Promise<RunBoundedResult> {
    if (this.overQuota) return Promise.resolve(refusedOverQuota(this.limits));
    return this.run(command, options, undefined).then((result) => {
      if (this.watchdog?.workspace && (result.limitKilled === 'workspace' || workspaceOverQuota(this.watchdog.workspace.dir, this.watchdog.workspace))) {
        this.overQuota = true;
        return { ...result, limitKilled: 'workspace' as const, stderr: `${result.stderr}${QUOTA_MESSAGE(this.limits)}\n` };
      }
      return result;
    });
  }

  /** The harness's git, as the user that owns its repository (the agent's root cannot write it). */
  protected execHarnessGit(script: string, options: ExecOptions): Promise<RunBoundedResult> {
    if (!this.gitDir) throw new SandboxError('this container was started without the harness repository');
    return this.run(script, options, `${harnessGitUid()}:${harnessGitUid()}`);
  }

  private run(command: string, options: ExecOptions, user: string | undefined): Promise<RunBoundedResult> {
    const timeoutMs = options.timeoutMs ?? this.limits.timeoutMs;
    const cwd = options.cwd ? posix.join(this.workdir, checkRelativePath(options.cwd)) : this.workdir;
    const env = Object.entries({ ...this.env, ...options.env }).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    return runBounded({
      file: this.dockerBin,
      args: ['exec', '-i', ...(user ? ['-u', user] : []), '-w', cwd, ...env, this.container, 'timeout', '-s', 'KILL', String(seconds), 'bash', '-c', this.preamble + command],
      // The in-container timeout fires first; the client-side one is the backstop.
      timeoutMs: timeoutMs + 5_000,
      maxOutputBytes: options.maxOutputBytes ?? this.limits.outputBytes,
      killAfterOutputBytes: Math.max(this.limits.killAfterOutputBytes, (options.maxOutputBytes ?? 0) * 2),
      stdin: options.stdin,
      onStdout: options.onStdout,
      env: process.env,
      signal: this.stop.signal,
      watchdog: user ? undefined : this.watchdog,
      // Killing the client leaves the command running in the container: kill everything there but its init.
      onKill: () => void this.killAll(),
    }).then((result) => (result.exitCode === 137 && result.durationMs >= seconds * 1000 ? { ...result, timedOut: true } : result));
  }

  /** Kills every process in the container except its init (`kill -1` spares the caller and pid 1). */
  private killAll(): Promise<unknown> {
    if (this.stop.signal.aborted) return Promise.resolve();
    return docker(['exec', this.container, 'sh', '-c', 'kill -KILL -1'], { dockerBin: this.dockerBin, timeoutMs: 30_000 }).catch(() => undefined);
  }

  /** The diff, once nothing of the agent's runs, unless the workspace passed its quota (then the attempt was stopped and has none). */
  override async diff(): Promise<string> {
    if (this.overQuota) throw new SandboxError(QUOTA_MESSAGE(this.limits));
    // A process the agent left running (unlike the local backend's, it outlives its command) must
    // not change the workspace while the harness reads it.
    await this.killAll();
    return super.diff();
  }

  /** Removes the container and the harness's repository. */
  async dispose(): Promise<void> {
    this.stop.abort();
    await docker(['rm', '--force', this.container], { dockerBin: this.dockerBin, timeoutMs: 60_000 });
    if (this.gitDir) rmSync(this.gitDir, { recursive: true, force: true });
  }
}

const QUOTA_MESSAGE = (limits: SandboxLimits) =>
  `marketbench: the workspace passed its quota (it may grow by ${limits.workspaceBytes} bytes or ${limits.workspaceInodes} files); the attempt is stopped and later commands are refused`;

/** The result of a command refused because the workspace is over its quota. */
function refusedOverQuota(limits: SandboxLimits): RunBoundedResult {
  return {
    stdout: '',
    stderr: `${QUOTA_MESSAGE(limits)}\n`,
    stdoutBytes: Buffer.alloc(0),
    exitCode: 1,
    signal: null,
    timedOut: false,
    outputTruncated: false,
    outputLimitKilled: false,
    limitKilled: 'workspace',
    outputBytes: 0,
    durationMs: 0,
  };
}

/** The host user that runs the harness's git in containers (65534 when the harness is root, else the harness's own). */
function harnessGitUid(): number {
  const uid = process.getuid?.() ?? HARNESS_GIT_UID;
  return uid === 0 ? HARNESS_GIT_UID : uid;
}

/**
 * Starts a container from an image (pulling it when missing), copies the workspace in, records the
 * baseline. A copied workspace lives on a size- and inode-capped tmpfs under a read-only root; an
 * image that already holds the code (SWE-bench) gets a watchdog over its workdir, read from the
 * host through the container's root (`/proc/<pid>/root`) while each command runs and after it:
 * once the workdir has grown past the caps (from its size at start), the command and everything
 * else in the container is killed and the sandbox refuses further commands.
 */
export async function createDockerSandbox(options: DockerSandboxOptions): Promise<DockerSandbox> {
  const dockerBin = options.dockerBin ?? 'docker';
  const container = `marketbench-${randomBytes(6).toString('hex')}`;
  const workdir = options.workdir ?? '/workspace';
  const limits = sandboxLimits(options.limits);
  if (options.pull ?? true) {
    const inspect = await docker(['image', 'inspect', options.image], { dockerBin, timeoutMs: 60_000 });
    if (inspect.exitCode !== 0) {
      const pulled = await docker(['pull', options.image], { dockerBin, timeoutMs: 30 * 60_000 });
      if (pulled.exitCode !== 0) throw new SandboxError(`docker pull ${options.image} failed: ${pulled.stderr.trim()}`);
    }
  }
  const gitDir = mkdtempSync(join(tmpdir(), 'marketbench-git-'));
  // Readable by the agent's root (it copies it as its own .git), writable only by its owner.
  chmodSync(gitDir, 0o755);
  prepareHarnessRepository(gitDir);
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', `${HARNESS_GIT_UID}:${HARNESS_GIT_UID}`, gitDir]);
  const runArgs = dockerRunArgs({
    name: container,
    image: options.image,
    workdir,
    limits,
    cpus: options.cpus ?? 1,
    network: options.network,
    workspaceTmpfs: options.workspace !== undefined,
    readOnlyBinds: options.readOnlyBinds,
    harnessGitDir: gitDir,
  });
  const started = await docker(runArgs, {
    dockerBin,
    timeoutMs: 5 * 60_000,
  });
  if (started.exitCode !== 0) {
    rmSync(gitDir, { recursive: true, force: true });
    throw new SandboxError(`docker run ${options.image} failed: ${started.stderr.trim()}`);
  }
  const quota =
    options.workspace !== undefined
      ? { kind: 'tmpfs' as const }
      : await containerWorkspaceOnHost({ container, workdir, dockerBin }).then((found) =>
          'dir' in found ? { kind: 'watchdog' as const, hostDir: found.dir } : { kind: 'none' as const, note: found.reason },
        );
  const sandbox = new DockerSandbox({ ...options, workdir, container, gitDir, quota });
  try {
    if (options.workspace) {
      // `docker cp` cannot write into a tmpfs mount; a tar stream through `docker exec` can.
      // Everything readable (the harness's git runs as another user than the agent), and the
      // workdir keeps its own mode (a host temp folder's 0700 would lock that user out).
      const archive = spawnSync('tar', ['-C', options.workspace, '--mode=a+rX', '-c', '.'], { maxBuffer: 1024 ** 3 });
      if (archive.status !== 0) throw new SandboxError(`tar of ${options.workspace} failed: ${archive.stderr.toString().trim()}`);
      const copied = await docker(['exec', '-i', container, 'tar', '-C', workdir, '--no-same-owner', '--no-overwrite-dir', '-x'], {
        dockerBin,
        timeoutMs: 10 * 60_000,
        stdin: archive.stdout,
      });
      if (copied.exitCode !== 0) throw new SandboxError(`copying the workspace into ${container} failed: ${copied.stderr.trim()}`);
      if (options.removeWorkspace) rmSync(options.workspace, { recursive: true, force: true });
    }
    if (options.baseline ?? true) await sandbox.recordBaseline();
  } catch (error) {
    await sandbox.dispose();
    throw error;
  }
  return sandbox;
}
