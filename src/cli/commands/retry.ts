import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { environmentWithDotEnv } from '../../runtime/providers/dotenv.js';
import { failWhenAllFailed } from '../all-failed.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { exitWhenInterrupted } from '../interrupted.js';
import { integerOption } from '../options.js';
import { existingStoreFile } from '../output-path.js';
import { progressObserver } from '../progress.js';

/** Options of `marketbench retry` as commander parses them. */
interface RetryCliOptions {
  db: string;
  run?: string;
  baseUrl?: string;
  concurrency?: number;
  maxRetries?: number;
  format: string;
}

/** `marketbench retry`: reruns only the failed jobs of a stored run, with the run's own settings. */
export const registerRetry: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('retry')
    .description("rerun only the failed jobs of an elicit, attempt or market run, with the run's own settings from the store (finished jobs are not repeated)")
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--run <id>', 'the run to retry (see `marketbench db info`)')
    .option('--base-url <url>', "base URL for every provider (default: the one the run recorded)")
    .option('--concurrency <n>', 'jobs in flight at once (default: as the run kind has it)', integerOption('--concurrency', 1, 256))
    .option('--max-retries <n>', 'retries per model call', integerOption('--max-retries', 0, 20))
    .option('--format <format>', 'table or json', 'table')
    .addHelpText(
      'after',
      `
Examples:
  $ marketbench retry --run elicit-3f2a1c0d9e8b
  $ marketbench retry --db runs.db --run attempt-9c1d2e3f4a5b --concurrency 4
  $ marketbench retry --db runs.db --run market-1a2b3c4d5e6f --format json`,
    )
    .action(async (options: RetryCliOptions) => {
      if (options.format !== 'table' && options.format !== 'json') throw new InvalidInputError(`--format is '${options.format}'; expected table or json`);
      if (options.run === undefined || options.run.trim() === '') throw new InvalidInputError('give the run to retry: --run RUN_ID (see `marketbench db info`)');
      existingStoreFile({ cwd: io.cwd, path: options.db });
      (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
      const controller = new AbortController();
      const onSignal = () => {
        io.err('\nstopping: no new jobs; jobs in flight are cancelled and stay failed\n');
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      try {
        const { retry } = await import('../../app/retry.js');
        const result = await retry({
          db: options.db,
          runId: options.run,
          cwd: io.cwd,
          env: environmentWithDotEnv({ cwd: io.cwd, env: io.env }),
          ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
          ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
          ...(options.maxRetries !== undefined && { retry: { maxRetries: options.maxRetries } }),
          ...(options.format === 'table' && { observer: progressObserver({ write: io.err, isTty: io.isTty }) }),
          signal: controller.signal,
          onChecked: (plan) => {
            if (options.format === 'json') return;
            if (plan.jobs.length === 0) return;
            io.out(`retrying ${plan.jobs.length} ${plan.jobs.length === 1 ? 'job' : 'jobs'} of ${plan.kind} run ${plan.runId}:\n`);
            for (const job of plan.jobs) io.out(`  ${job.kind} ${job.label}${job.status === 'started' ? ' (interrupted)' : job.error ? ` (was: ${job.error.split('\n')[0]})` : ''}\n`);
          },
        });
        const { runId, kind, jobs, summary, stopReason } = result;
        if (options.format === 'json') {
          io.out(`${JSON.stringify({ runId, kind, retried: jobs.map(({ key, kind: jobKind, label }) => ({ key, kind: jobKind, label })), summary: summary ?? null, stopReason: stopReason ?? null })}\n`);
        } else if (!summary) {
          io.out(`run ${runId}: nothing to retry (no failed jobs)\n`);
        } else {
          io.out(
            `run ${runId}: retried ${summary.done + summary.failed + summary.notStarted}: ${summary.done} done, ${summary.failed} failed again, ${summary.notStarted} not started; $${summary.sessionSpendUsd.toFixed(4)} this session${stopReason ? ` (stopped: ${stopReason})` : ''}\n`,
          );
        }
        exitWhenInterrupted(controller.signal);
        if (summary) failWhenAllFailed({ firstError: result.firstError, runId, done: summary.done, failed: summary.failed, what: 'retried job', stopReason });
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
};
