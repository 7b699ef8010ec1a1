import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import {
  type ExportFormat,
  exportTable,
  readImportFile,
  MATRIX_TABLE,
  Store,
  storeInfo,
  writeImports,
  TABLES,
  requireTable,
} from '../../runtime/store/index.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { checkOutputFile, checkOutputFolder, existingStoreFile } from '../output-path.js';

/** Parses `--format` for exports. */
function exportFormat(value: string): ExportFormat {
  if (value !== 'jsonl' && value !== 'csv') throw new InvalidInputError(`--format must be jsonl or csv, got '${value}'`);
  return value;
}

/** Opens the store named by `--db`, resolved against the working directory. */
export function openStoreOption(io: CliIo, file: string): Store {
  return Store.open(resolve(io.cwd, file));
}

/** `marketbench db info|export|import`: inspect, export and import the SQLite store. */
export const registerDb: RegisterCommand = (program: Command, io: CliIo) => {
  const db = program.command('db').description('inspect, export and import the SQLite store');

  db.command('info')
    .description('schema version, row counts and runs of a store')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--json', 'print JSON')
    .action((options: { db: string; json?: boolean }) => {
      const store = openStoreOption(io, existingStoreFile({ cwd: io.cwd, path: options.db }));
      try {
        const info = storeInfo(store);
        if (options.json) {
          io.out(`${JSON.stringify(info, null, 2)}\n`);
          return;
        }
        io.out(`${info.file}  schema v${info.schemaVersion} (latest v${info.latestVersion})  ${info.bytes} bytes\n`);
        const width = Math.max(12, ...Object.keys(info.rowCounts).map((table) => table.length));
        for (const [table, n] of Object.entries(info.rowCounts)) io.out(`  ${table.padEnd(width)} ${n}\n`);
        if (info.runs.length === 0) io.out('no runs\n');
        for (const run of info.runs) {
          io.out(
            `run ${run.id}  ${run.kind}  ${run.status}  ${run.createdAt}  forecasts ${run.forecasts}  attempts ${run.attempts}  spend $${run.spendUsd.toFixed(4)}\n`,
          );
        }
      } finally {
        store.close();
      }
    });

  db.command('export')
    .description('export tables as JSONL or CSV (one file per table), or the task × worker matrix')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--table <name>', `a table (${TABLES.map((t) => t.name).join(', ')}, ${MATRIX_TABLE}) or "all"`, 'all')
    .option('--format <format>', 'jsonl or csv', exportFormat, 'jsonl')
    .option('--run <id>', 'with --table matrix: only this run')
    .option('--out <path>', 'a folder (all tables) or a file (one table); default: stdout for one table, ./export for all')
    .action((options: { db: string; table: string; format: ExportFormat; run?: string; out?: string }) => {
      if (options.table !== 'all' && options.table !== MATRIX_TABLE) requireTable(options.table);
      if (options.out !== undefined) {
        if (options.table === 'all') checkOutputFolder({ cwd: io.cwd, path: options.out, flag: '--out' });
        else checkOutputFile({ cwd: io.cwd, path: options.out, flag: '--out' });
      }
      const store = openStoreOption(io, existingStoreFile({ cwd: io.cwd, path: options.db }));
      try {
        if (options.table !== 'all') {
          const text = exportTable(store, { table: options.table, format: options.format, runId: options.run });
          if (options.out) writeFileSync(resolve(io.cwd, options.out), text);
          else io.out(text);
          return;
        }
        const folder = resolve(io.cwd, options.out ?? 'export');
        mkdirSync(folder, { recursive: true });
        for (const table of TABLES) {
          const file = join(folder, `${table.name}.${options.format}`);
          writeFileSync(file, exportTable(store, { table: table.name, format: options.format }));
        }
        io.out(`exported ${TABLES.length} tables to ${folder}\n`);
      } finally {
        store.close();
      }
    });

  db.command('import')
    .description('import files written by `db export` (table from the name, e.g. forecasts.jsonl)')
    .argument('<files...>', 'files named <table>.jsonl or <table>.csv')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--table <name>', 'table for every file (overrides the name)')
    .action((files: string[], options: { db: string; table?: string }) => {
      // Every file is read and checked before the store is opened, and all are written in one
      // transaction: a bad or missing file leaves the store (or its absence) as it was.
      const parsed = orderByDependency(files.map((file) => resolve(io.cwd, file))).map((file) => {
        const format = file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
        return readImportFile({ file, table: options.table, format: options.table ? format : undefined });
      });
      const store = openStoreOption(io, options.db);
      try {
        const results = writeImports(store, parsed);
        for (const [index, result] of results.entries()) io.out(`${parsed[index]?.file}: ${result.rows} rows into ${result.table}\n`);
      } finally {
        store.close();
      }
    });
};

/** Puts files in the table order of the schema, so runs come before the rows that name them. */
function orderByDependency(files: string[]): string[] {
  const rank = (file: string) => {
    const index = TABLES.findIndex((table) => file.split('/').pop()?.startsWith(`${table.name}.`));
    return index < 0 ? TABLES.length : index;
  };
  return [...files].sort((a, b) => rank(a) - rank(b));
}
