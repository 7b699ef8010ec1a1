import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { importOutcomes } from '../../app/import-outcomes.js';
import type { OutcomesFormat } from '../../runtime/data/outcomes-import.js';
import { loadTaskFile } from '../../runtime/data/tasks-swebench.js';
import { loadPricingFile } from '../../runtime/providers/pricing.js';
import { PRICING_TABLE } from '../../runtime/providers/pricing-table.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';

/** Options of `marketbench outcomes import` as commander parses them. */
interface OutcomesImportCliOptions {
  format: string;
  worker?: string;
  as?: string;
  tasks?: string;
  db: string;
  run?: string;
  pricing?: string;
}

const FORMATS = ['auto', 'swebench-report', 'bash-only', 'jsonl'];

/** `marketbench outcomes import`: outcomes of an external evaluation as attempts (the paper's Phase I path). */
export const registerOutcomes: RegisterCommand = (program: Command, io: CliIo) => {
  const outcomes = program.command('outcomes').description('outcomes from external evaluations (no attempts needed)');
  outcomes
    .command('import <file>')
    .description('store outcomes as attempts (run kind import) so analyze can join them with forecasts')
    .option('--format <format>', `${FORMATS.join(', ')}`, 'auto')
    .option('--worker <name>', 'swebench-report: the worker id; bash-only: submission model/folder/name (comma-separated) or "all"; jsonl: only these workers')
    .option('--as <id>', 'store the outcomes under this worker id (e.g. the model ref you elicited)')
    .option('--tasks <file>', 'task file to store the tasks (and, for a resolved-only report, the attempted tasks)')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--run <id>', 'run id (default derived from the file, so importing again replaces)')
    .option('--pricing <file>', 'YAML/JSON prices for new workers')
    .action(async (file: string, options: OutcomesImportCliOptions) => {
      if (!FORMATS.includes(options.format)) throw new InvalidInputError(`--format must be one of ${FORMATS.join(', ')}, got '${options.format}'`);
      const result = await importOutcomes({
        db: options.db,
        cwd: io.cwd,
        file: resolve(io.cwd, file),
        format: options.format === 'auto' ? undefined : (options.format as OutcomesFormat),
        worker: options.worker,
        as: options.as,
        tasks: options.tasks ? loadTaskFile(resolve(io.cwd, options.tasks)) : undefined,
        runId: options.run,
        pricingTable: options.pricing ? loadPricingFile(resolve(io.cwd, options.pricing)) : PRICING_TABLE,
      });
      for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
      io.out(`imported ${result.attempts} outcomes (${result.format}) as run ${result.runId}\n`);
      for (const [worker, counts] of Object.entries(result.perWorker)) {
        const from = Object.entries(result.mapped).find(([, to]) => to === worker)?.[0];
        io.out(`  ${worker}${from ? ` (from ${from})` : ''}: ${counts.attempts} attempts, ${counts.resolved} resolved\n`);
      }
    });
};
