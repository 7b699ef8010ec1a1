import type { Command } from 'commander';
import { InvalidInputError, Random } from '../../core/index.js';
import { type AnalysisReport, analyzeRows } from '../../metrics/index.js';
import { formatAnalysis } from '../../report/analysis-table.js';
import { loadForecastRows, type SkippedRow } from '../../runtime/data/phase1.js';
import { recalibrationText } from '../../report/recalibration-table.js';
import { planAnalysis, planAnalysisText, planRowsOfStore } from './analyze-plans.js';
import { recalibrationRowsOfStore } from '../../runtime/training/index.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { parseNumberOption } from '../options.js';

/** Options of `marketbench analyze` as commander parses them. */
interface AnalyzeCliOptions {
  forecasts?: string;
  pricing?: string;
  db?: string;
  run?: string;
  penalty: string;
  maxReserve: string;
  draws: string;
  exact?: boolean;
  seed: string;
  format: string;
  groupBy?: string;
  compare?: string;
  strict?: boolean;
  resamples: string;
  level: string;
}

/** The JSON document of `--format json`: exactly one object. */
export function analysisJson(report: AnalysisReport, skipped: readonly SkippedRow[]): Record<string, unknown> {
  const { overall, byWorker, groupBy, groups, comparison, parameters } = report;
  return {
    overall,
    byWorker,
    ...(groups ? { groupBy, groups } : {}),
    ...(comparison ? { comparison } : {}),
    skipped,
    parameters,
  };
}

/** `marketbench analyze`: the Phase I analysis of forecasts joined with outcomes. */
export const registerAnalyze: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('analyze')
    .description('calibration, discrimination, token forecasts and the reserve-price auction with CIs (Phase I analysis)')
    .option('--forecasts <file>', "forecast rows joined with outcomes (the paper's phase-1 CSV or JSONL)")
    .option('--pricing <file>', 'pricing CSV (model_ref, input_per_1k, output_per_1k, blended_price_per_token)')
    .option('--db <file>', 'read labeled forecasts from this store instead')
    .option('--run <id>', 'run in the store (default: every run)')
    .option('--penalty <usd>', 'failure penalty F of the reserve auction', '2')
    .option('--max-reserve <usd>', 'R of the reserve r ~ Uniform[0, R]', '1')
    .option('--draws <n>', 'Monte Carlo reserve draws per task', '100')
    .option('--exact', 'closed-form auction figures instead of Monte Carlo')
    .option('--seed <n>', 'seed of the auction draws and the bootstrap', '42')
    .option('--format <format>', 'table, md or json', 'table')
    .option('--group-by <field>', 'repeat the summaries per value of a field (repo, treatment, worker, or any input column)')
    .option('--compare <baseline,other>', 'compare two elicitation treatments on the same tasks (default: direct vs the other when present)')
    .option('--strict', 'fail on the first bad input row instead of skipping it')
    .option('--resamples <n>', 'task-clustered bootstrap resamples (0 = no CIs)', '2000')
    .option('--level <x>', 'confidence level of the intervals', '0.95')
    .action((options: AnalyzeCliOptions) => {
      const format = options.format;
      if (format !== 'table' && format !== 'md' && format !== 'json') {
        throw new InvalidInputError(`--format is '${format}'; expected table, md or json`);
      }
      if (options.forecasts !== undefined && options.db !== undefined) {
        throw new InvalidInputError('give either --forecasts or --db, not both');
      }
      let compare: { baseline: string; treatment: string } | undefined;
      if (options.compare !== undefined) {
        const [baseline, treatment, ...rest] = options.compare.split(',').map((part) => part.trim());
        if (!baseline || !treatment || rest.length > 0) {
          throw new InvalidInputError(`--compare is '${options.compare}'; expected two treatments, e.g. direct,card`);
        }
        compare = { baseline, treatment };
      }
      const { rows, skipped } = loadForecastRows({
        cwd: io.cwd,
        forecastsFile: options.forecasts,
        pricingFile: options.pricing,
        dbFile: options.db,
        runId: options.run,
        strict: options.strict ?? false,
      });
      if (rows.length === 0) throw new InvalidInputError(`no usable rows (${skipped.length} skipped)`);
      const report = analyzeRows(rows, {
        random: new Random(parseNumberOption(options.seed, '--seed', Number.isInteger, 'an integer')),
        penalty: parseNumberOption(options.penalty, '--penalty', (n) => n >= 0, 'a non-negative number'),
        maxReserve: parseNumberOption(options.maxReserve, '--max-reserve', (n) => n > 0, 'a positive number'),
        draws: parseNumberOption(options.draws, '--draws', (n) => Number.isInteger(n) && n > 0, 'a positive integer'),
        exact: options.exact ?? false,
        resamples: parseNumberOption(options.resamples, '--resamples', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
        level: parseNumberOption(options.level, '--level', (n) => n > 0 && n < 1, 'a number in (0, 1)'),
        groupBy: options.groupBy,
        compare,
      });
      // Forecasts recalibrated at elicitation: raw and recalibrated p side by side.
      const recalibration = options.db === undefined ? [] : recalibrationRowsOfStore({ cwd: io.cwd, dbFile: options.db, runId: options.run });
      // Market runs with plan arms: stated p against outcomes per budget level.
      const planned = options.db === undefined ? undefined : planRowsOfStore({ cwd: io.cwd, dbFile: options.db, runId: options.run });
      const plans = planned && planned.rows.length > 0 ? planAnalysis(planned) : undefined;
      if (format === 'json') {
        io.out(`${JSON.stringify({ ...analysisJson(report, skipped), ...(recalibration.length > 0 ? { recalibration } : {}), ...(plans ? { plans } : {}) })}\n`);
        return;
      }
      io.out(formatAnalysis(report, { format, color: io.isTty, skipped }));
      if (recalibration.length > 0) io.out(recalibrationText(recalibration));
      if (plans) io.out(planAnalysisText(plans));
    });
};
