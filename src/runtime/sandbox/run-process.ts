import { spawn } from 'node:child_process';
import { BoundedOutput } from './bounded-output.js';
import type { ExecResult } from './sandbox.js';
import { startWatchdog, type WatchdogLimit, type WatchdogSpec } from './watchdog.js';

/** Options of `runBounded`. */
export interface RunBoundedOptions {
  /** Program to start (looked up on the host PATH). */
  file: string;
  /** Its arguments. */
  args: readonly string[];
  /** Wall-clock limit in milliseconds. */
  timeoutMs: number;
  /** Bytes of stdout and of stderr kept. */
  maxOutputBytes: number;
  /** Total output after which the process tree is killed. */
  killAfterOutputBytes: number;
  /** Standard input bytes (stdin is closed after them; none when omitted), or a stream piped in. */
  stdin?: string | Buffer | NodeJS.ReadableStream;
  /** Called with each stdout chunk as it arrives. */
  onStdout?: (chunk: Buffer) => void;
  /** Host user id to run as (only when the harness runs as root). */
  uid?: number;
  /** Host group id to run as. */
  gid?: number;
  /** Environment of the launcher itself (not of the sandboxed command). */
  env?: NodeJS.ProcessEnv;
  /** Called after the tree was killed, to clean up anything outside the tree (e.g. a container). */
  onKill?: () => void;
  /** Aborting kills the tree (used when a sandbox is disposed mid-command). */
  signal?: AbortSignal;
  /** Caps polled while the command runs, where the kernel cannot enforce them (see `startWatchdog`). */
  watchdog?: WatchdogSpec;
}

/** A finished process with its raw stdout (binary-safe) as well as the text result. */
export interface RunBoundedResult extends ExecResult {
  /** Kept stdout bytes without any marker. */
  stdoutBytes: Buffer;
}

/**
 * Runs a program in its own process group with a wall-clock timeout and capped output. On timeout
 * or flood the whole group gets SIGKILL; a sandbox launcher (bwrap --die-with-parent with a pid
 * namespace) turns that into the death of every process inside.
 */
export function runBounded(options: RunBoundedOptions): Promise<RunBoundedResult> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(options.file, [...options.args], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      uid: options.uid,
      gid: options.gid,
      env: options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    const stdout = new BoundedOutput(options.maxOutputBytes);
    const stderr = new BoundedOutput(options.maxOutputBytes);
    let timedOut = false;
    let outputLimitKilled = false;
    let killed = false;
    let limitKilled: WatchdogLimit | undefined;
    const killTree = (): void => {
      if (killed) return;
      killed = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
      options.onKill?.();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, options.timeoutMs);
    if (options.signal?.aborted) killTree();
    const stopWatchdog =
      options.watchdog && child.pid !== undefined
        ? startWatchdog({
            rootPid: child.pid,
            spec: options.watchdog,
            onTrip: (limit) => {
              limitKilled = limit;
              killTree();
            },
          })
        : undefined;
    options.signal?.addEventListener('abort', killTree, { once: true });
    const onData = (target: BoundedOutput) => (chunk: Buffer) => {
      target.push(chunk);
      if (!outputLimitKilled && stdout.total + stderr.total > options.killAfterOutputBytes) {
        outputLimitKilled = true;
        killTree();
      }
    };
    child.stdout.on('data', onData(stdout));
    if (options.onStdout) child.stdout.on('data', options.onStdout);
    child.stderr.on('data', onData(stderr));
    child.stdin.on('error', () => {
      // The command may exit without reading its input (EPIPE); that is its business.
    });
    if (typeof options.stdin === 'object' && options.stdin !== null && 'pipe' in options.stdin) options.stdin.pipe(child.stdin);
    else child.stdin.end(options.stdin ?? '');
    child.on('error', (error) => {
      clearTimeout(timer);
      stopWatchdog?.();
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      stopWatchdog?.();
      options.signal?.removeEventListener('abort', killTree);
      resolvePromise({
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutBytes: stdout.bytes(),
        exitCode: code,
        signal,
        timedOut,
        outputTruncated: stdout.truncated || stderr.truncated,
        outputLimitKilled,
        outputBytes: stdout.total + stderr.total,
        ...(limitKilled && { limitKilled }),
        durationMs: performance.now() - started,
      });
    });
  });
}
