import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { importOutcomes } from '../../app/import-outcomes.js';
import type { OutcomesFormat } from '../../runtime/data/outcomes-import.js';
import { loadTaskFile } from '../../runtime/data/tasks-swebench.js';
import { loadPricingFile } from '../../runtime/providers/pricing.js';
import { PRICING_TABLE } from '../../runtime/providers/pricing-table.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { existingInputFile } from '../output-path.js';

/** Options of `marketbench outcomes import` as commander parses them. */
interface OutcomesImportCliOptions {
  format: string;
  formatIn: string;
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
    .option('--format-in <format>', `format of the file: ${FORMATS.join(', ')}`, 'auto')
    .option('--format <format>', 'output: table or json (a summary object)', 'table')
    .option('--worker <name>', 'swebench-report: the worker id; bash-only: submission model/folder/name (comma-separated) or "all"; jsonl: only these workers')
    .option('--as <id>', 'store the outcomes under this worker id (e.g. the model ref you elicited)')
    .option('--tasks <file>', 'task file to store the tasks (and, for a resolved-only report, the attempted tasks)')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--run <id>', 'run id (default derived from the file, so importing again replaces)')
    .option('--pricing <file>', 'YAML/JSON prices for new workers')
    .addHelpText(
      'after',
      `
Examples:
  $ marketbench outcomes import results.json --format-in swebench-report --worker my-agent --tasks tasks.jsonl
  $ marketbench outcomes import outcomes.jsonl --db runs.db --format json`,
    )
    .action(async (file: string, options: OutcomesImportCliOptions) => {
      let formatIn = options.formatIn;
      let output = options.format;
      // Before --format-in, --format named the input format; that spelling still works.
      if (FORMATS.includes(output)) {
        io.err(`warning: --format ${output} names the input format; write --format-in ${output} (--format is now table or json)\n`);
        formatIn = output;
        output = 'table';
      }
      if (!FORMATS.includes(formatIn)) throw new InvalidInputError(`--format-in must be one of ${FORMATS.join(', ')}, got '${formatIn}'`);
      if (output !== 'table' && output !== 'json') throw new InvalidInputError(`--format must be table or json, got '${output}'`);
      const input = existingInputFile({ cwd: io.cwd, path: file, what: 'outcomes file' });
      const tasks = options.tasks ? loadTaskFile(existingInputFile({ cwd: io.cwd, path: options.tasks, what: '--tasks' })) : undefined;
      const pricingTable = options.pricing ? loadPricingFile(existingInputFile({ cwd: io.cwd, path: options.pricing, what: '--pricing' })) : PRICING_TABLE;
      const result = await importOutcomes({
        db: options.db,
        cwd: io.cwd,
        file: input,
        format: formatIn === 'auto' ? undefined : (formatIn as OutcomesFormat),
        worker: options.worker,
        as: options.as,
        tasks,
        runId: options.run,
        pricingTable,
      });
      for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
      if (output === 'json') {
        const { runId, format, attempts, perWorker, mapped, warnings } = result;
        io.out(`${JSON.stringify({ runId, format, attempts, perWorker, mapped, warnings })}\n`);
        return;
      }
      io.out(`imported ${result.attempts} outcomes (${result.format}) as run ${result.runId}\n`);
      for (const [worker, counts] of Object.entries(result.perWorker)) {
        const from = Object.entries(result.mapped).find(([, to]) => to === worker)?.[0];
        io.out(`  ${worker}${from ? ` (from ${from})` : ''}: ${counts.attempts} attempts, ${counts.resolved} resolved\n`);
      }
    });
};
