import { z } from 'zod';

/** Resource limits of a sandbox; every field has a safe default. */
export const SandboxLimitsSchema = z.object({
  /** Default wall-clock limit of one command, in milliseconds. */
  timeoutMs: z.number().int().positive().default(120_000),
  /** CPU seconds per process (RLIMIT_CPU); the wall-clock timeout bounds the whole tree. */
  cpuSeconds: z.number().int().positive().default(300),
  /**
   * Private writable memory per process in bytes (RLIMIT_DATA). Not RLIMIT_AS: V8 and WebAssembly
   * reserve many GiB of address space they never touch, so an address-space cap breaks Node.js.
   */
  memoryBytes: z.number().int().positive().default(2 * 1024 ** 3),
  /**
   * Memory of all the sandbox's processes together, in bytes (a memory cgroup where one can be
   * made, Docker's `--memory`, else a watchdog summing resident memory). Files the sandbox writes
   * to its in-memory filesystems (workspace, /tmp, /dev/shm) count too where a cgroup charges them.
   */
  totalMemoryBytes: z.number().int().positive().default(4 * 1024 ** 3),
  /** Processes and threads of the sandbox (a pids cgroup / `--pids-limit`, and RLIMIT_NPROC). */
  processes: z.number().int().positive().default(256),
  /** Largest file a command may write, in bytes (RLIMIT_FSIZE). */
  fileSizeBytes: z.number().int().positive().default(256 * 1024 ** 2),
  /** Open files per process (RLIMIT_NOFILE). */
  openFiles: z.number().int().positive().default(1024),
  /** Size of the private /tmp in bytes. */
  tmpBytes: z.number().int().positive().default(512 * 1024 ** 2),
  /** Size of /dev/shm in bytes (the rest of /dev is read-only). */
  shmBytes: z.number().int().positive().default(64 * 1024 ** 2),
  /** Bytes the workspace may hold (a size-capped tmpfs where one can be mounted, else a watchdog). */
  workspaceBytes: z.number().int().positive().default(1024 ** 3),
  /** Files and folders the workspace may hold (the tmpfs's `nr_inodes`, else the watchdog). */
  workspaceInodes: z.number().int().positive().default(100_000),
  /**
   * Largest patch the harness takes from a workspace, in bytes. A bigger diff (e.g. a 32 MB
   * one-line file) is no fix: the attempt gets no patch, with the reason, and nothing that size
   * reaches the store.
   */
  patchBytes: z.number().int().positive().default(8 * 1024 ** 2),
  /** Bytes of stdout and of stderr kept per command (head and tail). */
  outputBytes: z.number().int().positive().default(1024 * 1024),
  /** Total output after which a command is killed (it is flooding, not working). */
  killAfterOutputBytes: z.number().int().positive().default(64 * 1024 * 1024),
});

/** Resource limits of a sandbox. */
export type SandboxLimits = z.infer<typeof SandboxLimitsSchema>;
/** Partial limits as a caller gives them. */
export type SandboxLimitsInput = z.input<typeof SandboxLimitsSchema>;

/** Limits with defaults filled in. */
export function sandboxLimits(input: SandboxLimitsInput = {}): SandboxLimits {
  return SandboxLimitsSchema.parse(input);
}
