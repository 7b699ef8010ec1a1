import type { Command } from 'commander';

/** Where a command prints; injectable so tests capture output without a subprocess. */
export interface CliIo {
  /** Writes to standard output. */
  out: (text: string) => void;
  /** Writes to standard error. */
  err: (text: string) => void;
  /** True when standard output is a terminal (enables progress bars and colour). */
  isTty: boolean;
  /** Environment variables (API keys are read from here, never from flags). */
  env: Record<string, string | undefined>;
  /** Working directory relative paths are resolved against. */
  cwd: string;
}

/** A CLI command module: adds itself (and its subcommands) to the program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;
