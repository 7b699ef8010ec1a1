import type { Command } from 'commander';
import type { CliIo, RegisterCommand } from '../command-spec.js';

/** `marketbench doctor`: which sandbox backends run here and which limits each enforces. */
export const registerDoctor: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('doctor')
    .description('check this machine: which sandbox backends run and which limits each enforces')
    .option('--docker-bin <path>', 'the docker CLI', 'docker')
    .option('--json', 'print JSON')
    .action(async (options: { dockerBin: string; json?: boolean }) => {
      // Loaded here so other commands do not pay for it at start-up.
      const { sandboxLimitsReport } = await import('../../runtime/sandbox/limits-report.js');
      const report = await sandboxLimitsReport({ dockerBin: options.dockerBin });
      if (options.json) {
        io.out(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      io.out(`local sandbox (bubblewrap): ${report.local.ok ? 'runs' : `cannot run: ${report.local.reason}`}\n`);
      io.out(`docker sandbox: ${report.docker.ok ? `runs (storage driver ${report.docker.storageDriver})` : `cannot run: ${report.docker.reason}`}\n`);
      for (const note of report.local.enforcement?.notes ?? []) io.out(`note: ${note}\n`);
      const width = Math.max(...report.rows.map((row) => row.limit.length));
      io.out(`\n${'limit'.padEnd(width)}  local\n${' '.repeat(width)}  docker\n`);
      for (const row of report.rows) io.out(`${row.limit.padEnd(width)}  ${row.local}\n${' '.repeat(width)}  ${row.docker}\n`);
    });
};
