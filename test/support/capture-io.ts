import type { CliIo } from '../../src/cli/command-spec.js';
import { main } from '../../src/cli/main.js';

/** Output captured from one in-process CLI invocation. */
export interface CliResult {
  /** Exit code `main` returned. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/** Runs `marketbench <args>` in-process with captured output. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    isTty: false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
  const code = await main(['node', 'marketbench', ...args], io);
  return { code, stdout, stderr };
}
