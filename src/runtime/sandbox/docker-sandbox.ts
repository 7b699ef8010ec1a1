import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { posix } from 'node:path';
import { docker } from './docker-cli.js';
import { SandboxError } from './errors.js';
import { type SandboxLimits, type SandboxLimitsInput, sandboxLimits } from './limits.js';
import { runBounded, type RunBoundedResult } from './run-process.js';
import type { ExecOptions } from './sandbox.js';
import { checkRelativePath, ShellSandbox } from './shell-sandbox.js';

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
}): string[] {
  const { limits } = input;
  const workspace = input.workspaceTmpfs
    ? ['--tmpfs', `${input.workdir}:rw,exec,size=${limits.workspaceBytes},nr_inodes=${limits.workspaceInodes},mode=1777`]
    : [];
  const binds = (input.readOnlyBinds ?? []).flatMap((bind) => ['--mount', `type=bind,source=${bind.host},target=${bind.sandbox},readonly`]);
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
    '--tmpfs',
    `/tmp:rw,exec,size=${limits.tmpBytes}`,
    '--shm-size',
    String(limits.shmBytes),
    ...workspace,
    ...binds,
    '--workdir',
    input.workdir,
    '--entrypoint',
    'sleep',
    input.image,
    'infinity',
  ];
}

/**
 * A sandbox in a Docker container (any image, e.g. SWE-bench's). The container sleeps; each
 * command is a `docker exec` under `timeout -s KILL`, so a timed-out command dies inside the
 * container too, and the client is killed as a second line.
 */
export class DockerSandbox extends ShellSandbox {
  readonly backend = 'docker' as const;
  readonly workdir: string;
  /** Container name. */
  readonly container: string;
  /** Limits in force. */
  readonly limits: SandboxLimits;
  private readonly env: Record<string, string>;
  private readonly dockerBin: string;
  private readonly preamble: string;
  private readonly stop = new AbortController();

  /** Use `createDockerSandbox`. */
  constructor(options: DockerSandboxOptions & { container: string }) {
    super();
    this.workdir = options.workdir ?? '/workspace';
    this.container = options.container;
    this.limits = sandboxLimits(options.limits);
    this.env = { PAGER: 'cat', GIT_PAGER: 'cat', TERM: 'dumb', NO_COLOR: '1', PIP_PROGRESS_BAR: 'off', ...options.env };
    this.dockerBin = options.dockerBin ?? 'docker';
    this.preamble = options.preamble ? `${options.preamble}\n` : '';
  }

  protected execRaw(command: string, options: ExecOptions): Promise<RunBoundedResult> {
    const timeoutMs = options.timeoutMs ?? this.limits.timeoutMs;
    const cwd = options.cwd ? posix.join(this.workdir, checkRelativePath(options.cwd)) : this.workdir;
    const env = Object.entries({ ...this.env, ...options.env }).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    return runBounded({
      file: this.dockerBin,
      args: ['exec', '-i', '-w', cwd, ...env, this.container, 'timeout', '-s', 'KILL', String(seconds), 'bash', '-c', this.preamble + command],
      // The in-container timeout fires first; the client-side one is the backstop.
      timeoutMs: timeoutMs + 5_000,
      maxOutputBytes: options.maxOutputBytes ?? this.limits.outputBytes,
      killAfterOutputBytes: Math.max(this.limits.killAfterOutputBytes, (options.maxOutputBytes ?? 0) * 2),
      stdin: options.stdin,
      onStdout: options.onStdout,
      env: process.env,
      signal: this.stop.signal,
    }).then((result) => (result.exitCode === 137 && result.durationMs >= seconds * 1000 ? { ...result, timedOut: true } : result));
  }

  /** Removes the container. */
  async dispose(): Promise<void> {
    this.stop.abort();
    await docker(['rm', '--force', this.container], { dockerBin: this.dockerBin, timeoutMs: 60_000 });
  }
}

/** Starts a container from an image (pulling it when missing), copies the workspace in, records the baseline. */
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
  const runArgs = dockerRunArgs({
    name: container,
    image: options.image,
    workdir,
    limits,
    cpus: options.cpus ?? 1,
    network: options.network,
    workspaceTmpfs: options.workspace !== undefined,
    readOnlyBinds: options.readOnlyBinds,
  });
  const started = await docker(runArgs, {
    dockerBin,
    timeoutMs: 5 * 60_000,
  });
  if (started.exitCode !== 0) throw new SandboxError(`docker run ${options.image} failed: ${started.stderr.trim()}`);
  const sandbox = new DockerSandbox({ ...options, workdir, container });
  try {
    if (options.workspace) {
      // `docker cp` cannot write into a tmpfs mount; a tar stream through `docker exec` can.
      const archive = spawnSync('tar', ['-C', options.workspace, '-c', '.'], { maxBuffer: 1024 ** 3 });
      if (archive.status !== 0) throw new SandboxError(`tar of ${options.workspace} failed: ${archive.stderr.toString().trim()}`);
      const copied = await docker(['exec', '-i', container, 'tar', '-C', workdir, '--no-same-owner', '-x'], {
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
