import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { MIN_RECALIBRATION_ROWS } from '../../reputation/index.js';
import { Store } from '../../runtime/store/index.js';
import {
  exportTraining,
  recalibrateWorker,
  TRAINING_EXPORT_DEFAULTS,
  TRAINING_FORMATS,
  type TrainingFormat,
} from '../../runtime/training/index.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { integerOption, numberOption } from '../options.js';

function trainingFormat(value: string): TrainingFormat {
  if (!(TRAINING_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidInputError(`--format must be one of ${TRAINING_FORMATS.join(', ')}, got '${value}'`, { field: '--format' });
  }
  return value as TrainingFormat;
}

function method(value: string): 'isotonic' | 'platt' {
  if (value !== 'isotonic' && value !== 'platt') throw new InvalidInputError(`--method must be isotonic or platt, got '${value}'`, { field: '--method' });
  return value;
}

function targetKind(value: string): 'calibrated' | 'empirical' {
  if (value !== 'calibrated' && value !== 'empirical') throw new InvalidInputError(`--target must be calibrated or empirical, got '${value}'`, { field: '--target' });
  return value;
}

/** Opens an existing store; a missing file is an error (an export never creates a store). */
function openExisting(io: CliIo, file: string): { store: Store; path: string } {
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new InvalidInputError(`${file}: no such store file`, { file });
  return { store: Store.open(path), path };
}

/** `marketbench export training`: self-assessment training data from a store. */
export const registerExport: RegisterCommand = (program: Command, io: CliIo) => {
  const command = program.command('export').description('export datasets built from a store (training data for self-assessment)');
  command
    .command('training')
    .description('forecast prompts as sent, replies, outcomes and calibrated targets, split by task (sft, preference or jsonl)')
    .requiredOption('--db <file>', 'store file')
    .option('--run <id>', 'only this run’s forecasts (default every run)')
    .requiredOption('--format <format>', `one of ${TRAINING_FORMATS.join(', ')}`, trainingFormat)
    .requiredOption('--out <file>', 'JSONL file to write (first line: a header naming the label sources)')
    .option('--seed <n>', 'seed of the train/validation split and the folds', integerOption('--seed', 0), TRAINING_EXPORT_DEFAULTS.seed)
    .option('--validation <share>', 'share of tasks held out for validation', numberOption('--validation', 0, 0.9), TRAINING_EXPORT_DEFAULTS.validationShare)
    .option('--method <method>', 'calibration map of the targets: isotonic or platt', method, TRAINING_EXPORT_DEFAULTS.method)
    .option('--target <kind>', "the targets' p: calibrated (the worker's map, cross-fitted) or empirical (its smoothed outcome rate on training tasks)", targetKind, 'calibrated')
    .option('--smoothing <alpha>', 'empirical targets: (resolved + α) / (rows + 2α); 1 = Laplace', numberOption('--smoothing', 0, 1000), 1)
    .action((flags: { db: string; run?: string; format: TrainingFormat; out: string; seed: number; validation: number; method: 'isotonic' | 'platt'; target: 'calibrated' | 'empirical'; smoothing: number }, self: Command) => {
      if (flags.target !== 'empirical' && self.getOptionValueSource('smoothing') === 'cli') {
        throw new InvalidInputError('--smoothing applies to empirical targets only: add --target empirical', { field: '--smoothing' });
      }
      const { store, path } = openExisting(io, flags.db);
      try {
        const summary = exportTraining({
          store,
          storeFile: path,
          ...(flags.run === undefined ? {} : { runId: flags.run }),
          format: flags.format,
          outFile: resolve(io.cwd, flags.out),
          seed: flags.seed,
          validationShare: flags.validation,
          method: flags.method,
          ...(flags.target === 'empirical' && { smoothing: flags.smoothing }),
        });
        const skipped = Object.entries(summary.skipped).map(([reason, n]) => `  skipped ${n}: ${reason}\n`);
        if (!summary.written) {
          throw new InvalidInputError(
            `nothing to export${summary.note ? `: ${summary.note}` : ''}${skipped.length > 0 ? `\n${skipped.join('').trimEnd()}` : ''}\nno file written`,
            { field: '--db' },
          );
        }
        io.out(`${relative(io.cwd, resolve(io.cwd, flags.out))}: ${summary.records} ${flags.format} record(s), ${summary.train} train / ${summary.validation} validation (split by task)\n`);
        for (const [source, n] of Object.entries(summary.labelSources)) io.out(`  labels ${n}: ${source}\n`);
        for (const line of skipped) io.out(line);
      } finally {
        store.close();
      }
    });
};

/** `marketbench recalibrate`: fit one worker's calibration map on its labelled rows. */
export const registerRecalibrate: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('recalibrate')
    .description("fit a worker's calibration map (isotonic or Platt) on its labelled forecasts and write it as JSON")
    .requiredOption('--db <file>', 'store file')
    .requiredOption('--worker <id>', 'the worker')
    .requiredOption('--out <file>', 'map file to write')
    .option('--run <id>', 'only this run’s forecasts (default every run)')
    .option('--method <method>', 'isotonic or platt', method, 'isotonic')
    .option('--min-rows <n>', 'fewest labelled rows to fit a map on', integerOption('--min-rows', 5), MIN_RECALIBRATION_ROWS)
    .action((flags: { db: string; worker: string; out: string; run?: string; method: 'isotonic' | 'platt'; minRows: number }) => {
      const { store, path } = openExisting(io, flags.db);
      try {
        const fit = recalibrateWorker({
          store,
          storeFile: path,
          workerId: flags.worker,
          ...(flags.run === undefined ? {} : { runId: flags.run }),
          method: flags.method,
          minRows: flags.minRows,
          outFile: resolve(io.cwd, flags.out),
        });
        if (!fit.map) throw new InvalidInputError(fit.error, { field: '--worker' });
        io.out(
          `${relative(io.cwd, resolve(io.cwd, flags.out))}: ${fit.map.method} map of ${fit.map.workerId} fitted on ${fit.map.rows} labelled row(s) (${fit.map.positives} resolved, ${fit.map.tasks} task(s))\n`,
        );
      } finally {
        store.close();
      }
    });
};
