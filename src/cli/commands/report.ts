import { relative } from 'node:path';
import type { Command } from 'commander';
import { writeHtmlReport } from '../../app/write-report.js';
import { MATRIX_FORMATS, type MatrixFormat } from '../../runtime/data/matrix-load.js';
import { InvalidInputError } from '../../core/errors.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { checkOutputFile, checkOutputFolder, existingStoreFile } from '../output-path.js';
import { softwareVersions } from '../version.js';
import { OPTION_LIMITS, integerOption, numberOption } from '../options.js';

interface ReportFlags {
  db?: string;
  run?: string;
  forecasts?: string;
  pricing?: string;
  matrix?: string;
  formatIn?: MatrixFormat;
  out: string;
  png?: string;
  seed: number;
  penalty: number;
  maxReserve: number;
  draws: number;
  resamples: number;
  value?: number;
  maxAttempts: number;
  feedback: string;
  foldSeeds: number;
  arrivalSeeds: number;
  groupBy?: string;
  signalAurocs?: number[];
}

function matrixFormat(value: string): MatrixFormat {
  if (!(MATRIX_FORMATS as readonly string[]).includes(value)) {
    throw new Error(`--format-in must be one of ${MATRIX_FORMATS.join(', ')}, got '${value}'`);
  }
  return value as MatrixFormat;
}

/** Parses `--signal-aurocs 0.5,0.6,…`: numbers strictly between 0 and 1. */
function signalAurocList(value: string): number[] {
  const levels = value.split(',').map((part) => Number(part.trim()));
  if (levels.length === 0 || levels.some((level) => !(level > 0 && level < 1))) {
    throw new InvalidInputError(`--signal-aurocs is '${value}'; expected comma-separated numbers between 0 and 1`, { field: '--signal-aurocs' });
  }
  return levels;
}

/** `marketbench report`: one self-contained HTML file with charts, and optionally PNGs. */
export const registerReport: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('report')
    .description('write a self-contained HTML report (charts as inline SVG; --png also writes PNGs)')
    .option('--db <file>', 'store file (default: marketbench.db, unless --forecasts or --matrix is given)')
    .option('--run <id>', 'run in the store (default: every run)')
    .option('--forecasts <file>', "phase-1 forecasts file (the paper's CSV/JSONL)")
    .option('--pricing <file>', 'pricing file for --forecasts or --matrix')
    .option('--matrix <file>', 'outcome matrix file')
    .option('--format-in <format>', `format of --matrix: ${MATRIX_FORMATS.join(', ')}`, matrixFormat)
    .option('--out <file>', 'HTML file to write', 'report.html')
    .option('--png <dir>', 'also write every chart as <dir>/<chart>.png')
    .option('--seed <n>', 'seed of the auction draws, bootstrap and replay', integerOption('--seed', 0), 42)
    .option('--penalty <usd>', 'failure penalty F of the reserve auction', numberOption('--penalty', 0), 2)
    .option('--max-reserve <usd>', 'R of the reserve r ~ U[0, R]', numberOption('--max-reserve', 0), 1)
    .option('--draws <n>', 'reserve draws per task', integerOption('--draws', 1, OPTION_LIMITS.draws), 100)
    .option('--resamples <n>', 'bootstrap resamples', integerOption('--resamples', 0, OPTION_LIMITS.resamples), 2000)
    .option('--value <usd>', "value of a solved task in the replay (default: a market store's bounty in USD, else 1)", numberOption('--value', 0, OPTION_LIMITS.valueUsd))
    .option('--max-attempts <n>', 'most attempts per task in the replay', integerOption('--max-attempts', 1, OPTION_LIMITS.maxAttempts), 2)
    .option('--feedback <mode>', "the replay's learners: full (every worker on other tasks, cross-fitted) or bandit (only their own earlier attempts)", 'full')
    .option('--fold-seeds <n>', 'full feedback: fold assignments over which learned mechanisms are shown as mean ± sd (1 skips it)', integerOption('--fold-seeds', 1, OPTION_LIMITS.seeds), 5)
    .option('--arrival-seeds <n>', 'bandit feedback: arrival orders over which learners are shown as mean ± sd with a 95% interval (1 skips it)', integerOption('--arrival-seeds', 1, OPTION_LIMITS.seeds), 5)
    .option('--group-by <feature>', "also show the replay's results per value of a task feature (e.g. repo)")
    .option('--signal-aurocs <list>', 'matrices without forecasts: also replay the scoring and reputation auctions at these target AUROCs (e.g. 0.5,0.6,0.7,0.8,0.9)', signalAurocList)
    .action(async (flags: ReportFlags) => {
      if (flags.feedback !== 'full' && flags.feedback !== 'bandit') {
        throw new InvalidInputError(`--feedback is '${flags.feedback}'; expected full or bandit`, { field: '--feedback' });
      }
      const outFile = checkOutputFile({ cwd: io.cwd, path: flags.out, flag: '--out' });
      if (flags.png !== undefined) checkOutputFolder({ cwd: io.cwd, path: flags.png, flag: '--png' });
      // Like every other command that reads a store, the default is ./marketbench.db.
      const dbFile = flags.db ?? (flags.forecasts === undefined && flags.matrix === undefined ? 'marketbench.db' : undefined);
      if (dbFile !== undefined) existingStoreFile({ cwd: io.cwd, path: dbFile });
      const written = await writeHtmlReport({
        cwd: io.cwd,
        dbFile,
        runId: flags.run,
        forecastsFile: flags.forecasts,
        pricingFile: flags.pricing,
        matrixFile: flags.matrix,
        matrixFormat: flags.formatIn,
        seed: flags.seed,
        penalty: flags.penalty,
        maxReserve: flags.maxReserve,
        draws: flags.draws,
        resamples: flags.resamples,
        value: flags.value,
        maxAttempts: flags.maxAttempts,
        feedback: flags.feedback,
        foldSeeds: flags.foldSeeds,
        arrivalSeeds: flags.arrivalSeeds,
        ...(flags.groupBy === undefined ? {} : { groupBy: flags.groupBy }),
        ...(flags.signalAurocs === undefined ? {} : { signalAurocs: flags.signalAurocs }),
        outFile,
        ...(flags.png === undefined ? {} : { pngDir: flags.png }),
        meta: { versions: softwareVersions(), generatedAt: new Date().toISOString() },
      });
      io.out(`report: ${relative(io.cwd, written.htmlFile) || written.htmlFile} (${written.charts.length} charts)\n`);
      if (written.pngFiles.length > 0) io.out(`png:    ${written.pngFiles.length} files in ${flags.png}\n`);
    });
};
