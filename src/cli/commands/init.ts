import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { initProject } from '../../runtime/init/init-project.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';

/** `marketbench init [DIR]`: starter workers, market and .env files that run offline with the mock provider. */
export const registerInit: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('init')
    .description('write a commented workers.yaml, market.yaml and .env.example that run offline with the mock provider')
    .argument('[dir]', 'folder to write into (created when missing)', '.')
    .option('--force', 'overwrite existing files')
    .addHelpText(
      'after',
      `
Examples:
  $ marketbench init my-bench
  $ cd my-bench && marketbench market --workers market.yaml --suite builtin
  $ marketbench attempt --workers workers.yaml --suite builtin --limit 3`,
    )
    .action((dir: string, flags: { force?: boolean }) => {
      const target = resolve(io.cwd, dir);
      const result = initProject({ dir: target, force: flags.force === true });
      const shown = relative(io.cwd, target) || '.';
      for (const file of result.files) io.out(`wrote ${relative(io.cwd, file)}\n`);
      const cd = shown === '.' ? '' : `cd ${shown} && `;
      io.out(
        `\nThe workers use the offline mock provider (synthetic results, labelled "mock"). Try:\n  ${cd}marketbench market --workers market.yaml --suite builtin\n  ${cd}marketbench view\nThen switch "model:" lines to real models and put their keys in .env (see .env.example).\n`,
      );
    });
};
