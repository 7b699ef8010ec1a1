import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { checkOutputFile, existingStoreFile } from '../output-path.js';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `marketbench view`: a self-contained HTML run viewer written beside the store. */
export const registerView: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('view')
    .description("write a run viewer (one self-contained HTML file beside the store): every task's forecasts, bids, rounds, router calls, and each attempt's steps, diff and judge log")
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--run <ids>', 'only these runs (comma-separated; default: every run)')
    .option('--out <file>', 'HTML file to write (default: <store name>-view.html beside the store)')
    .addHelpText(
      'after',
      `
Examples:
  $ marketbench view
  $ marketbench view --db marketbench-demo/marketbench.db --out demo-view.html
  $ marketbench view --db runs.db --run market-3f2a1c0d9e8b`,
    )
    .action(async (flags: { db: string; run?: string; out?: string }) => {
      const dbFile = existingStoreFile({ cwd: io.cwd, path: flags.db });
      const outFile = flags.out === undefined ? undefined : checkOutputFile({ cwd: io.cwd, path: flags.out, flag: '--out' });
      const { writeView } = await import('../../report/view/write-view.js');
      const written = writeView({
        dbFile,
        ...(flags.run !== undefined && { runIds: flags.run.split(',').map((id) => id.trim()).filter((id) => id !== '') }),
        ...(outFile !== undefined && { outFile }),
      });
      io.out(`view: ${relative(io.cwd, written.file) || written.file} (${count(written.runs, 'run')}, ${count(written.tasks, 'task')}, ${count(written.attempts, 'attempt')})\nopen ${pathToFileURL(written.file).href}\n`);
    });
};
