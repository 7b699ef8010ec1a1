import { runBounded } from './run-process.js';
import type { BackendAvailability } from './sandbox.js';

/** Result of one docker CLI call. */
export interface DockerCallResult {
  /** Exit code (null when killed). */
  exitCode: number | null;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
  /** True when the call timed out. */
  timedOut: boolean;
}

/** Runs the docker CLI with a timeout (the harness's own calls: run, cp, rm, version). */
export async function docker(args: readonly string[], options: { dockerBin?: string; timeoutMs?: number; stdin?: string | Buffer } = {}): Promise<DockerCallResult> {
  const result = await runBounded({
    file: options.dockerBin ?? 'docker',
    args,
    timeoutMs: options.timeoutMs ?? 120_000,
    maxOutputBytes: 1024 * 1024,
    killAfterOutputBytes: 64 * 1024 * 1024,
    stdin: options.stdin,
    env: process.env,
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, timedOut: result.timedOut };
}

const cache = new Map<string, Promise<BackendAvailability>>();

/** Probes the docker engine once per process (`docker version` must report a server). */
export function dockerAvailability(dockerBin = 'docker'): Promise<BackendAvailability> {
  let probe = cache.get(dockerBin);
  if (!probe) {
    probe = (async () => {
      try {
        const result = await docker(['version', '--format', '{{.Server.Version}}'], { dockerBin, timeoutMs: 15_000 });
        if (result.exitCode === 0 && result.stdout.trim()) return { ok: true, reason: '' };
        const why = result.timedOut ? 'timed out' : result.stderr.trim().split('\n').pop() || `exit ${result.exitCode}`;
        return { ok: false, reason: `no docker engine answers (${why})` };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { ok: false, reason: `the docker CLI '${dockerBin}' is not on PATH` };
        return { ok: false, reason: `docker failed: ${(error as Error).message}` };
      }
    })();
    cache.set(dockerBin, probe);
  }
  return probe;
}
