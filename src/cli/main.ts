import { Command, CommanderError } from 'commander';
import { MarketBenchError } from '../core/errors.js';
import type { CliIo, RegisterCommand } from './command-spec.js';
import { commands, type LazyCommand } from './commands/index.js';
import { addHelpExamples } from './help-examples.js';
import { INTERRUPTED_EXIT_CODE, RunInterruptedError } from './interrupted.js';
import { packageVersion } from './version.js';

export { packageVersion } from './version.js';

/**
 * The commands whose modules `argv` needs: only the named command when it is one we know, none
 * for a bare `--version`, and every command otherwise (help, no command, an unknown name).
 */
export function commandsFor(argv: string[] | undefined): (LazyCommand | RegisterCommand)[] {
  if (!argv) return commands;
  const args = argv.slice(2);
  const named = args.find((arg) => !arg.startsWith('-'));
  const pick = named === 'help' ? args[args.indexOf('help') + 1] : named;
  const chosen = commands.filter((command) => typeof command === 'function' || command.name === pick);
  if (chosen.some((command) => typeof command !== 'function')) return chosen;
  if (named === undefined && (args.includes('--version') || args.includes('-V'))) return chosen;
  return commands;
}

/**
 * Builds the commander program; every command calls a library function. Given `argv`, only the
 * commands it needs are loaded (see `commandsFor`); without it, every command is.
 */
export async function buildProgram(io: CliIo, argv?: string[]): Promise<Command> {
  const program = new Command('marketbench')
    .description('Measure whether AI agents know what they can do, and allocate work among them by market mechanisms.')
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'print stack traces on errors')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  for (const command of commandsFor(argv)) {
    const register = typeof command === 'function' ? command : await command.load();
    register(program, io);
  }
  addHelpExamples(program);
  pointToHelpAfterError(program, []);
  return program;
}

/**
 * After a usage error (an unknown command or option, a missing argument) commander prints one
 * line; this adds where the full usage is, instead of the whole help text.
 */
function pointToHelpAfterError(command: Command, path: string[]): void {
  command.showHelpAfterError(`(see: marketbench ${[...path, '--help'].join(' ')})`);
  for (const sub of command.commands) pointToHelpAfterError(sub, [...path, sub.name()]);
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
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? 0
        : error.exitCode || 1;
    }
    // The interrupted command printed its own summary and how to resume.
    if (error instanceof RunInterruptedError) return INTERRUPTED_EXIT_CODE;
    const debug = argv.includes('--debug');
    const known = MarketBenchError.isInstance(error);
    const message = error instanceof Error ? error.message : String(error);
    io.err(`marketbench: ${known ? '' : 'error: '}${message}\n`);
    if (debug && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return 1;
  }
}
