import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const projectRoot = resolve(import.meta.dirname, '../..');
const loader = join(projectRoot, 'node_modules/tsx/dist/loader.mjs');
const child = join(import.meta.dirname, 'cli-child.ts');

/** How a spawned CLI process ended, with everything it printed. */
export interface CliExit {
  /** Exit code, null when killed by a signal. */
  code: number | null;
  /** The signal that killed it, if any. */
  signal: string | null;
  /** Standard output and error, interleaved. */
  output: string;
}

/**
 * Starts `marketbench <args>` in a child Node process (so a test can SIGKILL it mid-run) with
 * only PATH and the given variables in its environment.
 */
export function spawnCli(options: { args: string[]; cwd: string; env?: Record<string, string> }): { process: ChildProcess; done: Promise<CliExit> } {
  const proc = spawn(process.execPath, ['--import', loader, child, JSON.stringify(options.args)], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  proc.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const done = new Promise<CliExit>((resolvePromise) => proc.on('exit', (code, signal) => resolvePromise({ code, signal, output })));
  return { process: proc, done };
}
