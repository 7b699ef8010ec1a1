/**
 * A real `redis-server` for tests: started on a free port of 127.0.0.1 in a temporary folder,
 * with append-only persistence so a test can kill and restart it without losing the queue.
 *
 * ```ts
 * const redis = await startRedisServer();
 * … new Queue('q', { connection: { url: redis.url } }) …
 * await redis.stop();
 * ```
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a `redis-server` binary can run here, and why not. */
export function redisAvailability(binary = process.env.MARKETBENCH_REDIS_SERVER ?? 'redis-server'): { ok: true; binary: string } | { ok: false; reason: string } {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `'${binary}' is not runnable (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}); install redis-server (apt-get install redis-server)` };
  if (probe.status !== 0) return { ok: false, reason: `'${binary} --version' exited ${probe.status}` };
  return { ok: true, binary };
}

/** A running test Redis. */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT` (with the password when one was set). */
  url: string;
  /** The port. */
  port: number;
  /** Its data folder (append-only file). */
  dir: string;
  /** Process id of the running server (undefined while stopped). */
  readonly pid: number | undefined;
  /** Stops the server gracefully (SIGTERM) and waits for it. */
  shutdown(): Promise<void>;
  /** Kills the server at once (SIGKILL): what is not yet fsynced may be lost. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a private `redis-server`; throws when the binary is absent (check `redisAvailability` first). */
export async function startRedisServer(options: { password?: string } = {}): Promise<TestRedis> {
  const availability = redisAvailability();
  if (!availability.ok) throw new Error(availability.reason);
  const dir = mkdtempSync(join(tmpdir(), 'mb-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';
  const launch = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    if (options.password) args.push('--requirepass', options.password);
    const proc = spawn(availability.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (chunk) => {
      output = (output + chunk).slice(-4000);
    });
    proc.stderr?.on('data', (chunk) => {
      output = (output + chunk).slice(-4000);
    });
    child = proc;
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${output}`))));
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port, 10_000), exited]);
  };
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };
  await launch();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child?.pid;
    },
    shutdown: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGTERM');
      await launch();
    },
    stop: async () => {
      await end('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
