import { Command, CommanderError } from 'commander';
import { MarketBenchError } from '../core/errors.js';
import type { CliIo } from './command-spec.js';
import { commands } from './commands/index.js';
import { addHelpExamples } from './help-examples.js';
import { packageVersion } from './version.js';

export { packageVersion } from './version.js';

/** Builds the commander program; every command calls a library function. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('marketbench')
    .description('Measure whether AI agents know what they can do, and allocate work among them by market mechanisms.')
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  for (const register of commands) register(program, io);
  addHelpExamples(program);
  return program;
}

/** The default I/O: the process's streams and environment. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTty: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Runs the CLI and returns the exit code. Errors print one line (the stack only with
 * `--debug`); nothing here calls `process.exit`, so tests can call it in-process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? 0
        : error.exitCode || 1;
    }
    const debug = argv.includes('--debug');
    const known = MarketBenchError.isInstance(error);
    const message = error instanceof Error ? error.message : String(error);
    io.err(`marketbench: ${known ? '' : 'error: '}${message}\n`);
    if (debug && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return 1;
  }
}
