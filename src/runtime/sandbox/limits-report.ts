import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupSupport } from './cgroup.js';
import { docker, dockerAvailability } from './docker-cli.js';
import { type SandboxLimits, sandboxLimits } from './limits.js';
import { localSandboxAvailability } from './local-availability.js';
import { type LocalEnforcement, LocalSandbox } from './local-sandbox.js';
import type { BackendAvailability } from './sandbox.js';

/** One limit and how each backend enforces it on this machine. */
export interface LimitRow {
  /** The limit, with its default value. */
  limit: string;
  /** How the local (bubblewrap) backend enforces it here, or why it cannot run. */
  local: string;
  /** How the Docker backend enforces it here, or why it cannot run. */
  docker: string;
}

/** What `sandboxLimitsReport` found. */
export interface LimitsReport {
  /** Whether the local backend runs here. */
  local: BackendAvailability & { enforcement?: LocalEnforcement; cgroup?: string };
  /** Whether the Docker backend runs here. */
  docker: BackendAvailability & { memoryCgroup?: boolean; pidsCgroup?: boolean; storageDriver?: string; hostWatch?: boolean };
  /** Every limit, per backend. */
  rows: LimitRow[];
}

const MiB = 1024 ** 2;

function size(bytes: number): string {
  return bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)} GiB` : `${bytes / MiB} MiB`;
}

/** A real local sandbox's enforcement (made and disposed at once: the honest probe). */
async function localEnforcement(): Promise<LocalEnforcement> {
  const sandbox = new LocalSandbox({ workspace: mkdtempSync(join(tmpdir(), 'marketbench-doctor-')), ownsWorkspace: true });
  try {
    return sandbox.enforcement;
  } finally {
    await sandbox.dispose();
  }
}

/**
 * What the Docker engine supports (memory and pids cgroups, storage driver), and whether the
 * harness can watch a container's files from the host (a local engine, and the harness is root).
 */
async function dockerFeatures(dockerBin: string | undefined): Promise<{ memoryCgroup: boolean; pidsCgroup: boolean; storageDriver: string; hostWatch: boolean }> {
  const info = await docker(['info', '--format', '{{.MemoryLimit}} {{.PidsLimit}} {{.Driver}}'], { dockerBin, timeoutMs: 30_000 });
  const [memory, pids, driver = 'unknown'] = info.stdout.trim().split(' ');
  const host = process.env.DOCKER_HOST ?? '';
  const hostWatch = process.getuid?.() === 0 && (host === '' || host.startsWith('unix://'));
  return { memoryCgroup: memory === 'true', pidsCgroup: pids === 'true', storageDriver: driver, hostWatch };
}

function rows(limits: SandboxLimits, report: Omit<LimitsReport, 'rows'>): LimitRow[] {
  const { local, docker: engine } = report;
  const e = local.enforcement;
  const l = (text: string): string => (local.ok ? text : `- (${local.reason})`);
  const d = (text: string): string => (engine.ok ? text : `- (${engine.reason})`);
  return [
    { limit: 'network', local: l('none: own network namespace'), docker: d('none: --network none') },
    {
      limit: `total memory (${size(limits.totalMemoryBytes)})`,
      local: l(e?.memory === 'cgroup' ? `${local.cgroup} memory cgroup (kernel OOM kill inside the sandbox)` : 'watchdog: sums resident memory every 200 ms, kills the tree (overshoots by one interval; misses tmpfs files)'),
      docker: d(engine.memoryCgroup ? '--memory and --memory-swap (cgroup)' : 'NOT enforced: the engine reports no memory cgroup'),
    },
    { limit: `memory per process (${size(limits.memoryBytes)})`, local: l('RLIMIT_DATA'), docker: d('--ulimit data') },
    {
      limit: `processes (${limits.processes})`,
      local: l(e?.processes === 'cgroup' ? 'pids cgroup + RLIMIT_NPROC' : 'RLIMIT_NPROC only (counted per user id)'),
      docker: d(engine.pidsCgroup ? '--pids-limit (cgroup)' : 'NOT enforced: the engine reports no pids cgroup'),
    },
    { limit: `file size (${size(limits.fileSizeBytes)})`, local: l('RLIMIT_FSIZE'), docker: d('--ulimit fsize') },
    { limit: `CPU (${limits.cpuSeconds} s per process)`, local: l('RLIMIT_CPU'), docker: d('--cpus (a rate, not a time cap); wall time bounds it') },
    { limit: `/tmp (${size(limits.tmpBytes)})`, local: l('size-capped tmpfs'), docker: d('size-capped tmpfs') },
    { limit: `/dev/shm (${size(limits.shmBytes)})`, local: l('size-capped tmpfs'), docker: d('size-capped tmpfs (--tmpfs /dev/shm)') },
    { limit: '/dev read-only', local: l('read-only (bwrap --remount-ro)'), docker: d('read-only tmpfs (--tmpfs /dev:ro; runc makes the device nodes)') },
    {
      limit: `workspace (${size(limits.workspaceBytes)}, ${limits.workspaceInodes} inodes)`,
      local: l(e?.workspace === 'tmpfs' ? 'tmpfs with size and nr_inodes' : 'watchdog: walks the workspace every second (overshoots by one interval of writes, which reach the host disk)'),
      docker: d(
        `copied in: tmpfs with size and nr_inodes under a read-only root; image holds the code: ${
          engine.hostWatch
            ? 'watchdog walking the workdir from the host during and after each command; past the caps (growth from its size at start) every process is killed and later commands refused (overshoots by one interval; writes outside the workdir not counted)'
            : `NOT enforced (the watchdog reads the container's files from the host: needs a local engine and root; ${engine.storageDriver ?? 'the storage driver'} has no quota)`
        }`,
      ),
    },
    {
      limit: `patch (${size(limits.patchBytes)})`,
      local: l("the harness's own baseline repository, outside the workspace, mounted only for its git; a bigger diff is no patch"),
      docker: d("the harness's own baseline repository, outside the workspace, owned by another user than the agent's root; a bigger diff is no patch"),
    },
    { limit: `output (${size(limits.outputBytes)} kept)`, local: l(`head and tail kept; killed past ${size(limits.killAfterOutputBytes)}`), docker: d(`head and tail kept; killed past ${size(limits.killAfterOutputBytes)}`) },
    { limit: `wall time (${limits.timeoutMs / 1000} s per command)`, local: l('whole process tree killed'), docker: d('timeout -s KILL in the container, client killed as backstop') },
  ];
}

/** Which sandbox limits each backend enforces on this machine, found by real probes. */
export async function sandboxLimitsReport(options: { dockerBin?: string } = {}): Promise<LimitsReport> {
  const limits = sandboxLimits();
  const [localState, dockerState] = await Promise.all([localSandboxAvailability(), dockerAvailability(options.dockerBin)]);
  const support = cgroupSupport();
  const local: LimitsReport['local'] = localState.ok ? { ...localState, enforcement: await localEnforcement(), cgroup: support.version ?? undefined } : localState;
  const engine: LimitsReport['docker'] = dockerState.ok ? { ...dockerState, ...(await dockerFeatures(options.dockerBin)) } : dockerState;
  return { local, docker: engine, rows: rows(limits, { local, docker: engine }) };
}
