import type { Command } from 'commander';
import { environmentWithDotEnv } from '../../runtime/providers/dotenv.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { integerOption } from '../options.js';

/** Options of `marketbench worker` as commander parses them. */
interface WorkerCliOptions {
  queue: string;
  providers?: string;
  concurrency: number;
  sandbox: string;
  baseUrl?: string;
  lockMs: number;
  stallMs?: number;
  maxTries: number;
}

/** `marketbench worker`: pull jobs from a Redis queue and run them (model calls, attempts) until stopped. */
export const registerWorker: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('worker')
    .description('run queued jobs (elicit, attempt and market with --queue) on this machine with its own API keys, until stopped')
    .requiredOption('--queue <url>', 'the queue: redis://[:PASSWORD@]HOST:PORT[/DB]')
    .option('--providers <names>', 'provider prefixes to serve (default: every provider whose key is set here, plus mock and local)')
    .option('--concurrency <n>', 'jobs at once per provider', integerOption('--concurrency', 1), 4)
    .option('--sandbox <backend>', 'sandbox for attempts: local or docker', 'local')
    .option('--base-url <url>', 'base URL for every provider on this machine (a local server or proxy)')
    .option('--lock-ms <ms>', 'job lock, renewed while a job runs; a killed worker\'s job is retried after it expires', integerOption('--lock-ms', 100), 30_000)
    .option('--stall-ms <ms>', 'how often to look for jobs of dead workers (default: the lock)', integerOption('--stall-ms', 100))
    .option('--max-tries <n>', 'starts of a job (kills included) before it ends failed', integerOption('--max-tries', 1), 3)
    .action(async (options: WorkerCliOptions) => {
      if (options.sandbox !== 'local' && options.sandbox !== 'docker') {
        const { InvalidInputError } = await import('../../core/errors.js');
        throw new InvalidInputError(`--sandbox must be local or docker, got '${options.sandbox}'`, { field: '--sandbox' });
      }
      (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
      const { runWorker } = await import('../../app/run-worker.js');
      const worker = await runWorker({
        queueUrl: options.queue,
        providers: options.providers?.split(','),
        concurrency: options.concurrency,
        sandbox: options.sandbox,
        env: environmentWithDotEnv({ cwd: io.cwd, env: io.env }),
        cwd: io.cwd,
        baseUrl: options.baseUrl,
        lockDurationMs: options.lockMs,
        stalledIntervalMs: options.stallMs ?? options.lockMs,
        maxTries: options.maxTries,
        onEvent: (event) => {
          if (event.type === 'job-start') io.out(`start ${event.kind} ${event.key} (run ${event.runId}, start ${event.starts})\n`);
          else if (event.type === 'job-end') io.out(`${event.status} ${event.kind} ${event.key} (run ${event.runId})${event.error ? `: ${event.error}` : ''}\n`);
          else if (event.type === 'error') io.err(`worker: ${event.message}\n`);
        },
      });
      io.out(`worker ${worker.name} serving ${worker.providers.join(', ')} from ${worker.queueDisplay} (${options.concurrency} at once per provider); stop with Ctrl-C\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          io.err('\nstopping: finishing the jobs in flight\n');
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await worker.close();
    });
};
