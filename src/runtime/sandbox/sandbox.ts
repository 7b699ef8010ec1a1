/** Options of one command run in a sandbox. */
export interface ExecOptions {
  /** Wall-clock limit in milliseconds; the whole process tree is killed when it passes. */
  timeoutMs?: number;
  /** Extra environment variables (the sandbox starts from a clean environment). */
  env?: Record<string, string>;
  /** Working directory relative to the workspace root (default: the root). */
  cwd?: string;
  /** Bytes written to the command's standard input, or a stream piped to it (default: none, stdin is closed). */
  stdin?: string | Buffer | NodeJS.ReadableStream;
  /** Called with each chunk of stdout as it arrives (the judge's call bridge talks to running commands). */
  onStdout?: (chunk: Buffer) => void;
  /** Bytes of stdout and of stderr kept (head and tail); overrides the sandbox limit. */
  maxOutputBytes?: number;
}

/** What one command did. */
export interface ExecResult {
  /** Captured standard output (head and tail when longer than the cap, joined by a marker). */
  stdout: string;
  /** Captured standard error (same capping as stdout). */
  stderr: string;
  /** Exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  /** The signal that ended the process, if any. */
  signal: string | null;
  /** True when the wall-clock timeout killed the command. */
  timedOut: boolean;
  /** True when output went past the cap (the middle was dropped). */
  outputTruncated: boolean;
  /** True when output went past the hard limit and the command was killed for it. */
  outputLimitKilled: boolean;
  /** Set when the fallback watchdog killed the command for passing this limit. */
  limitKilled?: 'memory' | 'workspace';
  /** Total bytes the command wrote to stdout and stderr, kept or not. */
  outputBytes: number;
  /** Wall time in milliseconds. */
  durationMs: number;
}

/** A place where untrusted commands run against one workspace. */
export interface Sandbox {
  /** The backend that runs it. */
  readonly backend: 'local' | 'docker';
  /** The workspace root as commands see it (e.g. `/workspace` or `/testbed`). */
  readonly workdir: string;
  /** Runs a shell command (bash -c) in the workspace. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Reads a workspace file (relative path) as UTF-8, through the sandbox so symlinks cannot escape. */
  readFile(path: string): Promise<string>;
  /** Writes a workspace file (relative path), creating folders, through the sandbox. */
  writeFile(path: string, content: string | Buffer): Promise<void>;
  /** Unified diff (git, binary-safe) of the workspace against its state when the sandbox started. */
  diff(): Promise<string>;
  /** Stops everything and releases the workspace (removing it when the sandbox owns it). */
  dispose(): Promise<void>;
}

/** Whether a backend can run commands here, and why not. */
export interface BackendAvailability {
  /** True when commands can run. */
  ok: boolean;
  /** Why not (empty when ok). */
  reason: string;
}
